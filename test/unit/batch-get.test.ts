import {
  BatchGetCommand,
  type BatchGetCommandInput,
  DynamoDBDocumentClient,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { getAll } from '#shared/adapters/dynamodb/batch-get.ts';
import { DynamoBroadcastStore } from '#shared/adapters/dynamodb/broadcast-store.ts';
import { DynamoCustomerDirectory } from '#shared/adapters/dynamodb/customer-directory.ts';
import { DynamoDeliveryStore } from '#shared/adapters/dynamodb/delivery-store.ts';
import { UNPROCESSED_RETRY } from '#shared/adapters/dynamodb/unprocessed.ts';
import { mockClientForFile } from '#test/support/aws-client-mock.ts';
import { stubTableEnvironment } from '#test/support/table-env.ts';

const TABLE = 'customers';
const dynamoMock = mockClientForFile(DynamoDBDocumentClient);

const key = (id: string) => ({ customerId: id });
const keysAsked = () =>
  dynamoMock
    .commandCalls(BatchGetCommand)
    .map(({ args: [command] }) => (command.input as BatchGetCommandInput).RequestItems?.[TABLE]?.Keys);

beforeEach(() => {
  dynamoMock.reset();
  stubTableEnvironment();
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('getAll (BatchGetItem)', () => {
  it('asks again for the keys DynamoDB left unprocessed, after a growing backoff, until every key is read', async () => {
    // The longest wait the policy allows each time: 50 ms, then 100 ms.
    vi.spyOn(Math, 'random').mockReturnValue(1);
    dynamoMock
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { [TABLE]: [{ customerId: 'a' }] },
        UnprocessedKeys: { [TABLE]: { Keys: [key('b'), key('c')] } },
      })
      .resolvesOnce({
        Responses: { [TABLE]: [{ customerId: 'b' }] },
        UnprocessedKeys: { [TABLE]: { Keys: [key('c')] } },
      })
      .resolvesOnce({ Responses: { [TABLE]: [{ customerId: 'c' }] } });

    const started = performance.now();
    const items = await getAll(TABLE, [key('a'), key('b'), key('c')]);
    const waited = performance.now() - started;

    expect(items.map((item) => item.customerId).sort()).toEqual(['a', 'b', 'c']);
    expect(keysAsked()).toEqual([[key('a'), key('b'), key('c')], [key('b'), key('c')], [key('c')]]);
    expect(waited).toBeGreaterThanOrEqual(UNPROCESSED_RETRY.baseDelayMs * (1 + 2) - 5);
  });

  it('fails, naming the table, when keys are still unprocessed after the last try', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    dynamoMock.on(BatchGetCommand).resolves({ UnprocessedKeys: { [TABLE]: { Keys: [key('a')] } } });

    await expect(getAll(TABLE, [key('a')])).rejects.toThrow(`BatchGet from ${TABLE} left 1 keys unprocessed`);
    expect(keysAsked()).toHaveLength(UNPROCESSED_RETRY.attempts);
  });

  it('reads 100 keys a request', async () => {
    dynamoMock.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });

    await getAll(
      TABLE,
      Array.from({ length: 250 }, (_, index) => key(String(index))),
    );

    expect(keysAsked().map((keys) => keys?.length)).toEqual([100, 100, 50]);
  });
});

describe('the stores read through getAll', () => {
  const oneUnprocessedThen = (
    table: string,
    item: Record<string, unknown>,
    unprocessed: Record<string, unknown>,
  ) =>
    dynamoMock
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { [table]: [] }, UnprocessedKeys: { [table]: { Keys: [unprocessed] } } })
      .resolvesOnce({ Responses: { [table]: [item] } });

  it('a page of an incident’s broadcasts keeps the broadcasts DynamoDB first left unprocessed', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const table = process.env.HERALD_TABLE ?? '';
    const meta = {
      pk: 'BROADCAST#b1',
      sk: 'META',
      id: 'b1',
      incidentId: 'i1',
      status: 'completed',
      channels: [],
    };
    oneUnprocessedThen(table, meta, { pk: 'BROADCAST#b1', sk: 'META' });
    dynamoMock
      .on(QueryCommand)
      .resolves({ Items: [{ pk: 'INCIDENT#i1', sk: 'BROADCAST#b1', broadcastId: 'b1' }] });

    const page = await new DynamoBroadcastStore().listByIncident('i1', { limit: 10 });

    expect(page.items.map((broadcast) => broadcast.id)).toEqual(['b1']);
  });

  it('customers come back whole after an unprocessed first answer', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    oneUnprocessedThen(process.env.CUSTOMERS_TABLE ?? '', { customerId: 'c1' }, { customerId: 'c1' });

    const customers = await new DynamoCustomerDirectory().getMany(['c1']);

    expect(customers.map((customer) => customer.customerId)).toEqual(['c1']);
  });

  it('delivery records come back whole after an unprocessed first answer', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const record = { broadcastId: 'b1', sk: 'sms#c1', channel: 'sms', recipientId: 'c1', status: 'queued' };
    oneUnprocessedThen(process.env.DELIVERIES_TABLE ?? '', record, { broadcastId: 'b1', sk: 'sms#c1' });

    const records = await new DynamoDeliveryStore().getMany('b1', 'sms', ['c1']);

    expect(records.map((found) => found.recipientId)).toEqual(['c1']);
  });
});

describe('the SMS batch’s read of its delivery records', () => {
  it('is strongly consistent: the records were written moments before, by the planner or the batch that handed them on', async () => {
    const table = process.env.DELIVERIES_TABLE ?? '';
    dynamoMock.on(BatchGetCommand).resolves({ Responses: { [table]: [] } });

    await new DynamoDeliveryStore().getMany('b1', 'sms', ['c1', 'c2']);

    const consistency = dynamoMock
      .commandCalls(BatchGetCommand)
      .map(
        ({ args: [command] }) =>
          (command.input as BatchGetCommandInput).RequestItems?.[table]?.ConsistentRead,
      );
    expect(consistency).toEqual([true]);
  });
});
