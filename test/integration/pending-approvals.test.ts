/**
 * The comms leads' queue against DynamoDB Local: a held broadcast is found through the sparse
 * `byType` key it is written with, and leaves it with whatever status comes next.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningDynamoDb } from '#infra/local/dynamodb-local.ts';
import type { Broadcast } from '#shared/domain/model.ts';
import type { BroadcastStore } from '#shared/ports/stores.ts';
import { startTestDynamoDb } from '#test/support/dynamodb-local.ts';

let dynamoDb: RunningDynamoDb;
let broadcasts: BroadcastStore;

beforeAll(async () => {
  dynamoDb = await startTestDynamoDb();
  const { DynamoBroadcastStore } = await import('#shared/adapters/dynamodb/broadcast-store.ts');
  broadcasts = new DynamoBroadcastStore();
});
afterAll(async () => {
  await dynamoDb?.stop();
});

const audienceEstimate = {
  recipients: { sms: 12, status: 1 },
  smsByLanguage: { fi: 4, sv: 3, en: 5 },
  countedAt: '2026-12-01T06:00:00.000Z',
  complete: true,
};

async function held(id: string): Promise<void> {
  const broadcast: Broadcast = {
    id,
    incidentId: 'incident-1',
    templateId: 'strike-disruption',
    templateVersion: 1,
    variables: { note: 'Door 3' },
    channels: ['sms', 'status'],
    kind: 'initial',
    status: 'pending_approval',
    createdAt: new Date().toISOString(),
    createdBy: 'olli.operator',
    counts: {},
    audienceEstimate,
  };
  await broadcasts.create(broadcast);
}

const listed = async (list: AsyncIterable<Broadcast>) => {
  const ids: string[] = [];
  for await (const broadcast of list) ids.push(broadcast.id);
  return ids;
};

describe('broadcasts waiting for approval in DynamoDB', () => {
  it('lists a held broadcast with its counted audience, and not once it is approved or cancelled', async () => {
    await held('to-approve');
    await held('to-cancel');
    expect(await listed(broadcasts.listPendingApproval())).toEqual(['to-approve', 'to-cancel']);
    expect((await broadcasts.get('to-approve'))?.audienceEstimate).toEqual(audienceEstimate);

    const approvedAt = new Date().toISOString();
    await broadcasts.setStatus('to-approve', 'queued', {
      from: ['pending_approval'],
      approvedBy: 'kalle.comms',
      approvedAt,
    });
    await broadcasts.setStatus('to-cancel', 'cancelled', { cancelledAt: new Date().toISOString() });

    expect(await listed(broadcasts.listPendingApproval())).toEqual([]);
    expect(await listed(broadcasts.listActive())).toContain('to-approve');
    expect(await broadcasts.get('to-approve')).toMatchObject({ approvedBy: 'kalle.comms', approvedAt });
  });
});
