/**
 * The delivery ledger's grouped writes against DynamoDB Local: records and the broadcast's
 * counters move together; a write whose condition fails is left out without holding back the
 * rest; more records than one transaction takes are split; claims under leases; concurrent single moves share
 * transactions and still each get their own answer. Also the SMS rate limiter taking slots for
 * several waiting sends in one write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningDynamoDb } from '#infra/local/dynamodb-local.ts';
import { BroadcastClosedError } from '#shared/domain/errors.ts';
import type { Broadcast, Channel } from '#shared/domain/model.ts';
import type { BroadcastStore, DeliveryStore, RateLimiter } from '#shared/ports/stores.ts';
import { queuedDelivery } from '#shared/use-cases/plan-broadcast.ts';
import { startTestDynamoDb } from '#test/support/dynamodb-local.ts';

let dynamoDb: RunningDynamoDb;
let deliveries: DeliveryStore;
let broadcasts: BroadcastStore;
let limiter: (limit: number, windowMs: number) => RateLimiter;

beforeAll(async () => {
  dynamoDb = await startTestDynamoDb();
  const { DynamoDeliveryStore } = await import('#shared/adapters/dynamodb/delivery-store.ts');
  const { DynamoBroadcastStore } = await import('#shared/adapters/dynamodb/broadcast-store.ts');
  const { DynamoRateLimiter } = await import('#shared/adapters/dynamodb/rate-limiter.ts');
  deliveries = new DynamoDeliveryStore();
  broadcasts = new DynamoBroadcastStore();
  let limiters = 0;
  limiter = (limit, windowMs) => new DynamoRateLimiter(`test-${++limiters}`, { limit, windowMs });
});

afterAll(async () => {
  await dynamoDb?.stop();
});

async function newBroadcast(id: string, channels: Channel[] = ['sms']): Promise<void> {
  await broadcasts.create({
    id,
    incidentId: 'incident-1',
    templateId: 'strike',
    templateVersion: 1,
    variables: {},
    channels,
    kind: 'initial',
    status: 'sending',
    createdAt: new Date().toISOString(),
    createdBy: 'test',
    counts: {},
  } as Broadcast);
}

const key = (broadcastId: string, recipientId: string) => ({
  broadcastId,
  channel: 'sms' as const,
  recipientId,
});
const ids = (count: number, from = 0) => Array.from({ length: count }, (_, index) => `C${from + index}`);

describe('the delivery ledger', () => {
  it('creates only absent records, in transactions of at most 100 items, and counts what it created', async () => {
    await newBroadcast('b-create');
    const first = await deliveries.createMany(ids(3).map((id) => queuedDelivery('b-create', 'sms', id)));
    expect(first.map(({ recipientId }) => recipientId)).toEqual(['C0', 'C1', 'C2']);

    // 250 records, 3 of them already there: three transactions, the existing ones left out.
    const second = await deliveries.createMany(ids(250).map((id) => queuedDelivery('b-create', 'sms', id)));
    expect(second).toHaveLength(247);
    expect(second.map(({ recipientId }) => recipientId)).not.toContain('C1');
    expect(await deliveries.count('b-create', 'sms')).toBe(250);
    expect((await broadcasts.get('b-create'))?.counts.sms?.recipients).toBe(250);
  });

  it('moves only the records in the expected state and the counters by exactly those moves', async () => {
    await newBroadcast('b-move');
    await deliveries.createMany(ids(5).map((id) => queuedDelivery('b-move', 'sms', id)));
    await deliveries.claim(key('b-move', 'C2'), { owner: 'worker-1', expiresAt: Date.now() + 60_000 });

    const sent = await deliveries.transitionMany(
      [...ids(5), 'C9'].map((id) => ({
        key: key('b-move', id),
        to: 'sent' as const,
        from: ['queued' as const],
        counts: { sent: 1 },
      })),
    );
    expect(sent.map((change) => change.key.recipientId)).toEqual(['C0', 'C1', 'C3', 'C4']);
    const broadcast = await broadcasts.get('b-move');
    expect(broadcast?.counts.sms).toMatchObject({ recipients: 5, sent: 4, queued: 1 });
    expect((await deliveries.get('b-move', 'sms', 'C2'))?.attempts).toBe(1);
  });

  it('claims a queued record or an expired lease, never a live one, and moves it only for its holder', async () => {
    await newBroadcast('b-lease');
    await deliveries.createMany(ids(2).map((id) => queuedDelivery('b-lease', 'sms', id)));
    const live = { owner: 'worker-1', expiresAt: Date.now() + 60_000 };

    expect(await deliveries.claim(key('b-lease', 'C0'), live)).toEqual({});
    expect(
      await deliveries.claim(key('b-lease', 'C0'), { owner: 'worker-2', expiresAt: Date.now() + 60_000 }),
    ).toBe(undefined);
    expect(
      await deliveries.transition(key('b-lease', 'C0'), 'sent', { from: ['sending'], owner: 'worker-2' }),
    ).toBe(false);

    // worker-1 dies with its send unrecorded: once its lease is over, worker-3 takes it over, uncertain.
    await deliveries.claim(key('b-lease', 'C1'), { owner: 'worker-1', expiresAt: Date.now() - 1 });
    const claimedAt = (await deliveries.get('b-lease', 'sms', 'C1'))?.uncertainSince;
    const worker3 = { owner: 'worker-3', expiresAt: Date.now() + 60_000 };
    expect(await deliveries.claim(key('b-lease', 'C1'), worker3)).toEqual({ uncertainSince: claimedAt });
    expect(await deliveries.get('b-lease', 'sms', 'C1')).toMatchObject({
      leaseOwner: 'worker-3',
      attempts: 2,
    });

    // Back to queued after a timeout: still uncertain; a recorded outcome ends lease and uncertainty.
    const held = { from: ['sending' as const], owner: 'worker-3' };
    await deliveries.transition(key('b-lease', 'C1'), 'queued', { ...held, uncertain: true });
    expect(await deliveries.claim(key('b-lease', 'C1'), worker3)).toEqual({ uncertainSince: claimedAt });
    expect(await deliveries.transition(key('b-lease', 'C1'), 'sent', held)).toBe(true);
    const settled = await deliveries.get('b-lease', 'sms', 'C1');
    expect(settled?.status).toBe('sent');
    expect([settled?.leaseOwner, settled?.leaseExpiresAt, settled?.uncertainSince]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('adds no record to a cancelled broadcast, so its recipients stop growing', async () => {
    await newBroadcast('b-cancelled');
    await deliveries.createMany([queuedDelivery('b-cancelled', 'sms', 'C0')]);
    await broadcasts.setStatus('b-cancelled', 'cancelled');

    await expect(deliveries.createMany([queuedDelivery('b-cancelled', 'sms', 'C1')])).rejects.toThrow(
      BroadcastClosedError,
    );
    expect(await deliveries.count('b-cancelled', 'sms')).toBe(1);
    expect((await broadcasts.get('b-cancelled'))?.counts.sms).toMatchObject({
      recipients: 1,
      notSent: 1,
      queued: 0,
    });
  });

  it('gives each of many concurrent single moves its own answer, the same record moving once', async () => {
    await newBroadcast('b-concurrent', ['sms', 'x']);
    await deliveries.createMany(ids(120).map((id) => queuedDelivery('b-concurrent', 'sms', id)));
    await deliveries.createMany(
      ['en', 'fi'].map((language) => queuedDelivery('b-concurrent', 'x', language)),
    );
    const sent = (recipientId: string, channel: Channel = 'sms') =>
      deliveries.transition({ broadcastId: 'b-concurrent', channel, recipientId }, 'sent', {
        from: ['queued'],
        counts: { sent: 1 },
      });
    // SMS and X moves of one broadcast in the same transactions: its counters are one item.
    const answers = await Promise.all([
      ...[...ids(120), 'C7', 'C8'].map((id) => sent(id)),
      sent('en', 'x'),
      sent('fi', 'x'),
    ]);
    expect(answers.filter(Boolean)).toHaveLength(122);
    expect(answers.slice(120, 122)).toEqual([false, false]);
    const { counts } = (await broadcasts.get('b-concurrent')) ?? {};
    expect([counts?.sms?.sent, counts?.x?.sent]).toEqual([120, 2]);
  });
});

describe('the rate limiter', () => {
  it('lets no more sends through in a window than its limit, however many wait at once', async () => {
    // A long window, started afresh: every send below asks within the first one.
    const windowMs = 1_000;
    await new Promise((resolve) => setTimeout(resolve, windowMs - (Date.now() % windowMs) + 10));
    const rate = limiter(3, windowMs);
    const passed: number[] = [];
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 7 }, () => rate.acquire().then(() => passed.push(Date.now() - started))),
    );
    const windowOf = (elapsed: number) => Math.floor((started + elapsed) / windowMs);
    const perWindow = new Map<number, number>();
    for (const elapsed of passed)
      perWindow.set(windowOf(elapsed), (perWindow.get(windowOf(elapsed)) ?? 0) + 1);
    expect([...perWindow.values()]).toEqual([3, 3, 1]);
  });
});
