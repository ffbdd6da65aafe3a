/**
 * The capacity-accounting middleware on a real DynamoDB client whose HTTP handler answers as
 * DynamoDB would. aws-sdk-client-mock cannot be used here: it replaces the client's `send`, so
 * no middleware runs; the fake handler sits below the middleware stack and sees the very request
 * body the SDK would send.
 */
import { DescribeTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { CapacityAccumulator, recordConsumedCapacity } from '#shared/adapters/consumed-capacity.ts';

const DELIVERIES = 'deliveries';
const MAIN = 'main';
const KEYS: Record<string, readonly string[]> = { [DELIVERIES]: ['broadcastId', 'sk'], [MAIN]: ['pk', 'sk'] };

interface SentRequest {
  operation: string;
  body: Record<string, unknown>;
}

/** A DynamoDB client with the middleware, answering each operation with `replies[operation]` (or `{}`). */
function fakeDynamoDb(now: () => number) {
  const sent: SentRequest[] = [];
  const replies: Record<string, unknown> = {};
  const failures = new Set<string>();
  const client = new DynamoDBClient({
    region: 'eu-north-1',
    endpoint: 'http://dynamodb.test',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: {
      async handle(request: { headers: Record<string, string>; body?: unknown }) {
        const operation = (request.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
        sent.push({ operation, body: JSON.parse(String(request.body)) as Record<string, unknown> });
        const failed = failures.has(operation);
        const body = failed
          ? {
              __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException',
              message: 'The conditional request failed',
            }
          : (replies[operation] ?? {});
        return {
          response: {
            statusCode: failed ? 400 : 200,
            headers: { 'content-type': 'application/x-amz-json-1.0' },
            body: new TextEncoder().encode(JSON.stringify(body)),
          },
        };
      },
    },
  });
  const accumulator = new CapacityAccumulator(now);
  recordConsumedCapacity(client, accumulator, (table) => KEYS[table]);
  return { client, documents: DynamoDBDocumentClient.from(client), accumulator, sent, replies, failures };
}

let clock = 0;
const now = () => clock;
let dynamo: ReturnType<typeof fakeDynamoDb>;
beforeEach(() => {
  clock = Date.parse('2026-12-01T00:00:00.000Z');
  dynamo = fakeDynamoDb(now);
});

describe('the consumed-capacity middleware', () => {
  it('asks for TOTAL consumed capacity on every item and query request, and not on DescribeTable', async () => {
    const { documents, client, sent } = dynamo;
    const key = { broadcastId: 'B1', sk: 'sms#C1' };

    await documents.send(new PutCommand({ TableName: DELIVERIES, Item: { ...key, status: 'planned' } }));
    await documents.send(new GetCommand({ TableName: DELIVERIES, Key: key }));
    await documents.send(
      new UpdateCommand({
        TableName: DELIVERIES,
        Key: key,
        UpdateExpression: 'SET #s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': 'sent' },
      }),
    );
    await documents.send(new DeleteCommand({ TableName: DELIVERIES, Key: key }));
    await documents.send(
      new QueryCommand({
        TableName: DELIVERIES,
        KeyConditionExpression: 'broadcastId = :b',
        ExpressionAttributeValues: { ':b': 'B1' },
      }),
    );
    await documents.send(new BatchGetCommand({ RequestItems: { [DELIVERIES]: { Keys: [key] } } }));
    await documents.send(
      new BatchWriteCommand({ RequestItems: { [DELIVERIES]: [{ PutRequest: { Item: key } }] } }),
    );
    await documents.send(
      new TransactWriteCommand({ TransactItems: [{ Put: { TableName: DELIVERIES, Item: key } }] }),
    );
    await client.send(new DescribeTableCommand({ TableName: DELIVERIES }));

    expect(sent.map(({ operation, body }) => [operation, body.ReturnConsumedCapacity])).toEqual([
      ['PutItem', 'TOTAL'],
      ['GetItem', 'TOTAL'],
      ['UpdateItem', 'TOTAL'],
      ['DeleteItem', 'TOTAL'],
      ['Query', 'TOTAL'],
      ['BatchGetItem', 'TOTAL'],
      ['BatchWriteItem', 'TOTAL'],
      ['TransactWriteItems', 'TOTAL'],
      ['DescribeTable', undefined],
    ]);
    expect(dynamo.accumulator.report().requests).toBe(9);
  });

  it('adds CapacityUnits as read or write units by operation, and the read/write split when DynamoDB gives it', async () => {
    const { documents, replies, accumulator } = dynamo;
    const key = { broadcastId: 'B1', sk: 'sms#C1' };
    replies.GetItem = { ConsumedCapacity: { TableName: DELIVERIES, CapacityUnits: 0.5 } };
    replies.Query = { Items: [], Count: 0, ConsumedCapacity: { TableName: DELIVERIES, CapacityUnits: 1.5 } };
    replies.PutItem = { ConsumedCapacity: { TableName: DELIVERIES, CapacityUnits: 1 } };
    replies.TransactWriteItems = {
      ConsumedCapacity: [
        { TableName: DELIVERIES, CapacityUnits: 2, WriteCapacityUnits: 2 },
        { TableName: MAIN, CapacityUnits: 3, ReadCapacityUnits: 1, WriteCapacityUnits: 2 },
      ],
    };

    await documents.send(new GetCommand({ TableName: DELIVERIES, Key: key }));
    await documents.send(
      new QueryCommand({
        TableName: DELIVERIES,
        KeyConditionExpression: 'broadcastId = :b',
        ExpressionAttributeValues: { ':b': 'B1' },
      }),
    );
    await documents.send(new PutCommand({ TableName: DELIVERIES, Item: key }));
    await documents.send(
      new TransactWriteCommand({ TransactItems: [{ Put: { TableName: DELIVERIES, Item: key } }] }),
    );

    expect(accumulator.report()).toMatchObject({
      readUnits: 0.5 + 1.5 + 1,
      writeUnits: 1 + 2 + 2,
      requests: 4,
    });
  });

  it("takes a transaction's write units as at least 2 per item it writes: DynamoDB Local says 2 per table", async () => {
    const { documents, replies, accumulator } = dynamo;
    const counter = { pk: 'BROADCAST#B1', sk: 'META' };
    // What DynamoDB Local answers for ten Puts and an Update; DynamoDB would charge 20 and 2.
    replies.TransactWriteItems = { ConsumedCapacity: [{ TableName: DELIVERIES, CapacityUnits: 2 }] };

    await documents.send(
      new TransactWriteCommand({
        TransactItems: [
          ...Array.from({ length: 10 }, (_, index) => ({
            Put: { TableName: DELIVERIES, Item: { broadcastId: 'B1', sk: `sms#C${index}` } },
          })),
          {
            Update: {
              TableName: MAIN,
              Key: counter,
              UpdateExpression: 'ADD planned :ten',
              ExpressionAttributeValues: { ':ten': 10 },
            },
          },
          {
            ConditionCheck: {
              TableName: MAIN,
              Key: { pk: 'INCIDENT#I1', sk: 'META' },
              ConditionExpression: 'attribute_exists(pk)',
            },
          },
        ],
      }),
    );

    expect(accumulator.report()).toMatchObject({ writeUnits: 20 + 2, readUnits: 0 });
  });

  it('counts one write per item a request writes: Put, Update, Delete, each TransactWrite write, each BatchWrite item DynamoDB took', async () => {
    const { documents, client, replies, accumulator } = dynamo;
    const counter = { pk: 'BROADCAST#B1', sk: 'META' };
    const record = (customer: string) => ({ broadcastId: 'B1', sk: `sms#${customer}` });
    // DynamoDB left the counter's put unprocessed: it is not a write.
    replies.BatchWriteItem = {
      UnprocessedItems: {
        [MAIN]: [{ PutRequest: { Item: { pk: { S: 'BROADCAST#B1' }, sk: { S: 'META' } } } }],
      },
    };

    await documents.send(new PutCommand({ TableName: MAIN, Item: { ...counter, planned: 0 } }));
    await documents.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: DELIVERIES, Item: { ...record('C1'), status: 'planned' } } },
          {
            Update: {
              TableName: MAIN,
              Key: counter,
              UpdateExpression: 'ADD planned :one',
              ExpressionAttributeValues: { ':one': 1 },
            },
          },
          { ConditionCheck: { TableName: MAIN, Key: counter, ConditionExpression: 'attribute_exists(pk)' } },
        ],
      }),
    );
    await documents.send(
      new UpdateCommand({
        TableName: MAIN,
        Key: counter,
        UpdateExpression: 'ADD sent :one',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
    await documents.send(
      new BatchWriteCommand({
        RequestItems: {
          [DELIVERIES]: [{ PutRequest: { Item: record('C2') } }],
          [MAIN]: [{ PutRequest: { Item: { ...counter, planned: 2 } } }],
        },
      }),
    );
    await documents.send(new DeleteCommand({ TableName: DELIVERIES, Key: record('C2') }));
    // The low-level client's marshalled form names the same item.
    await client.send(
      new PutItemCommand({
        TableName: MAIN,
        Item: { pk: { S: 'BROADCAST#B1' }, sk: { S: 'META' }, planned: { N: '1' } },
      }),
    );

    const report = accumulator.report();
    expect(report.hottestItem).toEqual({ key: 'main pk=BROADCAST#B1 sk=META', writes: 4 });
    expect(report.hottestPartition).toEqual({ key: 'main pk=BROADCAST#B1', writes: 4 });
    // All of one second: the counter item's four writes are the peak.
    expect(report.busiestItemSecond).toEqual({ key: 'main pk=BROADCAST#B1 sk=META', writes: 4 });
  });

  it('counts a failed request but adds no units or item writes for it', async () => {
    const { documents, failures, accumulator } = dynamo;
    failures.add('PutItem');

    await expect(
      documents.send(
        new PutCommand({
          TableName: DELIVERIES,
          Item: { broadcastId: 'B1', sk: 'sms#C1' },
          ConditionExpression: 'attribute_not_exists(sk)',
        }),
      ),
    ).rejects.toThrow('The conditional request failed');

    expect(accumulator.report()).toEqual({
      readUnits: 0,
      writeUnits: 0,
      requests: 1,
      hottestItem: null,
      busiestItemSecond: null,
      hottestPartition: null,
    });
  });
});

describe('CapacityAccumulator', () => {
  it('takes the peak of one item within one wall-clock second, not over a sliding second', () => {
    const accumulator = new CapacityAccumulator(now);
    const second = clock;
    const write = (at: number, key: string) => {
      clock = second + at;
      accumulator.addItemWrite(key, undefined);
    };

    for (const at of [0, 100, 200]) write(at, 'A');
    // Four writes of B within 150 ms, but two in each second.
    for (const at of [900, 950, 1_000, 1_050]) write(at, 'B');

    expect(accumulator.report().busiestItemSecond).toEqual({ key: 'A', writes: 3 });
    expect(accumulator.report().hottestItem).toEqual({ key: 'B', writes: 4 });
  });

  it('counts a write reported late in the second it was made', () => {
    const accumulator = new CapacityAccumulator(now);
    const second = Math.floor(clock / 1000) * 1000;

    // Two instances report their writes of one item in turns, each a little after making them.
    for (const at of [0, 100, 1_200, 200, 300, 1_300, 400]) accumulator.addItemWrite('A', 'A', second + at);

    expect(accumulator.report().busiestItemSecond).toEqual({ key: 'A', writes: 5 });
  });

  it('counts the hottest item exactly among 200,000 items written once', () => {
    const accumulator = new CapacityAccumulator(now);

    for (let index = 0; index < 200_000; index++) {
      accumulator.addItemWrite(`cold ${index}`, 'cold');
      if (index % 4 === 0) accumulator.addItemWrite('hot', 'hot');
    }

    expect(accumulator.report().hottestItem).toEqual({ key: 'hot', writes: 50_000 });
    expect(accumulator.report().hottestPartition).toEqual({ key: 'cold', writes: 200_000 });
  });

  it('starts again from zero after reset', () => {
    const accumulator = new CapacityAccumulator(now);
    accumulator.countRequest();
    accumulator.addUnits('write', 2);
    accumulator.addItemWrite('A', 'A');

    accumulator.reset();

    expect(accumulator.report()).toEqual({
      readUnits: 0,
      writeUnits: 0,
      requests: 0,
      hottestItem: null,
      busiestItemSecond: null,
      hottestPartition: null,
    });
  });
});
