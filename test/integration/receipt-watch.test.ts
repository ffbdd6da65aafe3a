/**
 * Receipt reconciliation's reads against DynamoDB Local: an ended broadcast moves from the
 * sweeper's sparse key to the receipt watch's and leaves it when unwatched; a broadcast's SMS
 * records still `sent` are found across its ledger shards, and nothing else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningDynamoDb } from '#infra/local/dynamodb-local.ts';
import type { Broadcast, Channel, DeliveryStatus } from '#shared/domain/model.ts';
import type { AwaitingReceipts, ReceiptWatch } from '#shared/ports/receipts.ts';
import type { BroadcastStore, DeliveryStore } from '#shared/ports/stores.ts';
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
  const broadcast: Broadcast = {
    id,
    incidentId: 'incident-1',
    templateId: 'strike-disruption',
    templateVersion: 1,
    variables: {},
    channels: ['sms', 'x'],
    kind: 'initial',
    status: 'sending',
    createdAt: new Date().toISOString(),
    createdBy: 'olli.operator',
    counts: {},
  };
  await broadcasts.create(broadcast);
}

const listed = async (list: AsyncIterable<{ id?: string; recipientId?: string }>) => {
  const ids: string[] = [];
  for await (const item of list) ids.push(item.id ?? item.recipientId ?? '');
  return ids.sort();
};

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
    expect(await listed(broadcasts.watched())).not.toContain('ends');

    await broadcasts.setStatus('ends', 'completed', {
      completedAt: new Date().toISOString(),
      from: ['sending'],
    });
    expect(await listed(broadcasts.listActive())).not.toContain('ends');
    expect(await listed(broadcasts.watched())).toContain('ends');

    const checkedAt = new Date().toISOString();
    await broadcasts.checked('ends', checkedAt);
    expect((await broadcasts.get('ends'))?.receiptsCheckedAt).toBe(checkedAt);

    await broadcasts.unwatch('ends');
    expect(await listed(broadcasts.watched())).not.toContain('ends');
    expect((await broadcasts.get('ends'))?.status).toBe('completed');
  });

  it('lists a cancelled broadcast only once its counts are final, and unwatch leaves an active one listed', async () => {
    await aSendingBroadcast('cancelled');
    await broadcasts.setStatus('cancelled', 'cancelled', { cancelledAt: new Date().toISOString() });
    expect(await listed(broadcasts.watched())).not.toContain('cancelled');
    expect(await listed(broadcasts.listActive())).toContain('cancelled');

    await broadcasts.unwatch('cancelled');
    expect(await listed(broadcasts.listActive())).toContain('cancelled');

    await broadcasts.setStatus('cancelled', 'cancelled', { countsFinalAt: new Date().toISOString() });
    expect(await listed(broadcasts.watched())).toContain('cancelled');
    expect(await listed(broadcasts.listActive())).not.toContain('cancelled');
  });
});

describe("a broadcast's SMS records awaiting their receipt", () => {
  it('are its SMS records still sent, from every shard, and no other', async () => {
    const sent = Array.from({ length: 40 }, (_, index) => `sent-${index}`);
    for (const recipientId of sent) await aRecord('awaiting', 'sms', recipientId, 'sent');
    await aRecord('awaiting', 'sms', 'delivered', 'delivered');
    await aRecord('awaiting', 'sms', 'queued', 'queued');
    await aRecord('awaiting', 'x', 'en', 'sent');
    await aRecord('another', 'sms', 'sent-elsewhere', 'sent');

    const awaiting: { recipientId: string; providerId?: string }[] = [];
    for await (const record of ledger.awaitingReceipt('awaiting')) awaiting.push(record);

    expect(awaiting.map((record) => record.recipientId).sort()).toEqual([...sent].sort());
    expect(awaiting[0]).toMatchObject({
      broadcastId: 'awaiting',
      channel: 'sms',
      status: 'sent',
      provider: 'twilio',
    });
    expect(awaiting.every((record) => record.providerId === `SM-${record.recipientId}`)).toBe(true);
  });
});
