import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { startStreamSource } from '#infra/local/stream-source.ts';

/** What a table with a stream of one empty shard answers, by X-Amz-Target action; GetRecords counted. */
function emptyStream() {
  const reads: number[] = [];
  const answers: Record<string, unknown> = {
    DescribeTable: {
      Table: { TableName: 'ledger', LatestStreamArn: 'arn:aws:dynamodb:local:0:table/ledger/stream/1' },
    },
    DescribeStream: { StreamDescription: { Shards: [{ ShardId: 'shard-1' }] } },
    GetShardIterator: { ShardIterator: 'iterator-1' },
    GetRecords: { Records: [], NextShardIterator: 'iterator-1' },
  };
  const server = createServer((request, response) => {
    request.resume();
    const action = String(request.headers['x-amz-target']).split('.')[1] ?? '';
    if (action === 'GetRecords') reads.push(Date.now());
    response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
    response.end(JSON.stringify(answers[action] ?? {}));
  });
  return { server, reads };
}

let close: (() => Promise<unknown>) | undefined;
afterEach(async () => {
  await close?.();
});

describe('the local stack’s DynamoDB stream source', () => {
  it('reads an idle shard four times a second, as Lambda polls a stream, not ten', async () => {
    const { server, reads } = emptyStream();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const source = await startStreamSource({
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      tableName: 'ledger',
      handler: async () => undefined,
      batchSize: 100,
      batchingWindowMs: 1_000,
      onError: (error) => {
        throw error;
      },
    });
    close = async () => {
      await source.stop();
      server.close();
    };

    await sleep(2_000);

    const pauses = reads.slice(1).map((at, index) => at - (reads[index] ?? at));
    expect(reads.length).toBeGreaterThanOrEqual(4);
    // 250 ms apart, less a timer's slack.
    expect(Math.min(...pauses)).toBeGreaterThanOrEqual(230);
  });
});
