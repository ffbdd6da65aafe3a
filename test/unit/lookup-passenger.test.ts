/** Issue 17, Lookup: GET /passengers, every SMS Herald sent one passenger across incidents. */
import { describe, expect, it } from 'vitest';
import type { PassengerMessage } from '#shared/api/passengers.ts';
import { NotFoundError, ValidationError } from '#shared/domain/errors.ts';
import type { Broadcast } from '#shared/domain/model.ts';
import { lookupPassenger } from '#shared/use-cases/lookup-passenger.ts';
import { queuedDelivery } from '#shared/use-cases/plan-broadcast.ts';
import { aCustomer, anIncident } from '#test/support/builders.ts';
import {
  FakeBookingIndex,
  FakeBroadcastStore,
  FakeCustomerDirectory,
  FakeDeliveryStore,
  FakeIncidentStore,
} from '#test/support/fakes.ts';

/**
 * Booking ABC123 (C1 and C2) flies AY123 on 1 December; C1 also flew on 20 November (DEF456).
 * Incident `strike` (1 December) sent b-strike (delivered to C1, undelivered to C2) and an update
 * that was cancelled before C2's turn; incident `earlier` (20 November) texted C1 about DEF456;
 * incident `ash` (1 December) has only an X post and a broadcast waiting for approval.
 */
async function airline() {
  const customers = new FakeCustomerDirectory([
    aCustomer('C1', { phone: '+358401234567' }),
    aCustomer('C2', { phone: '+46701234599', language: 'sv', smsConsent: true, optedOut: true }),
  ]);
  const bookings = new FakeBookingIndex([
    { bookingRef: 'ABC123', customerId: 'C1', flightNumber: 'AY123', date: '2026-12-01' },
    { bookingRef: 'ABC123', customerId: 'C2', flightNumber: 'AY123', date: '2026-12-01' },
    { bookingRef: 'DEF456', customerId: 'C1', flightNumber: 'AY9', date: '2026-11-20' },
  ]);
  const incidents = new FakeIncidentStore();
  await incidents.create(
    anIncident({
      id: 'earlier',
      title: 'Fog at Oulu',
      window: { start: '2026-11-20T00:00:00Z', end: '2026-11-20T12:00:00Z' },
      createdAt: '2026-11-19T12:00:00Z',
    }),
  );
  await incidents.create(anIncident({ id: 'strike', createdAt: '2026-11-30T12:00:00Z' }));
  await incidents.create(anIncident({ id: 'ash', title: 'Ash cloud', createdAt: '2026-11-30T13:00:00Z' }));
  const broadcasts = new FakeBroadcastStore();
  const broadcast = (fields: Partial<Broadcast> & Pick<Broadcast, 'id' | 'incidentId' | 'createdAt'>) =>
    broadcasts.add({ channels: ['sms'], status: 'partial', ...fields });
  broadcast({
    id: 'b-earlier',
    incidentId: 'earlier',
    createdAt: '2026-11-19T12:05:00Z',
    status: 'completed',
  });
  broadcast({
    id: 'b-strike',
    incidentId: 'strike',
    createdAt: '2026-11-30T12:05:00Z',
    startedAt: '2026-11-30T12:06:00Z',
  });
  broadcast({
    id: 'b-update',
    incidentId: 'strike',
    kind: 'update',
    createdAt: '2026-11-30T14:00:00Z',
    status: 'cancelled',
  });
  broadcast({ id: 'b-x', incidentId: 'ash', createdAt: '2026-11-30T13:05:00Z', channels: ['x'] });
  broadcast({
    id: 'b-pending',
    incidentId: 'ash',
    createdAt: '2026-11-30T13:10:00Z',
    status: 'pending_approval',
  });
  const deliveries = new FakeDeliveryStore(broadcasts);
  const sms = (broadcastId: string, customerId: string, bookingRef: string, date: string) =>
    queuedDelivery(broadcastId, 'sms', customerId, { bookingRef, flightNumber: 'AY123', date });
  await deliveries.createMany([
    sms('b-earlier', 'C1', 'DEF456', '2026-11-20'),
    sms('b-strike', 'C1', 'ABC123', '2026-12-01'),
    sms('b-strike', 'C2', 'ABC123', '2026-12-01'),
    sms('b-update', 'C1', 'ABC123', '2026-12-01'),
    sms('b-update', 'C2', 'ABC123', '2026-12-01'),
  ]);
  const settle = (broadcastId: string, customerId: string, fields: object) =>
    Object.assign(deliveries.record({ broadcastId, channel: 'sms', recipientId: customerId }) ?? {}, fields);
  settle('b-earlier', 'C1', { status: 'delivered', attempts: 1 });
  settle('b-strike', 'C1', { status: 'delivered', attempts: 1 });
  settle('b-strike', 'C2', { status: 'undelivered', attempts: 1, lastError: 'Twilio error 30003' });
  settle('b-update', 'C1', { status: 'sent', attempts: 1 });
  return { customers, bookings, incidents, broadcasts, deliveries, smsRecords: deliveries };
}

const line = (message: PassengerMessage) =>
  [message.broadcastId, message.customerId, message.status, message.errorCode ?? '-'].join(' ');

describe('lookupPassenger', () => {
  it('finds every SMS to a booking’s passengers in the incidents near its flights, with times, and each problem’s code and reason', async () => {
    const deps = await airline();

    const found = await lookupPassenger({ bookingRef: 'ABC123', limit: 50 }, deps);
    const queuedAt = (broadcastId: string, recipientId: string) =>
      deps.deliveries.record({ broadcastId, channel: 'sms', recipientId })?.queuedAt ?? 'not stamped';

    expect(found.items.map(line)).toEqual([
      'b-update C1 sent -',
      'b-update C2 queued cancelled',
      'b-strike C1 delivered -',
      'b-strike C2 undelivered 30003',
    ]);
    expect(found.items[3]).toEqual<PassengerMessage>({
      incidentId: 'strike',
      incidentTitle: 'Strike at Helsinki Airport',
      broadcastId: 'b-strike',
      kind: 'initial',
      broadcastStatus: 'partial',
      channel: 'sms',
      customerId: 'C2',
      phone: '+46701••••99',
      bookingRef: 'ABC123',
      flightNumber: 'AY123',
      flightDate: '2026-12-01',
      status: 'undelivered',
      attempts: 1,
      queuedAt: queuedAt('b-strike', 'C2'),
      updatedAt: expect.any(String),
      lastError: 'Twilio error 30003',
      errorCode: '30003',
      reason: 'Unreachable handset: the phone was off or out of coverage',
    });
    const [sent, cancelled, delivered] = found.items;
    expect(sent).toMatchObject({ queuedAt: queuedAt('b-update', 'C1'), sentAt: sent?.updatedAt });
    expect(sent?.deliveredAt).toBeUndefined();
    expect(delivered).toMatchObject({ deliveredAt: delivered?.updatedAt });
    expect(delivered?.sentAt).toBeUndefined();
    expect(cancelled?.sentAt ?? cancelled?.deliveredAt).toBeUndefined();
    expect(found.passengers).toEqual([
      { customerId: 'C1', phone: '+35840•••••67', language: 'fi', smsConsent: true, optedOut: false },
      { customerId: 'C2', phone: '+46701••••99', language: 'sv', smsConsent: true, optedOut: true },
    ]);
    expect(found.next).toBeUndefined();
  });

  it('reads no record of an incident far from the booking’s flights, nor of a broadcast that sent no SMS or awaits approval', async () => {
    const deps = await airline();

    await lookupPassenger({ bookingRef: 'abc123', limit: 50 }, deps);

    // b-strike and b-update, for C1 and C2: not b-earlier (20 November), b-x or b-pending.
    expect(deps.deliveries.smsKeysRead).toBe(4);
  });

  it('finds a phone number’s messages across every incident, and a customer’s by id', async () => {
    const deps = await airline();

    const byPhone = await lookupPassenger({ phone: '+358401234567', limit: 50 }, deps);
    const byId = await lookupPassenger({ customerId: 'C1', limit: 50 }, deps);

    expect(byPhone.items.map(line)).toEqual([
      'b-update C1 sent -',
      'b-strike C1 delivered -',
      'b-earlier C1 delivered -',
    ]);
    expect(byPhone.items.at(-1)).toMatchObject({ bookingRef: 'DEF456', incidentTitle: 'Fog at Oulu' });
    expect(byId).toEqual(byPhone);
  });

  it('takes a number whose + a query string turned into a space', async () => {
    const found = await lookupPassenger({ phone: ' 358401234567', limit: 50 }, await airline());

    expect(found.passengers.map((passenger) => passenger.customerId)).toEqual(['C1']);
  });

  it('covers `limit` incidents a page, newest first, and goes on with `next`', async () => {
    const deps = await airline();

    const first = await lookupPassenger({ customerId: 'C1', limit: 2 }, deps);
    const second = await lookupPassenger({ customerId: 'C1', limit: 2, next: first.next }, deps);

    expect(first.items.map(line)).toEqual(['b-update C1 sent -', 'b-strike C1 delivered -']);
    expect(first.next).toEqual(expect.any(String));
    expect(second.items.map(line)).toEqual(['b-earlier C1 delivered -']);
    expect(second.next).toBeUndefined();
  });

  it.each([
    ['none', {}],
    ['two', { bookingRef: 'ABC123', customerId: 'C1' }],
    ['a blank one', { phone: '  ' }],
  ])('refuses %s of bookingRef, phone and customerId with a 422 naming the three', async (_, query) => {
    const refusal = lookupPassenger({ ...query, limit: 50 }, await airline());

    await expect(refusal).rejects.toThrow(ValidationError);
    await expect(refusal).rejects.toMatchObject({
      errors: [{ path: 'bookingRef' }, { path: 'phone' }, { path: 'customerId' }],
    });
  });

  it('answers 404 for a booking, number or customer Herald does not know, never echoing the number', async () => {
    const deps = await airline();

    await expect(lookupPassenger({ bookingRef: 'NOPE99', limit: 50 }, deps)).rejects.toThrow(NotFoundError);
    await expect(lookupPassenger({ customerId: 'C404', limit: 50 }, deps)).rejects.toThrow(NotFoundError);
    const unknownPhone = lookupPassenger({ phone: '+358409999999', limit: 50 }, deps);
    await expect(unknownPhone).rejects.toThrow(NotFoundError);
    await expect(unknownPhone).rejects.not.toThrow(/409999999/);
  });
});
