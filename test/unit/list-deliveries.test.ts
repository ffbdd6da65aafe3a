/** Issue 16, item 9: GET /broadcasts/{id}/deliveries, a page of ledger records with numbers masked. */
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '#shared/adapters/dynamodb/cursor.ts';
import type { DeliveryLine } from '#shared/api/deliveries.ts';
import { InvalidCursorError, NotFoundError } from '#shared/domain/errors.ts';
import { maskPhone, maskPhonesIn } from '#shared/domain/masking.ts';
import { listDeliveries } from '#shared/use-cases/list-deliveries.ts';
import { queuedDelivery } from '#shared/use-cases/plan-broadcast.ts';
import { aCustomer } from '#test/support/builders.ts';
import {
  FakeBroadcastStore,
  FakeCustomerDirectory,
  FakeDeliveryStore,
  FakeIncidentStore,
} from '#test/support/fakes.ts';

describe('phone masking', () => {
  it('shows the country and operator code and the last two digits', () => {
    expect(maskPhone('+358401234567')).toBe('+35840•••••67');
  });

  it('masks a short number whole', () => {
    expect(maskPhone('112')).toBe('•••');
  });

  it('masks every number a provider’s error quotes, and nothing else', () => {
    expect(maskPhonesIn("The 'To' number +358 40 1234567 is not valid (error 21211, 2026-11-23)")).toBe(
      "The 'To' number +35840•••••67 is not valid (error 21211, 2026-11-23)",
    );
  });
});

describe('list cursors', () => {
  const shape = { attributes: ['broadcastId', 'sk'], partition: { broadcastId: 'b1' } };
  const cursor = encodeCursor({ broadcastId: 'b1', sk: 'sms#C7' });

  it('give back the key they were made of', () => {
    expect(decodeCursor(cursor, shape)).toEqual({ broadcastId: 'b1', sk: 'sms#C7' });
    expect(decodeCursor(cursor, { ...shape, prefixes: { sk: 'sms#' } })).toEqual({
      broadcastId: 'b1',
      sk: 'sms#C7',
    });
  });

  it('of one channel are refused for another channel’s list', () => {
    expect(() => decodeCursor(cursor, { ...shape, prefixes: { sk: 'x#' } })).toThrow(InvalidCursorError);
  });

  it.each([
    ['with a character changed', `${cursor.slice(0, 5)}${cursor[5] === 'A' ? 'B' : 'A'}${cursor.slice(6)}`],
    ['cut short', cursor.slice(0, -3)],
    ['made up', 'eyJwayI6IngifQ'],
    ['of another broadcast', encodeCursor({ broadcastId: 'b2', sk: 'sms#C7' })],
    ['of another list', encodeCursor({ pk: 'INCIDENT#1', sk: 'META' })],
  ])('are refused %s', (_, tampered) => {
    expect(() => decodeCursor(tampered, shape)).toThrow(InvalidCursorError);
  });
});

describe('cursors of a list read across several partitions (a broadcast’s shards)', () => {
  const shape = { attributes: ['pk', 'sk'], partition: { pk: ['b1#0', 'b1#1'] } };

  it('give back a key in any of the partitions', () => {
    expect(decodeCursor(encodeCursor({ pk: 'b1#1', sk: 'sms#C7' }), shape)).toEqual({
      pk: 'b1#1',
      sk: 'sms#C7',
    });
  });

  it.each([
    ['of a partition outside the list', encodeCursor({ pk: 'b1#2', sk: 'sms#C7' })],
    ['of another broadcast', encodeCursor({ pk: 'b2#0', sk: 'sms#C7' })],
  ])('are refused %s', (_, other) => {
    expect(() => decodeCursor(other, shape)).toThrow(InvalidCursorError);
  });
});

describe('listDeliveries', () => {
  async function broadcastWithRecords() {
    const broadcasts = new FakeBroadcastStore();
    broadcasts.add({ id: 'b1', channels: ['sms', 'x'] });
    const deliveries = new FakeDeliveryStore(broadcasts);
    const customers = new FakeCustomerDirectory([
      aCustomer('C1', { phone: '+358401234567' }),
      aCustomer('C2', { phone: '+46701234599' }),
    ]);
    await deliveries.createMany([
      queuedDelivery('b1', 'sms', 'C1', { bookingRef: 'ABC123' }),
      queuedDelivery('b1', 'sms', 'C2', { bookingRef: 'DEF456' }),
      queuedDelivery('b1', 'x', 'en'),
    ]);
    const failed = deliveries.record({ broadcastId: 'b1', channel: 'sms', recipientId: 'C2' });
    Object.assign(failed ?? {}, {
      status: 'failed',
      attempts: 2,
      lastError: 'Twilio refused the message: +46701234599 is unreachable',
    });
    const refused = deliveries.record({ broadcastId: 'b1', channel: 'x', recipientId: 'en' });
    Object.assign(refused ?? {}, {
      status: 'failed',
      attempts: 1,
      lastError:
        'Request failed with code 403: You are not allowed to create a Tweet with duplicate content.',
    });
    // No incident: deadline.test.ts covers the lines' reachedBeforeDeadline.
    return { broadcasts, deliveries, customers, incidents: new FakeIncidentStore() };
  }

  it('lists each record’s channel, masked recipient, status, attempts, last error with its code and reason, and time, never its payload', async () => {
    const deps = await broadcastWithRecords();

    const page = await listDeliveries('b1', { limit: 10 }, deps);

    expect(page.next).toBeUndefined();
    expect(page.items).toEqual<DeliveryLine[]>([
      {
        channel: 'sms',
        recipient: '+35840•••••67',
        customerId: 'C1',
        status: 'queued',
        attempts: 0,
        updatedAt: expect.any(String),
      },
      {
        channel: 'sms',
        recipient: '+46701••••99',
        customerId: 'C2',
        status: 'failed',
        attempts: 2,
        lastError: 'Twilio refused the message: +46701••••99 is unreachable',
        errorCode: 'unknown',
        reason: 'Twilio refused the message: +46701••••99 is unreachable',
        updatedAt: expect.any(String),
      },
      {
        channel: 'x',
        recipient: 'en',
        status: 'failed',
        attempts: 1,
        lastError:
          'Request failed with code 403: You are not allowed to create a Tweet with duplicate content.',
        errorCode: '403',
        reason: expect.stringMatching(/^Duplicate post/),
        updatedAt: expect.any(String),
      },
    ]);
    expect(JSON.stringify(page)).not.toMatch(/ABC123|1234567|payload/);
  });

  it('lists only the records in the status asked for', async () => {
    const page = await listDeliveries('b1', { limit: 10, status: 'failed' }, await broadcastWithRecords());

    expect(page.items.map((line) => line.recipient)).toEqual(['+46701••••99', 'en']);
  });

  it('lists only the records on the channel asked for, with the status too', async () => {
    const deps = await broadcastWithRecords();

    const sms = await listDeliveries('b1', { limit: 10, channel: 'sms' }, deps);
    const failedSms = await listDeliveries('b1', { limit: 10, channel: 'sms', status: 'failed' }, deps);

    expect(sms.items.map((line) => line.customerId)).toEqual(['C1', 'C2']);
    expect(failedSms.items.map((line) => line.customerId)).toEqual(['C2']);
  });

  it('says why a record still queued in a cancelled broadcast was never sent', async () => {
    const deps = await broadcastWithRecords();
    await deps.broadcasts.setStatus('b1', 'cancelled');

    const page = await listDeliveries('b1', { limit: 10, status: 'queued' }, deps);

    expect(page.items).toEqual([
      expect.objectContaining({
        customerId: 'C1',
        errorCode: 'cancelled',
        reason: expect.stringMatching(/cancelled/),
      }),
    ]);
  });

  it('pages through the records with `next`, each once', async () => {
    const deps = await broadcastWithRecords();

    const first = await listDeliveries('b1', { limit: 2 }, deps);
    const second = await listDeliveries('b1', { limit: 2, next: first.next }, deps);

    expect(first.items).toHaveLength(2);
    expect(first.next).toEqual(expect.any(String));
    expect(second.items.map((line) => line.recipient)).toEqual(['en']);
    expect(second.next).toBeUndefined();
  });

  it('answers 404 for a broadcast that does not exist', async () => {
    await expect(listDeliveries('nope', { limit: 10 }, await broadcastWithRecords())).rejects.toThrow(
      NotFoundError,
    );
  });
});
