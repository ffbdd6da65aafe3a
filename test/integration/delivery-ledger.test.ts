/**
 * The delivery ledger against DynamoDB Local: single-item conditional writes, claims under
 * leases, and the broadcast's counters folded from the deliveries table's real change stream
 * (the local stream source feeding the count-deliveries handler): equal to the ledger after a
 * broadcast's moves, a retried stream batch counted once. A broadcast's records spread over its
 * shards, every reader (counts, tally, listing, sweeper, evidence export, passenger lookup)
 * finding each exactly once, pages running on across shards.
 */

import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningDynamoDb } from '#infra/local/dynamodb-local.ts';
import { startStreamSource } from '#infra/local/stream-source.ts';
import { InvalidCursorError } from '#shared/domain/errors.ts';
import { MAX_ITEMS_READ_PER_PAGE } from '#shared/domain/limits.ts';
import type { Broadcast, Channel } from '#shared/domain/model.ts';
import type { DeliveryLedger } from '#shared/ports/delivery-ledger.ts';
import type { SmsRecordReader } from '#shared/ports/passenger-lookup.ts';
import type { BroadcastStore, DeliveryStore, Page, PageRequest } from '#shared/ports/stores.ts';
import { countDeliveries, type LedgerChange, paddedSequence } from '#shared/use-cases/count-deliveries.ts';
import { queuedDelivery } from '#shared/use-cases/plan-broadcast.ts';
import { startTestDynamoDb } from '#test/support/dynamodb-local.ts';
import { eventually } from '#test/support/local-stack.ts';

let dynamoDb: RunningDynamoDb;
let deliveries: DeliveryStore;
let ledger: DeliveryLedger;
let smsRecords: SmsRecordReader;
let shardItems: (broadcastId: string) => Promise<Record<string, unknown>[][]>;
let broadcasts: BroadcastStore;
let stream: { stop(): Promise<void> };

beforeAll(async () => {
  dynamoDb = await startTestDynamoDb();
  const { DynamoDeliveryStore } = await import('#shared/adapters/dynamodb/delivery-store.ts');
  const { DynamoBroadcastStore } = await import('#shared/adapters/dynamodb/broadcast-store.ts');
  const { handler } = await import('#functions/count-deliveries/handler.ts');
  const { DynamoDeliveryLedger } = await import('#shared/adapters/dynamodb/delivery-ledger.ts');
  const { DynamoSmsRecords } = await import('#shared/adapters/dynamodb/sms-records.ts');
  const { ledgerPartitions } = await import('#shared/adapters/dynamodb/ledger-keys.ts');
  const { dynamoDb: client } = await import('#shared/adapters/aws-clients.ts');
  const { tablesConfig } = await import('#shared/config.ts');
  deliveries = new DynamoDeliveryStore();
  ledger = new DynamoDeliveryLedger();
  smsRecords = new DynamoSmsRecords();
  // The table as it is stored, shard by shard: what the adapters must read whole, and only once.
  shardItems = (broadcastId) =>
    Promise.all(
      ledgerPartitions(broadcastId).map(async (partition) => {
        const { Items = [] } = await client.send(
          new QueryCommand({
            TableName: tablesConfig().deliveries,
            KeyConditionExpression: 'pk = :partition',
            ExpressionAttributeValues: { ':partition': partition },
          }),
        );
        return Items;
      }),
    );
  broadcasts = new DynamoBroadcastStore();
  stream = await startStreamSource({
    endpoint: dynamoDb.endpoint,
    tableName: process.env.DELIVERIES_TABLE ?? '',
    handler: (event) => handler(event, {} as Parameters<typeof handler>[1]),
    batchSize: 100,
    batchingWindowMs: 100,
    onError: (error) => console.error('[count-deliveries]', error),
  });
});

afterAll(async () => {
  await stream?.stop();
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

/** The broadcast's counts once the stream has counted every write so far: equal to its ledger's sum. */
const countedAsLedger = (broadcastId: string) =>
  eventually(async () => {
    const [broadcast, ledger] = await Promise.all([
      broadcasts.get(broadcastId),
      deliveries.tally(broadcastId),
    ]);
    const counted = broadcast?.counts.sms;
    const equal = Object.entries(ledger.sms ?? {}).every(
      ([field, value]) => counted?.[field as keyof typeof counted] === value,
    );
    return equal ? counted : undefined;
  }, 20_000);

describe('the delivery ledger', () => {
  it('creates only absent records, and the stream counts each created one as a recipient once', async () => {
    await newBroadcast('b-create');
    const first = await deliveries.createMany(ids(3).map((id) => queuedDelivery('b-create', 'sms', id)));
    expect(first.map(({ recipientId }) => recipientId)).toEqual(['C0', 'C1', 'C2']);

    const second = await deliveries.createMany(ids(250).map((id) => queuedDelivery('b-create', 'sms', id)));
    expect(second).toHaveLength(247);
    expect(second.map(({ recipientId }) => recipientId)).not.toContain('C1');
    expect(await deliveries.count('b-create', 'sms')).toBe(250);
    expect(await countedAsLedger('b-create')).toMatchObject({ recipients: 250, queued: 250 });
  });

  it("moves only records in the expected state, and the counts end equal to the ledger's", async () => {
    await newBroadcast('b-move');
    await deliveries.createMany(ids(6).map((id) => queuedDelivery('b-move', 'sms', id)));
    const lease = { owner: 'worker-1', expiresAt: Date.now() + 60_000 };
    for (const id of ids(5)) await deliveries.claim(key('b-move', id), lease);
    const held = { from: ['sending' as const], owner: 'worker-1' };

    expect(await deliveries.transition(key('b-move', 'C0'), 'sent', { ...held, calls: 2 })).toBe(true);
    expect(await deliveries.transition(key('b-move', 'C0'), 'sent', { ...held, calls: 1 })).toBe(false);
    await deliveries.transition(key('b-move', 'C1'), 'sent', { ...held, calls: 1 });
    await deliveries.transition(key('b-move', 'C1'), 'delivered', { from: ['sent'] });
    await deliveries.transition(key('b-move', 'C2'), 'failed', { ...held, calls: 3 });
    await deliveries.transition(key('b-move', 'C3'), 'opted_out', held);
    await deliveries.transition(key('b-move', 'C4'), 'queued', { ...held, uncertain: true, calls: 1 });
    await deliveries.noteDuplicate(key('b-move', 'C0'));
    // A receipt for a record that does not exist writes nothing.
    expect(await deliveries.transition(key('b-move', 'C9'), 'delivered', { from: ['sent'] })).toBe(false);

    expect(await countedAsLedger('b-move')).toMatchObject({
      recipients: 6,
      sent: 1,
      delivered: 1,
      failed: 1,
      optedOut: 1,
      queued: 2,
      attempts: 7,
      duplicatesSuspected: 1,
    });
  });

  it('keeps when a record was queued, first sent and first delivered, and the hash of the text sent, whatever moves later', async () => {
    await newBroadcast('b-times');
    const [created] = await deliveries.createMany([queuedDelivery('b-times', 'sms', 'C0')]);
    const held = { from: ['sending' as const], owner: 'worker-1' };
    const claim = () =>
      deliveries.claim(key('b-times', 'C0'), { owner: 'worker-1', expiresAt: Date.now() + 60_000 });

    await claim();
    await deliveries.transition(key('b-times', 'C0'), 'sent', { ...held, textSha256: 'a1b2' });
    const sent = await deliveries.get('b-times', 'sms', 'C0');
    await deliveries.transition(key('b-times', 'C0'), 'delivered', { from: ['sent'] });
    const delivered = await deliveries.get('b-times', 'sms', 'C0');
    // A later receipt moves the status on but not the first times.
    await deliveries.transition(key('b-times', 'C0'), 'delivered', { from: ['delivered'] });

    expect(await deliveries.get('b-times', 'sms', 'C0')).toMatchObject({
      status: 'delivered',
      queuedAt: created?.queuedAt,
      sentAt: sent?.updatedAt,
      deliveredAt: delivered?.updatedAt,
      textSha256: 'a1b2',
    });
    expect(delivered?.deliveredAt).not.toBe(undefined);
  });

  it('lists one channel’s records a page at a time, and refuses another channel’s cursor', async () => {
    await newBroadcast('b-channels', ['sms', 'x']);
    await deliveries.createMany([
      ...ids(3).map((id) => queuedDelivery('b-channels', 'sms', id)),
      queuedDelivery('b-channels', 'x', 'en'),
      queuedDelivery('b-channels', 'x', 'fi'),
    ]);

    const first = await deliveries.list('b-channels', { limit: 1, channel: 'x' });
    const second = await deliveries.list('b-channels', { limit: 1, channel: 'x', next: first.next });
    const sms = await deliveries.list('b-channels', { limit: 10, channel: 'sms' });

    expect([...first.items, ...second.items].map((record) => record.recipientId)).toEqual(['en', 'fi']);
    expect(second.next).toBeUndefined();
    expect(sms.items.map((record) => record.recipientId).toSorted()).toEqual(['C0', 'C1', 'C2']);
    await expect(
      deliveries.list('b-channels', { limit: 1, channel: 'sms', next: first.next }),
    ).rejects.toThrow(InvalidCursorError);
  });

  it('counts a retried stream batch once, and of an overlapping one only what is new', async () => {
    await newBroadcast('b-retried');
    const queued = { broadcastId: 'b-retried', channel: 'sms' as const, status: 'queued' as const };
    const batch: LedgerChange[] = [1, 2, 3].map((sequence) => ({
      sequence: paddedSequence(String(sequence)),
      after: queued,
    }));
    const deps = { broadcasts };

    await countDeliveries('shard-test', batch.slice(0, 2), deps);
    await countDeliveries('shard-test', batch, deps);
    await countDeliveries('shard-test', batch, deps);

    expect((await broadcasts.get('b-retried'))?.counts.sms?.recipients).toBe(3);
  });

  it('claims a queued record or an expired lease, never a live one, and moves it only for its holder', async () => {
    await newBroadcast('b-lease');
    await deliveries.createMany(ids(2).map((id) => queuedDelivery('b-lease', 'sms', id)));
    const live = { owner: 'worker-1', expiresAt: Date.now() + 60_000 };

    expect(await deliveries.claim(key('b-lease', 'C0'), live)).toEqual({ attempts: 1 });
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
    expect(await deliveries.claim(key('b-lease', 'C1'), worker3)).toEqual({
      uncertainSince: claimedAt,
      attempts: 2,
    });
    expect(await deliveries.get('b-lease', 'sms', 'C1')).toMatchObject({
      leaseOwner: 'worker-3',
      attempts: 2,
    });

    // Back to queued after a timeout: still uncertain; a recorded outcome ends lease and uncertainty.
    const held = { from: ['sending' as const], owner: 'worker-3' };
    await deliveries.transition(key('b-lease', 'C1'), 'queued', { ...held, uncertain: true });
    expect(await deliveries.claim(key('b-lease', 'C1'), worker3)).toEqual({
      uncertainSince: claimedAt,
      attempts: 3,
    });
    expect(await deliveries.transition(key('b-lease', 'C1'), 'sent', held)).toBe(true);
    const settled = await deliveries.get('b-lease', 'sms', 'C1');
    expect(settled?.status).toBe('sent');
    expect([settled?.leaseOwner, settled?.leaseExpiresAt, settled?.uncertainSince]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
});

/** Every page of a list with `limit` items a page, following `next` to the end. */
async function pagesOf<T>(read: (request: PageRequest) => Promise<Page<T>>, limit: number): Promise<T[][]> {
  const pages: T[][] = [];
  let next: string | undefined;
  do {
    const page = await read({ limit, ...(next === undefined ? {} : { next }) });
    pages.push(page.items);
    next = page.next;
  } while (next !== undefined);
  return pages;
}

const recipientsOf = (records: { recipientId: string }[]) => records.map(({ recipientId }) => recipientId);

describe('the ledger sharded over partition keys', () => {
  const audience = ids(200);
  let stored: Record<string, unknown>[][];
  /** The records' recipients as the table holds them: shard by shard, each shard in sort key order. */
  let inShardOrder: string[];

  beforeAll(async () => {
    await newBroadcast('b-shards', ['sms', 'x']);
    await deliveries.createMany([
      ...audience.map((id) => queuedDelivery('b-shards', 'sms', id)),
      queuedDelivery('b-shards', 'x', 'en'),
    ]);
    stored = await shardItems('b-shards');
    inShardOrder = stored.flatMap((items) => items.map((item) => String(item.recipientId)));
  });

  it("spreads a broadcast's records over every shard, each keeping its broadcast as an attribute", () => {
    expect(stored.map((items) => items.length).every((count) => count > 0)).toBe(true);
    expect(inShardOrder.toSorted()).toEqual([...audience, 'en'].toSorted());
    expect(stored.flat().every((item) => item.broadcastId === 'b-shards')).toBe(true);
  });

  it('counts, tallies and finds unsettled every record of every shard exactly once', async () => {
    const unsettled: string[] = [];
    for await (const record of deliveries.unsettled('b-shards')) unsettled.push(record.recipientId);

    expect(await deliveries.count('b-shards', 'sms')).toBe(200);
    expect(await deliveries.count('b-shards', 'x')).toBe(1);
    expect(await deliveries.tally('b-shards')).toMatchObject({
      sms: { recipients: 200 },
      x: { recipients: 1 },
    });
    expect(unsettled.toSorted()).toEqual(inShardOrder.toSorted());
  });

  it('finds every SMS record by key for the passenger lookup, and no record of another channel', async () => {
    const found = await smsRecords.smsRecords(['b-shards'], [...audience, 'en']);

    expect(recipientsOf(found).toSorted()).toEqual(audience.toSorted());
    expect(found.every((record) => !('pk' in record) && !('sk' in record))).toBe(true);
  });

  it.each([
    ['inside the first shard', () => (stored[0]?.length ?? 0) - 1],
    ["at the first shard's end", () => stored[0]?.length ?? 0],
    ["at the second shard's end", () => (stored[0]?.length ?? 0) + (stored[1]?.length ?? 0)],
  ])('lists and exports every record once, shard by shard, with pages ending %s', async (_, pageSize) => {
    const limit = pageSize();
    const listed = await pagesOf((request) => deliveries.list('b-shards', request), limit);
    const exported = await pagesOf((request) => ledger.records('b-shards', request), limit);

    expect(recipientsOf(listed.flat())).toEqual(inShardOrder);
    expect(recipientsOf(exported.flat())).toEqual(inShardOrder);
    expect(listed.slice(0, -1).every((page) => page.length === limit)).toBe(true);
    expect(listed.length).toBe(Math.ceil(inShardOrder.length / limit));
  });

  it("lists one channel's or one status's records across the shards, a page at a time", async () => {
    const lease = { owner: 'worker-1', expiresAt: Date.now() + 60_000 };
    const failing = audience.filter((_, index) => index % 20 === 0);
    for (const id of failing) {
      await deliveries.claim(key('b-shards', id), lease);
      await deliveries.transition(key('b-shards', id), 'failed', { from: ['sending'], owner: 'worker-1' });
    }

    const failed = await pagesOf(
      (request) => deliveries.list('b-shards', { ...request, status: 'failed' }),
      3,
    );
    const x = await pagesOf((request) => deliveries.list('b-shards', { ...request, channel: 'x' }), 1);

    expect(recipientsOf(failed.flat())).toEqual(inShardOrder.filter((id) => failing.includes(id)));
    expect(x).toEqual([[expect.objectContaining({ recipientId: 'en' })]]);
  });

  it('lists a rare status over more records than one page may read, going on where the reading stopped', async () => {
    await newBroadcast('b-shards-rare');
    const many = ids(MAX_ITEMS_READ_PER_PAGE + 100);
    const failing = new Set([many[0], many[1_000], many.at(-1)]);
    await deliveries.createMany(
      many.map((id) => ({
        ...queuedDelivery('b-shards-rare', 'sms', id),
        ...(failing.has(id) ? { status: 'failed' as const } : {}),
      })),
    );

    const pages = await pagesOf(
      (request) => deliveries.list('b-shards-rare', { ...request, status: 'failed' }),
      10,
    );

    // The first page stops after MAX_ITEMS_READ_PER_PAGE records read, inside a shard.
    expect(pages.length).toBeGreaterThan(1);
    expect(recipientsOf(pages.flat()).toSorted()).toEqual([...failing].toSorted());
  });

  it("refuses another broadcast's cursor", async () => {
    await newBroadcast('b-shards-other');
    await deliveries.createMany(ids(3).map((id) => queuedDelivery('b-shards-other', 'sms', id)));
    const other = await deliveries.list('b-shards-other', { limit: 1 });

    await expect(deliveries.list('b-shards', { limit: 1, next: other.next })).rejects.toThrow(
      InvalidCursorError,
    );
  });
});
