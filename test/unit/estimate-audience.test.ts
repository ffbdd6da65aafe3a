import { describe, expect, it } from 'vitest';
import { AUDIENCE_ESTIMATE_BUDGET_MS } from '#shared/domain/limits.ts';
import { estimateAudience } from '#shared/use-cases/estimate-audience.ts';
import { aCustomer, aFlight, anIncident } from '#test/support/builders.ts';
import { FakeBookingIndex, FakeCustomerDirectory, FakeFlightCatalog } from '#test/support/fakes.ts';

const PASSENGERS = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'];

function audience() {
  return {
    flights: new FakeFlightCatalog([aFlight()]),
    bookings: new FakeBookingIndex(
      PASSENGERS.map((customerId) => ({
        bookingRef: `REF${customerId}`,
        customerId,
        flightNumber: 'AY123',
        date: '2026-12-01',
      })),
    ),
    customers: new FakeCustomerDirectory(PASSENGERS.map((id) => aCustomer(id, { language: 'en' }))),
  };
}

describe('estimateAudience', () => {
  it('counts SMS recipients by language and one post per language on X and Facebook, one on the status site', async () => {
    const estimate = await estimateAudience(anIncident(), ['sms', 'x', 'facebook', 'status'], audience());

    expect(estimate).toMatchObject({
      recipients: { sms: 6, x: 3, facebook: 3, status: 1 },
      smsByLanguage: { fi: 0, sv: 0, en: 6 },
      complete: true,
    });
  });

  it('counts no passenger for a broadcast without SMS', async () => {
    const estimate = await estimateAudience(anIncident(), ['status'], audience());

    expect(estimate.recipients).toEqual({ status: 1 });
    expect(estimate.smsByLanguage).toEqual({ fi: 0, sv: 0, en: 0 });
  });

  it('keeps what it counted as a lower bound when its time is up, instead of failing the request', async () => {
    // The clock passes the budget after a few readings (the start, each flight query and flight,
    // the first recipient): the count stops where it stands.
    let readings = 0;
    const now = () => (readings++ < 5 ? 0 : AUDIENCE_ESTIMATE_BUDGET_MS + 1);

    const estimate = await estimateAudience(anIncident(), ['sms'], audience(), now);

    expect(estimate.complete).toBe(false);
    expect(estimate.recipients.sms).toBeGreaterThan(0);
    expect(estimate.recipients.sms).toBeLessThan(PASSENGERS.length);
  });
});
