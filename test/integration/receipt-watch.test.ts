/**
 * Receipt reconciliation's reads against DynamoDB Local: an ended broadcast moves from the
 * sweeper's sparse key to the receipt watch's and leaves it when unwatched; a broadcast's SMS
 * records still `sent` are found across its ledger shards, and nothing else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningDynamoDb } from '#infra/local/dynamodb-local.ts';
import type { Broadcast, Channel, DeliveryStatus } from '#shared/domain/model.ts';
import type {
  AwaitingReceipts,
  AwaitingRecord,
  ReceiptWatch,
  WatchedBroadcast,
} from '#shared/ports/receipts.ts';
import type { BroadcastStore, DeliveryStore } from '#shared/ports/stores.ts';
import { aBroadcast } from '#test/support/builders.ts';
import { startTestDynamoDb } from '#test/support/dynamodb-local.ts';

let dynamoDb: RunningDynamoDb;
let broadcasts: BroadcastStore & ReceiptWatch;
let deliveries: DeliveryStore;
let ledger: AwaitingReceipts;

beforeAll(async () => {
  dynamoDb = await startTestDynamoDb();
  const { DynamoBroadcastStore } = await import('#shared/adapters/dynamodb/broadcast-store.ts');
  const { DynamoDeliveryStore } = await import('#shared/adapters/dynamodb/delivery-store.ts');
  const { DynamoReceiptLedger } = await import('#shared/adapters/dynamodb/receipt-ledger.ts');
  broadcasts = new DynamoBroadcastStore();
  deliveries = new DynamoDeliveryStore();
  ledger = new DynamoReceiptLedger();
});
afterAll(async () => {
  await dynamoDb?.stop();
});

async function aSendingBroadcast(id: string): Promise<void> {
  await broadcasts.create(aBroadcast({ id, status: 'sending', createdAt: new Date().toISOString() }));
}

const listed = async (list: AsyncIterable<Broadcast>) => {
  const ids: string[] = [];
  for await (const broadcast of list) ids.push(broadcast.id);
  return ids;
};

const watchedIds = async () => {
  const ids: string[] = [];
  for await (const { broadcast } of broadcasts.watched()) ids.push(broadcast.id);
  return ids;
};

async function watchedAs(id: string): Promise<WatchedBroadcast | undefined> {
  for await (const watched of broadcasts.watched()) if (watched.broadcast.id === id) return watched;
  return undefined;
}

async function read(records: AsyncIterable<AwaitingRecord>): Promise<AwaitingRecord[]> {
  const all: AwaitingRecord[] = [];
  for await (const awaiting of records) all.push(awaiting);
  return all;
}

async function aRecord(broadcastId: string, channel: Channel, recipientId: string, status: DeliveryStatus) {
  const key = { broadcastId, channel, recipientId };
  await deliveries.createMany([
    { ...key, status: 'queued', attempts: 0, updatedAt: new Date().toISOString() },
  ]);
  if (status === 'queued') return;
  await deliveries.transition(key, 'sent', { providerId: `SM-${recipientId}`, provider: 'twilio' });
  if (status !== 'sent') await deliveries.transition(key, status);
}

describe('the receipt watch in DynamoDB', () => {
  it('lists a broadcast once it ends, notes its passes, and forgets it when unwatched', async () => {
    await aSendingBroadcast('ends');
    expect(await listed(broadcasts.listActive())).toContain('ends');
    expect(await watchedIds()).not.toContain('ends');

    await broadcasts.setStatus('ends', 'completed', {
      completedAt: new Date().toISOString(),
      from: ['sending'],
    });
    expect(await listed(broadcasts.listActive())).not.toContain('ends');
    expect(await watchedIds()).toContain('ends');

    await broadcasts.pausedAt('ends', '7');
    expect((await watchedAs('ends'))?.resumeFrom).toBe('7');
    expect(await broadcasts.get('ends')).not.toHaveProperty('receiptsResumeFrom');

    const checkedAt = new Date().toISOString();
    await broadcasts.checked('ends', checkedAt);
    expect((await broadcasts.get('ends'))?.receiptsCheckedAt).toBe(checkedAt);
    expect((await watchedAs('ends'))?.resumeFrom).toBeUndefined();

    await broadcasts.unwatch('ends');
    expect(await watchedIds()).not.toContain('ends');
    expect((await broadcasts.get('ends'))?.status).toBe('completed');
  });

  it('lists a cancelled broadcast only once its counts are final, and unwatch leaves an active one listed', async () => {
    await aSendingBroadcast('cancelled');
    await broadcasts.setStatus('cancelled', 'cancelled', { cancelledAt: new Date().toISOString() });
    expect(await watchedIds()).not.toContain('cancelled');
    expect(await listed(broadcasts.listActive())).toContain('cancelled');

    await broadcasts.unwatch('cancelled');
    expect(await listed(broadcasts.listActive())).toContain('cancelled');

    await broadcasts.setStatus('cancelled', 'cancelled', { countsFinalAt: new Date().toISOString() });
    expect(await watchedIds()).toContain('cancelled');
    expect(await listed(broadcasts.listActive())).not.toContain('cancelled');
  });
});

describe("a broadcast's SMS records awaiting their receipt", () => {
  beforeAll(async () => {
    for (let index = 0; index < 40; index++) await aRecord('awaiting', 'sms', `sent-${index}`, 'sent');
    await aRecord('awaiting', 'sms', 'delivered', 'delivered');
    await aRecord('awaiting', 'sms', 'queued', 'queued');
    await aRecord('awaiting', 'x', 'en', 'sent');
    await aRecord('another', 'sms', 'sent-elsewhere', 'sent');
  });

  it('are its SMS records still sent, from every shard, and no other', async () => {
    const awaiting = await read(ledger.awaitingReceipt('awaiting'));

    const sent = Array.from({ length: 40 }, (_, index) => `sent-${index}`);
    expect(awaiting.map(({ record }) => record.recipientId).sort()).toEqual(sent.sort());
    expect(awaiting[0]?.record).toMatchObject({ status: 'sent', provider: 'twilio' });
    expect(awaiting.every(({ record }) => record.providerId === `SM-${record.recipientId}`)).toBe(true);
  });

  it('go on from the very record a position names, reading none before it again', async () => {
    const all = await read(ledger.awaitingReceipt('awaiting'));
    const index = Math.floor(all.length / 2);
    const middle = all[index];
    if (!middle) throw new Error('No records awaiting');

    const rest = await read(ledger.awaitingReceipt('awaiting', middle.position));

    expect(rest.map(({ record }) => record.recipientId)).toEqual(
      all.slice(index).map(({ record }) => record.recipientId),
    );
  });
});
