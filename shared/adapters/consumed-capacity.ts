/**
 * Capacity accounting for the DynamoDB client: a middleware makes every request that can ask for
 * it ask for `ReturnConsumedCapacity: 'TOTAL'`, and reports what DynamoDB answers to a sink: read
 * and write units, requests, and the writes of each item a request names (Put, Update, Delete,
 * each TransactWrite and BatchWrite item). The process's client reports to a diagnostics channel,
 * which costs nothing while nobody listens (in Lambda); the local stack listens in every function
 * instance and adds it all up in one accumulator for the benchmark.
 *
 * DynamoDB Local answers TransactWriteItems with 2 units per table whatever the number of items
 * (10 Puts: 2; DynamoDB charges 20). A transaction's write units are therefore taken as at least
 * 2 per item written (DynamoDB's price of a transactional write of up to 1 KB): exact for Herald's
 * small items, and never below what DynamoDB itself reports.
 */
import { channel } from 'node:diagnostics_channel';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** What the accumulator has seen since it started or was last reset. */
export interface CapacityReport {
  readUnits: number;
  writeUnits: number;
  /** Every request sent through the client, answered or failed (one retried by the SDK counts once). */
  requests: number;
  /** The item written most often (table and primary key), `null` before the first item write. */
  hottestItem: { key: string; writes: number } | null;
  /**
   * The item that took the most writes within one wall-clock second, and those writes: not
   * always the item written most in all (a rate limiter's window is written only in its own).
   */
  busiestItemSecond: { key: string; writes: number } | null;
  /** The partition key value written most often (every item under it together). */
  hottestPartition: { key: string; writes: number } | null;
}

/** The key attribute names of a table, partition key first; `undefined` for a table it does not know. */
export type KeyAttributesOf = (tableName: string) => readonly string[] | undefined;

type Units = 'read' | 'write';

/**
 * The commands that take `ReturnConsumedCapacity`, with the units a bare `CapacityUnits` stands
 * for (DynamoDB Local reports only that; DynamoDB also says `ReadCapacityUnits` and
 * `WriteCapacityUnits`, used when present). PartiQL's kind depends on the statement.
 */
const COMMANDS: Record<string, Units | 'statement'> = {
  GetItemCommand: 'read',
  BatchGetItemCommand: 'read',
  QueryCommand: 'read',
  ScanCommand: 'read',
  TransactGetItemsCommand: 'read',
  PutItemCommand: 'write',
  UpdateItemCommand: 'write',
  DeleteItemCommand: 'write',
  BatchWriteItemCommand: 'write',
  TransactWriteItemsCommand: 'write',
  ExecuteStatementCommand: 'statement',
  BatchExecuteStatementCommand: 'statement',
  ExecuteTransactionCommand: 'statement',
};

/**
 * Writes counted per key with bounded memory (lossy counting, Manku and Motwani 2002): after every
 * WINDOW writes, keys written less than about once per window since they were first seen are
 * dropped. A broadcast writes each delivery record a few times and its hot items thousands of
 * times, so the hot ones stay, counted exactly from their first write, while the map holds tens of
 * thousands of keys at most, whatever the number of recipients.
 */
const WINDOW = 10_000;

class WriteCounts {
  #entries = new Map<string, { writes: number; missedAtMost: number }>();
  #seen = 0;

  add(key: string): void {
    this.#seen += 1;
    const window = Math.ceil(this.#seen / WINDOW);
    const entry = this.#entries.get(key);
    if (entry) entry.writes += 1;
    else this.#entries.set(key, { writes: 1, missedAtMost: window - 1 });
    if (this.#seen % WINDOW !== 0) return;
    for (const [candidate, { writes, missedAtMost }] of this.#entries) {
      if (writes + missedAtMost <= window) this.#entries.delete(candidate);
    }
  }

  top(): { key: string; writes: number } | null {
    let top: { key: string; writes: number } | null = null;
    for (const [key, { writes }] of this.#entries) if (!top || writes > top.writes) top = { key, writes };
    return top;
  }
}

/** Where the middleware reports: an accumulator, or the channel that carries its reports to one. */
export interface CapacitySink {
  countRequest(): void;
  addUnits(units: Units, amount: number): void;
  /** One write of one item; `partitionKey` when the table's key schema is known. */
  addItemWrite(itemKey: string, partitionKey: string | undefined): void;
}

/** One report on the channel; an item write carries its time, as it may be added up later elsewhere. */
export type CapacityEvent =
  | { kind: 'request' }
  | { kind: 'units'; units: Units; amount: number }
  | { kind: 'item'; itemKey: string; partitionKey: string | undefined; at: number };

/** The diagnostics channel the process's DynamoDB client reports its consumed capacity on. */
export const capacityChannel = channel('herald:dynamodb-consumed-capacity');

/** A sink publishing each report on `capacityChannel`, or doing nothing when nobody subscribes. */
export const capacityChannelSink: CapacitySink = {
  countRequest: () => publish({ kind: 'request' }),
  addUnits: (units, amount) => publish({ kind: 'units', units, amount }),
  addItemWrite: (itemKey, partitionKey) => publish({ kind: 'item', itemKey, partitionKey, at: Date.now() }),
};

function publish(event: CapacityEvent): void {
  if (capacityChannel.hasSubscribers) capacityChannel.publish(event);
}

/**
 * How late an item write may be added and still count in its own second: function instances
 * report their writes a few times a second, so writes arrive out of order across instances.
 */
const LATE_WRITE_SECONDS = 5;

/** Sums what the middleware reports, directly or as events from the channel. */
export class CapacityAccumulator implements CapacitySink {
  readonly #now: () => number;
  #readUnits = 0;
  #writeUnits = 0;
  #requests = 0;
  #items = new WriteCounts();
  #partitions = new WriteCounts();
  /** Writes per item in each recent second, by the second's epoch number. */
  #writesBySecond = new Map<number, Map<string, number>>();
  #peak: { key: string; writes: number } | null = null;

  /** `now` in epoch milliseconds; a test passes a fake clock. */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  countRequest(): void {
    this.#requests += 1;
  }

  addUnits(units: Units, amount: number): void {
    if (units === 'read') this.#readUnits += amount;
    else this.#writeUnits += amount;
  }

  /** One write of one item; `partitionKey` when the table's key schema is known; `at` when it was written. */
  addItemWrite(itemKey: string, partitionKey: string | undefined, at = this.#now()): void {
    this.#items.add(itemKey);
    if (partitionKey !== undefined) this.#partitions.add(partitionKey);
    const second = Math.floor(at / 1000);
    let writesThisSecond = this.#writesBySecond.get(second);
    if (!writesThisSecond) {
      writesThisSecond = new Map();
      this.#writesBySecond.set(second, writesThisSecond);
      for (const earlier of this.#writesBySecond.keys()) {
        if (earlier < second - LATE_WRITE_SECONDS) this.#writesBySecond.delete(earlier);
      }
    }
    const writes = (writesThisSecond.get(itemKey) ?? 0) + 1;
    writesThisSecond.set(itemKey, writes);
    if (writes > (this.#peak?.writes ?? 0)) this.#peak = { key: itemKey, writes };
  }

  /** Adds one report from the channel. */
  add(event: CapacityEvent): void {
    if (event.kind === 'request') this.countRequest();
    else if (event.kind === 'units') this.addUnits(event.units, event.amount);
    else this.addItemWrite(event.itemKey, event.partitionKey, event.at);
  }

  report(): CapacityReport {
    return {
      readUnits: this.#readUnits,
      writeUnits: this.#writeUnits,
      requests: this.#requests,
      hottestItem: this.#items.top(),
      busiestItemSecond: this.#peak,
      hottestPartition: this.#partitions.top(),
    };
  }

  /** Starts again from zero (the benchmark, before each run). */
  reset(): void {
    this.#readUnits = 0;
    this.#writeUnits = 0;
    this.#requests = 0;
    this.#items = new WriteCounts();
    this.#partitions = new WriteCounts();
    this.#writesBySecond.clear();
    this.#peak = null;
  }
}

type Attributes = Record<string, unknown>;
interface ConsumedCapacityEntry {
  TableName?: string;
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

const isObject = (value: unknown): value is Attributes => typeof value === 'object' && value !== null;

/** A key attribute's value, marshalled (`{ S: 'x' }`, the low-level client) or not (the document client). */
function keyValue(value: unknown): string | undefined {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint')
    return String(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (!isObject(value)) return undefined;
  if (typeof value.S === 'string') return value.S;
  if (typeof value.N === 'string') return value.N;
  if (value.B instanceof Uint8Array) return Buffer.from(value.B).toString('base64');
  return undefined;
}

/** One item a write names: the whole item (Put) or its key (Update, Delete). */
interface NamedItem {
  table: string;
  attributes: Attributes;
  isKey: boolean;
}

function itemKeys(
  { table, attributes, isKey }: NamedItem,
  keyAttributesOf: KeyAttributesOf,
): { item: string; partition: string | undefined } | undefined {
  const schema = keyAttributesOf(table);
  // Without the table's schema a Key still names the item; a Put's item does not say which attributes are its key.
  const names = schema ?? (isKey ? Object.keys(attributes).sort() : undefined);
  if (!names || names.length === 0) return undefined;
  const parts: string[] = [];
  for (const name of names) {
    const value = keyValue(attributes[name]);
    if (value === undefined) return undefined;
    parts.push(`${name}=${value}`);
  }
  return { item: `${table} ${parts.join(' ')}`, partition: schema ? `${table} ${parts[0]}` : undefined };
}

function* writtenItems(
  command: string,
  input: Attributes,
  output: Attributes,
  keyAttributesOf: KeyAttributesOf,
): Generator<NamedItem> {
  const table = typeof input.TableName === 'string' ? input.TableName : '';
  if (command === 'PutItemCommand' && isObject(input.Item)) {
    yield { table, attributes: input.Item, isKey: false };
  } else if ((command === 'UpdateItemCommand' || command === 'DeleteItemCommand') && isObject(input.Key)) {
    yield { table, attributes: input.Key, isKey: true };
  } else if (command === 'TransactWriteItemsCommand' && Array.isArray(input.TransactItems)) {
    for (const transactItem of input.TransactItems as unknown[]) {
      if (!isObject(transactItem)) continue;
      const { Put, Update, Delete } = transactItem;
      if (isObject(Put) && isObject(Put.Item)) {
        yield { table: String(Put.TableName), attributes: Put.Item, isKey: false };
      }
      for (const write of [Update, Delete]) {
        if (isObject(write) && isObject(write.Key)) {
          yield { table: String(write.TableName), attributes: write.Key, isKey: true };
        }
      }
    }
  } else if (command === 'BatchWriteItemCommand' && isObject(input.RequestItems)) {
    yield* batchWrites(input.RequestItems, output.UnprocessedItems, keyAttributesOf);
  }
}

/** The items of a BatchWrite that DynamoDB took: the requested ones less its UnprocessedItems. */
function* batchWrites(
  requested: Attributes,
  unprocessed: unknown,
  keyAttributesOf: KeyAttributesOf,
): Generator<NamedItem> {
  const requests = (requestItems: unknown): NamedItem[] =>
    Object.entries(isObject(requestItems) ? requestItems : {}).flatMap(([table, writes]) =>
      (Array.isArray(writes) ? (writes as unknown[]) : []).flatMap((write): NamedItem[] => {
        if (!isObject(write)) return [];
        const { PutRequest, DeleteRequest } = write;
        if (isObject(PutRequest) && isObject(PutRequest.Item))
          return [{ table, attributes: PutRequest.Item, isKey: false }];
        if (isObject(DeleteRequest) && isObject(DeleteRequest.Key))
          return [{ table, attributes: DeleteRequest.Key, isKey: true }];
        return [];
      }),
    );
  const skipped = new Map<string, number>();
  // By key where the schema is known: UnprocessedItems need not repeat the item attribute for attribute.
  const fingerprint = (item: NamedItem) =>
    itemKeys(item, keyAttributesOf)?.item ??
    `${item.table}\u0000${JSON.stringify(
      Object.keys(item.attributes)
        .sort()
        .map((name) => keyValue(item.attributes[name])),
    )}`;
  for (const item of requests(unprocessed)) {
    const key = fingerprint(item);
    skipped.set(key, (skipped.get(key) ?? 0) + 1);
  }
  for (const item of requests(requested)) {
    const key = fingerprint(item);
    const left = skipped.get(key) ?? 0;
    if (left > 0) skipped.set(key, left - 1);
    else yield item;
  }
}

function unitsOf(kind: Units | 'statement', input: Attributes): Units {
  if (kind !== 'statement') return kind;
  // ExecuteStatement carries one statement; the batch and transaction forms count as writes when any statement writes.
  const statements = [
    input.Statement,
    ...(Array.isArray(input.Statements) ? input.Statements : []),
    ...(Array.isArray(input.TransactStatements) ? input.TransactStatements : []),
  ].map((statement) => (isObject(statement) ? statement.Statement : statement));
  return statements.some(
    (statement) => typeof statement === 'string' && /^\s*(insert|update|delete)\b/i.test(statement),
  )
    ? 'write'
    : 'read';
}

/** What DynamoDB charges at least for a transactional write of one item (up to 1 KB). */
const TRANSACTIONAL_WRITE_UNITS = 2;

/** Per table, the fewest write units DynamoDB charges for a TransactWriteItems (ConditionChecks left out). */
function transactionFloor(command: string, input: Attributes): Map<string, number> {
  const floor = new Map<string, number>();
  if (command !== 'TransactWriteItemsCommand' || !Array.isArray(input.TransactItems)) return floor;
  for (const transactItem of input.TransactItems as unknown[]) {
    if (!isObject(transactItem)) continue;
    for (const write of [transactItem.Put, transactItem.Update, transactItem.Delete]) {
      if (!isObject(write) || typeof write.TableName !== 'string') continue;
      floor.set(write.TableName, (floor.get(write.TableName) ?? 0) + TRANSACTIONAL_WRITE_UNITS);
    }
  }
  return floor;
}

function addConsumedCapacity(
  sink: CapacitySink,
  units: Units,
  consumed: unknown,
  writeFloor: Map<string, number>,
): void {
  const entries = Array.isArray(consumed) ? (consumed as unknown[]) : [consumed];
  const floorLeft = new Map(writeFloor);
  for (const entry of entries) {
    if (!isObject(entry)) continue;
    const { TableName, CapacityUnits, ReadCapacityUnits, WriteCapacityUnits } =
      entry as ConsumedCapacityEntry;
    const floor = (TableName !== undefined && floorLeft.get(TableName)) || 0;
    if (TableName !== undefined) floorLeft.delete(TableName);
    if (ReadCapacityUnits !== undefined || WriteCapacityUnits !== undefined) {
      sink.addUnits('read', ReadCapacityUnits ?? 0);
      sink.addUnits('write', Math.max(WriteCapacityUnits ?? 0, floor));
    } else if (CapacityUnits !== undefined) {
      sink.addUnits(units, units === 'write' ? Math.max(CapacityUnits, floor) : CapacityUnits);
    }
  }
  // A table written in the transaction that the answer left out.
  for (const floor of floorLeft.values()) sink.addUnits('write', floor);
}

/**
 * Adds the accounting middleware to a DynamoDB client (and so to a document client made from it):
 * 1. counts the request;
 * 2. sets `ReturnConsumedCapacity: 'TOTAL'` on a command that takes it (an explicit `INDEXES`,
 *    which includes the total, is kept);
 * 3. once DynamoDB has answered, adds the consumed units (a transaction's at least 2 per item it
 *    writes) and one write per item the request wrote. A failed request adds nothing: its error
 *    carries no consumed capacity.
 */
export function recordConsumedCapacity(
  client: DynamoDBClient,
  sink: CapacitySink,
  keyAttributesOf: KeyAttributesOf,
): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      sink.countRequest();
      const kind = COMMANDS[context.commandName ?? ''];
      if (!kind) return next(args);
      const given = args.input as Attributes;
      const input: Attributes =
        given.ReturnConsumedCapacity === 'INDEXES' ? given : { ...given, ReturnConsumedCapacity: 'TOTAL' };
      const result = await next({ ...args, input: input as typeof args.input });
      const output: Attributes = isObject(result.output) ? result.output : {};
      const command = context.commandName ?? '';
      addConsumedCapacity(
        sink,
        unitsOf(kind, input),
        output.ConsumedCapacity,
        transactionFloor(command, input),
      );
      for (const item of writtenItems(command, input, output, keyAttributesOf)) {
        const keys = itemKeys(item, keyAttributesOf);
        if (keys) sink.addItemWrite(keys.item, keys.partition);
      }
      return result;
    },
    { step: 'initialize', name: 'heraldConsumedCapacity' },
  );
}
