/**
 * Issue 17, Lookup, through the local stack: a broadcast in which one passenger's phone cannot
 * be reached (the Twilio sandbox reports it undelivered with error 30003), then that passenger
 * looked up by booking reference, phone number and customer id, and the broadcast's failed SMS
 * listed: each shows the failure with Twilio's code and a readable reason, numbers masked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#infra/local/stack.ts';
import type { DeliveryLine } from '#shared/api/deliveries.ts';
import { apiClient, startTestStack } from '#test/support/local-stack.ts';
import {
  broadcastWithUnreachablePassenger,
  lookupOnceUndelivered,
  type UnreachablePassenger,
} from '#test/support/unreachable-passenger.ts';

describe('passenger lookup', () => {
  let stack: LocalStack;
  let operator: ReturnType<typeof apiClient>;
  let scene: UnreachablePassenger;
  const lookedUp = (query: string) => lookupOnceUndelivered(stack, scene.broadcastId, query);

  beforeAll(async () => {
    stack = await startTestStack();
    operator = apiClient(stack, 'operator');
    scene = await broadcastWithUnreachablePassenger(stack);
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('shows the passenger’s failed SMS with Twilio’s code and reason, by booking, phone and customer id alike', async () => {
    const { passenger, bookingRef, broadcastId } = scene;
    const byBooking = await lookedUp(`bookingRef=${bookingRef}`);
    const byPhone = await lookedUp(`phone=${encodeURIComponent(passenger.phone)}`);
    const byCustomer = await lookedUp(`customerId=${passenger.customerId}`);

    const failed = byBooking.items.find(
      (item) => item.broadcastId === broadcastId && item.customerId === passenger.customerId,
    );
    expect(failed).toMatchObject({
      incidentTitle: 'Strike at Helsinki Airport',
      kind: 'initial',
      channel: 'sms',
      status: 'undelivered',
      attempts: 1,
      errorCode: '30003',
      reason: 'Unreachable handset: the phone was off or out of coverage',
      phone: `${passenger.phone.slice(0, 6)}${'•'.repeat(passenger.phone.length - 8)}${passenger.phone.slice(-2)}`,
    });
    expect(Date.parse(failed?.updatedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(failed?.queuedAt ?? ''));
    for (const answer of [byPhone, byCustomer]) {
      expect(answer.items).toEqual([expect.objectContaining({ broadcastId, errorCode: '30003' })]);
    }
    expect(byBooking.passengers.map((found) => found.customerId)).toContain(passenger.customerId);
    const timings = [];
    for (const query of [`bookingRef=${bookingRef}`, `customerId=${passenger.customerId}`]) {
      const started = performance.now();
      expect((await operator('GET', `/passengers?${query}`)).status).toBe(200);
      timings.push(`${query.split('=')[0]} ${Math.round(performance.now() - started)} ms`);
    }
    console.info(`passenger lookup, settled (in-process runtime, DynamoDB Local): ${timings.join(', ')}`);
    expect(JSON.stringify([byBooking, byPhone, byCustomer])).not.toContain(passenger.phone);
  }, 120_000);

  it('lists the broadcast’s undelivered SMS with the same code and reason, one channel at a time', async () => {
    const { passenger, broadcastId } = scene;
    await lookedUp(`customerId=${passenger.customerId}`);

    const { status, body } = await operator<{ items: DeliveryLine[] }>(
      'GET',
      `/broadcasts/${broadcastId}/deliveries?status=undelivered&channel=sms`,
    );
    const publicOnly = await operator<{ items: DeliveryLine[] }>(
      'GET',
      `/broadcasts/${broadcastId}/deliveries?channel=x`,
    );

    expect(status).toBe(200);
    expect(body.items).toEqual([
      expect.objectContaining({
        customerId: passenger.customerId,
        status: 'undelivered',
        errorCode: '30003',
        reason: 'Unreachable handset: the phone was off or out of coverage',
      }),
    ]);
    expect(publicOnly.body.items).toEqual([]);
  });

  it('answers 422 unless exactly one of bookingRef, phone and customerId is given, and 404 for an unknown booking', async () => {
    const { passenger, bookingRef } = scene;
    const none = await operator<{ errors: { path: string }[] }>('GET', '/passengers');
    const two = await operator(
      'GET',
      `/passengers?bookingRef=${bookingRef}&customerId=${passenger.customerId}`,
    );
    const unknown = await operator('GET', '/passengers?bookingRef=NOPE99');

    expect(none.status).toBe(422);
    expect(none.contentType).toContain('application/problem+json');
    expect(none.body.errors.map((error) => error.path)).toEqual(['bookingRef', 'phone', 'customerId']);
    expect(two.status).toBe(422);
    expect(unknown.status).toBe(404);
  });
});
