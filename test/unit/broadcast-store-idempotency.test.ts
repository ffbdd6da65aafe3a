/**
 * The DynamoDB adapter's side of Idempotency-Key: one conditional write with the broadcast, a
 * consistent read back when it fails, expired keys counting as absent, and one more write when
 * the key turns out to be free (expired meanwhile, or a conflicting transaction that did not
 * commit it).
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  type GetCommandInput,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoBroadcastStore } from '#shared/adapters/dynamodb/broadcast-store.ts';
import type { Broadcast } from '#shared/domain/model.ts';
import type { IdempotencyClaim } from '#shared/ports/stores.ts';
import { mockClientForFile } from '#test/support/aws-client-mock.ts';
import { stubTableEnvironment } from '#test/support/table-env.ts';

const NOW = Date.parse('2026-12-01T06:00:00.000Z');
const KEY_PK = 'IDEMPOTENCY#olli.operator#incident-1#retry-1';

const broadcast = (id: string): Broadcast => ({
  id,
  incidentId: 'incident-1',
  templateId: 'strike-disruption',
  templateVersion: 1,
  variables: {},
  channels: ['sms'],
  kind: 'initial',
  status: 'queued',
  createdAt: new Date(NOW).toISOString(),
  createdBy: 'olli.operator',
  counts: {},
});

const claim: IdempotencyClaim = {
  user: 'olli.operator',
  incidentId: 'incident-1',
  key: 'retry-1',
  requestHash: 'hash-a',
  expiresAt: new Date(NOW + 86_400_000),
};

const cancelled = (code: 'ConditionalCheckFailed' | 'TransactionConflict') =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: [{ Code: code }, { Code: 'None' }, { Code: 'None' }],
  });

const dynamoDb = mockClientForFile(DynamoDBDocumentClient);

/** The herald table's items by pk, as GetItem reads them; each test says how transactions go. */
function heraldTable() {
  const items = new Map<string, Record<string, unknown>>();
  dynamoDb.reset();
  dynamoDb.on(GetCommand).callsFake((input: GetCommandInput) => ({
    Item: items.get(String(input.Key?.pk)),
  }));
  return { items, dynamoDb };
}

describe('DynamoBroadcastStore with an idempotency key', () => {
  let table: ReturnType<typeof heraldTable>;

  beforeEach(() => {
    stubTableEnvironment();
    vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
    table = heraldTable();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
  });

  it('writes the scoped key, its request hash and its expiry with the broadcast, on condition it is absent or expired', async () => {
    table.dynamoDb.on(TransactWriteCommand).resolves({});

    await expect(new DynamoBroadcastStore().create(broadcast('b1'), claim)).resolves.toMatchObject({
      created: true,
    });

    const [write] = table.dynamoDb.commandCalls(TransactWriteCommand);
    const put = write?.args[0].input.TransactItems?.[0]?.Put;
    expect(put?.Item).toEqual({
      pk: KEY_PK,
      sk: 'META',
      broadcastId: 'b1',
      requestHash: 'hash-a',
      expiresAt: NOW / 1000 + 86_400,
    });
    expect(put?.ConditionExpression).toBe('attribute_not_exists(pk) OR expiresAt <= :now');
    expect(put?.ExpressionAttributeValues).toEqual({ ':now': NOW / 1000 });
  });

  it('answers the broadcast stored under a live key, read consistently, with its request hash', async () => {
    table.items.set(KEY_PK, {
      pk: KEY_PK,
      broadcastId: 'b0',
      requestHash: 'hash-0',
      expiresAt: NOW / 1000 + 60,
    });
    table.items.set('BROADCAST#b0', { pk: 'BROADCAST#b0', sk: 'META', ...broadcast('b0') });
    table.dynamoDb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed'));

    const outcome = await new DynamoBroadcastStore().create(broadcast('b1'), claim);

    expect(outcome).toMatchObject({ created: false, broadcast: { id: 'b0' }, requestHash: 'hash-0' });
    const reads = table.dynamoDb.commandCalls(GetCommand).map((call) => call.args[0].input);
    expect(reads.every((read) => read.ConsistentRead)).toBe(true);
  });

  it('writes once more when the key it lost to turns out free: a conflicting transaction that did not commit it', async () => {
    table.dynamoDb.on(TransactWriteCommand).rejectsOnce(cancelled('TransactionConflict')).resolves({});

    await expect(new DynamoBroadcastStore().create(broadcast('b1'), claim)).resolves.toMatchObject({
      created: true,
      broadcast: { id: 'b1' },
    });
    expect(table.dynamoDb.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('writes once more, and only once, when the key expired between the write and the read', async () => {
    table.items.set(KEY_PK, { pk: KEY_PK, broadcastId: 'b0', requestHash: 'hash-0', expiresAt: NOW / 1000 });
    table.dynamoDb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed'));

    await expect(new DynamoBroadcastStore().create(broadcast('b1'), claim)).rejects.toThrow(
      TransactionCanceledException,
    );
    expect(table.dynamoDb.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('finds nothing under an expired key DynamoDB has not deleted yet', async () => {
    table.items.set(KEY_PK, {
      pk: KEY_PK,
      broadcastId: 'b0',
      requestHash: 'hash-0',
      expiresAt: NOW / 1000 - 1,
    });

    await expect(new DynamoBroadcastStore().findByIdempotencyKey(claim)).resolves.toBeUndefined();
  });
});
