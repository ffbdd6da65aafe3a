import { describe, expect, it } from 'vitest';
import { demoTemplates } from '#infra/local/seed/demo-templates.ts';
import type { Incident, TemplateVersion } from '#shared/domain/model.ts';
import { previewBroadcast } from '#shared/use-cases/preview-broadcast.ts';
import { aCustomer, aFlight, anIncident, aSegment } from '#test/support/builders.ts';
import { fakeStores } from '#test/support/fake-stores.ts';

const strike = demoTemplates('2026-11-23T00:00:00Z').find(
  (template) => template.id === 'strike-disruption',
) as TemplateVersion;

/** Southern Finland and the Gulf of Finland: Helsinki inside, Stockholm and St Petersburg outside. */
const gulfOfFinland = {
  type: 'Polygon' as const,
  coordinates: [
    [
      [23, 59.5],
      [27, 59.5],
      [27, 61],
      [23, 61],
      [23, 59.5],
    ],
  ],
};

const fromHelsinki = aFlight({ flightNumber: 'AY1', origin: 'HEL', destination: 'ARN' });
const stockholmToStPetersburg = aFlight({
  flightNumber: 'SU2',
  carrier: 'SU',
  origin: 'ARN',
  destination: 'LED',
  departure: '2026-12-01T10:00:00Z',
  arrival: '2026-12-01T11:30:00Z',
});

async function previewOf(scope: Incident['scope']) {
  const stores = await fakeStores({
    incident: anIncident({ scope }),
    template: { ...strike, id: 'template-1', version: 1 },
    flights: [fromHelsinki, stockholmToStPetersburg],
    // c2 is on both flights: counted once, on the sooner.
    segments: [
      aSegment('c1', fromHelsinki),
      aSegment('c2', fromHelsinki),
      aSegment('c2', stockholmToStPetersburg),
      aSegment('c3', stockholmToStPetersburg),
    ],
    customers: [aCustomer('c1'), aCustomer('c2'), aCustomer('c3')],
  });
  return previewBroadcast(
    'incident-1',
    { templateId: 'template-1', kind: 'initial', variables: {}, channels: ['sms'] },
    stores,
  );
}

describe('what the preview gives its map', () => {
  it('counts each flight’s affected customers, each customer once, so the counts add up to the total', async () => {
    const preview = await previewOf({ area: gulfOfFinland, includeOverflights: true });
    expect(preview.affectedFlights.map(({ flightNumber, passengers }) => [flightNumber, passengers])).toEqual(
      [
        ['AY1', 2],
        ['SU2', 1],
      ],
    );
    expect(preview.affectedCustomers).toBe(3);
  });

  it('marks the flights affected only by crossing the area as overflights', async () => {
    const preview = await previewOf({ area: gulfOfFinland, includeOverflights: true });
    expect(preview.affectedFlights.map(({ flightNumber, overflight }) => [flightNumber, overflight])).toEqual(
      [
        ['AY1', false],
        ['SU2', true],
      ],
    );
    const named = await previewOf({
      area: gulfOfFinland,
      includeOverflights: true,
      flights: [{ flightNumber: 'SU2', date: '2026-12-01' }],
    });
    expect(named.affectedFlights.find((flight) => flight.flightNumber === 'SU2')?.overflight).toBe(false);
    const atStockholm = await previewOf({ area: gulfOfFinland, includeOverflights: true, airports: ['ARN'] });
    expect(atStockholm.affectedFlights.every((flight) => !flight.overflight)).toBe(true);
  });

  it('places every airport of the flights and the scope once, so the map needs no lookup per flight', async () => {
    const preview = await previewOf({ area: gulfOfFinland, includeOverflights: true, airports: ['OUL'] });
    expect(Object.keys(preview.airports).sort()).toEqual(['ARN', 'HEL', 'LED', 'OUL']);
    expect(preview.airports.HEL).toMatchObject({ name: expect.stringContaining('Helsinki') });
    expect(preview.airports.HEL?.latitude).toBeCloseTo(60.317, 2);
    expect(preview.airports.LED?.longitude).toBeCloseTo(30.26, 1);
  });
});
