/**
 * The delivery ledger's grouped writes against DynamoDB Local: records and the broadcast's
 * counters move together; a write whose condition fails is left out without holding back the
 * rest; more records than one transaction takes are split; concurrent single moves share
 * transactions and still each get their own answer. Also the SMS rate limiter taking slots for
 * several waiting sends in one write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningDynamoDb } from '#infra/local/dynamodb-local.ts';
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
    await deliveries.transition(key('b-move', 'C2'), 'sending', { from: ['queued'] });

    const claimed = await deliveries.transitionMany(
      ids(5).map((id) => ({ key: key('b-move', id), to: 'sending' as const, from: ['queued' as const] })),
    );
    expect(claimed.map((change) => change.key.recipientId)).toEqual(['C0', 'C1', 'C3', 'C4']);

    const sent = await deliveries.transitionMany(
      ['C0', 'C1', 'C9'].map((id) => ({
        key: key('b-move', id),
        to: 'sent' as const,
        from: ['sending' as const],
        counts: { sent: 1 },
      })),
    );
    expect(sent).toHaveLength(2);
    const broadcast = await broadcasts.get('b-move');
    expect(broadcast?.counts.sms).toMatchObject({ recipients: 5, sent: 2, queued: 3 });
    expect((await deliveries.get('b-move', 'sms', 'C0'))?.attempts).toBe(1);
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
