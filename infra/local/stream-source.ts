/**
 * A DynamoDB stream event source for the local stack, as Lambda's event source mapping runs one:
 * polls each shard of a table's stream on DynamoDB Local (DescribeTable, DescribeStream,
 * GetShardIterator, GetRecords), hands each batch to the handler as a stream event, in order,
 * one batch at a time per shard, and retries a failed batch until it succeeds (a handler that
 * counts exactly once makes the retries harmless). A shard is read only once its parent is done.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

export type StreamHandler = (event: DynamoDBStreamEvent & { shardId: string }) => Promise<unknown>;

export interface StreamSourceOptions {
  endpoint: string;
  tableName: string;
  handler: StreamHandler;
  batchSize: number;
  /** Gathers records this long before invoking with a batch that is not full. */
  batchingWindowMs: number;
  onError(error: unknown): void;
}

/**
 * How long a shard that had nothing rests before it is read again: Lambda polls a DynamoDB
 * stream's shards four times a second. Every 100 ms, as before, was a tenth of a core per idle
 * stack between Node and DynamoDB Local, in every test file that starts one.
 */
const IDLE_POLL_MS = 250;
const RETRY_MS = 500;

/** A record as Lambda hands it over: the same fields, the creation time in epoch seconds. */
function lambdaRecord(record: _Record, streamArn: string): DynamoDBRecord {
  const { ApproximateCreationDateTime, ...dynamodb } = record.dynamodb ?? {};
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion,
    eventSourceARN: streamArn,
    dynamodb: {
      ...(dynamodb as NonNullable<DynamoDBRecord['dynamodb']>),
      ...(ApproximateCreationDateTime
        ? { ApproximateCreationDateTime: ApproximateCreationDateTime.getTime() / 1000 }
        : {}),
    },
  };
}

/** Starts polling; `stop` waits for the batch in hand to finish. */
export async function startStreamSource(options: StreamSourceOptions): Promise<{ stop(): Promise<void> }> {
  const config = {
    endpoint: options.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  const tables = new DynamoDBClient(config);
  const streams = new DynamoDBStreamsClient(config);
  const { Table } = await tables.send(new DescribeTableCommand({ TableName: options.tableName }));
  tables.destroy();
  const latestStreamArn = Table?.LatestStreamArn;
  if (!latestStreamArn) throw new Error(`Table ${options.tableName} has no stream`);
  const streamArn: string = latestStreamArn;

  let stopped = false;
  const done = new Set<string>();
  const reading = new Map<string, Promise<void>>();

  const oldest = async (shardId: string) =>
    (
      await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      )
    ).ShardIterator;

  async function readShard(shardId: string): Promise<void> {
    let iterator = await oldest(shardId);
    let gathered: _Record[] = [];
    let windowStart = Date.now();
    while (iterator && !stopped) {
      let page: GetRecordsCommandOutput;
      try {
        page = await streams.send(
          new GetRecordsCommand({ ShardIterator: iterator, Limit: options.batchSize - gathered.length }),
        );
      } catch (error) {
        // DynamoDB Local answers so for an iterator taken while its shard was still empty: start again.
        if (!(error instanceof TrimmedDataAccessException)) throw error;
        iterator = await oldest(shardId);
        await sleep(IDLE_POLL_MS);
        continue;
      }
      gathered.push(...(page.Records ?? []));
      iterator = page.NextShardIterator;
      const full = gathered.length >= options.batchSize;
      const due = Date.now() - windowStart >= options.batchingWindowMs;
      if (gathered.length > 0 && (full || due || !iterator)) {
        const event = { Records: gathered.map((record) => lambdaRecord(record, streamArn)), shardId };
        while (!stopped) {
          try {
            await options.handler(event);
            break;
          } catch (error) {
            options.onError(error);
            await sleep(RETRY_MS);
          }
        }
        gathered = [];
        windowStart = Date.now();
      } else if (gathered.length === 0) {
        windowStart = Date.now();
      }
      if (!full) await sleep(IDLE_POLL_MS);
    }
    if (!iterator) done.add(shardId);
  }

  async function discover(): Promise<void> {
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      const { ShardId: shardId, ParentShardId: parent } = shard;
      if (!shardId || reading.has(shardId) || done.has(shardId)) continue;
      // Children only after their parent: a record's changes stay in order.
      if (parent && reading.has(parent) && !done.has(parent)) continue;
      reading.set(
        shardId,
        readShard(shardId)
          .catch(options.onError)
          .finally(() => reading.delete(shardId)),
      );
    }
  }

  const discovering = (async () => {
    while (!stopped) {
      await discover().catch(options.onError);
      await sleep(1_000);
    }
  })();

  return {
    async stop() {
      stopped = true;
      await discovering;
      await Promise.all(reading.values());
      streams.destroy();
    },
  };
}
