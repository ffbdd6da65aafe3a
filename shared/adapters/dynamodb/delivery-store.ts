import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  paginateQuery,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/aws.ts';
import { tablesConfig } from '#shared/config.ts';
import { BroadcastClosedError } from '#shared/domain/errors.ts';
import type { Channel, Delivery, DeliveryStatus } from '#shared/domain/model.ts';
import type {
  Claim,
  CountField,
  DeliveryChange,
  DeliveryKey,
  DeliveryQuery,
  DeliveryStore,
  Lease,
  Page,
  TransitionOptions,
} from '#shared/ports/stores.ts';
import { type CounterDeltas, counterUpdate } from './broadcast-store.ts';
import { applied } from './conditional.ts';
import { GroupCommit } from './group-commit.ts';
import { queryPage } from './paginate.ts';

type StoredDelivery = Delivery & { payload?: Record<string, string> };

const BATCH_GET_LIMIT = 100;
/** DynamoDB's limit of items per transaction: records, and one counter item per broadcast. */
const TRANSACTION_ITEMS = 100;
const MAX_CONFLICT_RETRIES = 6;

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** One record's conditional write and the counters it moves. */
interface LedgerWrite {
  write: Required<Pick<TransactItem, 'Put'>> | Required<Pick<TransactItem, 'Update'>>;
  counts?: { key: DeliveryKey; deltas: Partial<Record<CountField, number>> };
}

type CounterOptions = NonNullable<Parameters<typeof counterUpdate>[3]>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const sortKey = (key: DeliveryKey) => `${key.channel}#${key.recipientId}`;

function toDelivery(item: Record<string, unknown>): StoredDelivery {
  const { sk: _sk, ...rest } = item;
  return rest as unknown as StoredDelivery;
}

/**
 * Single moves made at the same time anywhere in this process (every worker's and webhook's
 * store) share transactions (see GroupCommit). One queue for all also keeps a record's moves in
 * the order they were made: a delivery receipt arriving while the worker's `sent` is queued
 * waits for it instead of overtaking it.
 */
let processMoves: GroupCommit<DeliveryChange> | undefined;

/** The delivery ledger: one record per broadcast × channel × recipient, written before any send. */
export class DynamoDeliveryStore implements DeliveryStore {
  private readonly table = tablesConfig().deliveries;
  private readonly heraldTable = tablesConfig().herald;

  async createMany(deliveries: StoredDelivery[]): Promise<StoredDelivery[]> {
    return this.writeEach(
      deliveries,
      (delivery) => ({
        write: {
          Put: {
            TableName: this.table,
            Item: { ...delivery, sk: sortKey(delivery) },
            ConditionExpression: 'attribute_not_exists(sk)',
          },
        },
        counts: { key: delivery, deltas: { recipients: 1 } },
      }),
      // Counted in the same transaction as the broadcast's status is checked: nothing joins a cancelled one.
      { unlessCancelled: true },
    );
  }

  async claim(key: DeliveryKey, lease: Lease): Promise<Claim | undefined> {
    const now = new Date();
    try {
      const { Attributes: before } = await dynamoDb.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { broadcastId: key.broadcastId, sk: sortKey(key) },
          // Every claim may be the one that reaches the provider unrecorded: it stays uncertain
          // from its own time (or an earlier uncertain attempt's) until an outcome is recorded.
          UpdateExpression:
            'SET #status = :sending, leaseOwner = :owner, leaseExpiresAt = :until, updatedAt = :claimedAt, ' +
            'uncertainSince = if_not_exists(uncertainSince, :claimedAt) ADD attempts :one',
          ConditionExpression:
            'attribute_exists(sk) AND (#status = :queued OR (#status = :sending AND ' +
            '(attribute_not_exists(leaseExpiresAt) OR leaseExpiresAt < :nowMs)))',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':queued': 'queued',
            ':owner': lease.owner,
            ':until': lease.expiresAt,
            ':claimedAt': now.toISOString(),
            ':nowMs': now.getTime(),
            ':one': 1,
          },
          ReturnValues: 'ALL_OLD',
        }),
      );
      const earlier = before ? toDelivery(before) : undefined;
      // A record left sending by an older version of Herald has no uncertainSince: its last claim is when.
      const uncertainSince =
        earlier?.uncertainSince ?? (earlier?.status === 'sending' ? earlier.updatedAt : undefined);
      return uncertainSince === undefined ? {} : { uncertainSince };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  async count(broadcastId: string, channel: Channel): Promise<number> {
    let total = 0;
    for await (const page of paginateQuery(
      { client: dynamoDb },
      {
        TableName: this.table,
        KeyConditionExpression: 'broadcastId = :broadcast AND begins_with(sk, :channel)',
        ExpressionAttributeValues: { ':broadcast': broadcastId, ':channel': `${channel}#` },
        Select: 'COUNT',
      },
    )) {
      total += page.Count ?? 0;
    }
    return total;
  }

  async list(broadcastId: string, query: DeliveryQuery): Promise<Page<Delivery>> {
    const page = await queryPage(
      {
        TableName: this.table,
        KeyConditionExpression: 'broadcastId = :broadcast',
        ...(query.status
          ? {
              FilterExpression: '#status = :status',
              ExpressionAttributeValues: { ':broadcast': broadcastId, ':status': query.status },
            }
          : { ExpressionAttributeValues: { ':broadcast': broadcastId } }),
        // Not the payload: what the SMS names (booking, flight) is no business of a listing.
        ProjectionExpression:
          'broadcastId, sk, channel, recipientId, #status, attempts, lastError, updatedAt',
        ExpressionAttributeNames: { '#status': 'status' },
      },
      { attributes: ['broadcastId', 'sk'], partition: { broadcastId } },
      query,
    );
    return { ...page, items: page.items.map(toDelivery) };
  }

  async *unsettled(broadcastId: string): AsyncIterable<StoredDelivery> {
    for await (const page of paginateQuery(
      { client: dynamoDb },
      {
        TableName: this.table,
        KeyConditionExpression: 'broadcastId = :broadcast',
        FilterExpression: '#status IN (:queued, :sending)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':broadcast': broadcastId, ':queued': 'queued', ':sending': 'sending' },
      },
    )) {
      for (const item of page.Items ?? []) yield toDelivery(item);
    }
  }

  async getMany(broadcastId: string, channel: Channel, recipientIds: string[]): Promise<StoredDelivery[]> {
    const found: StoredDelivery[] = [];
    const unique = [...new Set(recipientIds)];
    for (let offset = 0; offset < unique.length; offset += BATCH_GET_LIMIT) {
      let keys: Record<string, unknown>[] = unique
        .slice(offset, offset + BATCH_GET_LIMIT)
        .map((recipientId) => ({ broadcastId, sk: sortKey({ broadcastId, channel, recipientId }) }));
      while (keys.length > 0) {
        const { Responses, UnprocessedKeys } = await dynamoDb.send(
          new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys } } }),
        );
        found.push(...(Responses?.[this.table] ?? []).map(toDelivery));
        keys = UnprocessedKeys?.[this.table]?.Keys ?? [];
      }
    }
    return found;
  }

  async get(broadcastId: string, channel: Channel, recipientId: string): Promise<StoredDelivery | undefined> {
    const { Item } = await dynamoDb.send(
      new GetCommand({
        TableName: this.table,
        Key: { broadcastId, sk: sortKey({ broadcastId, channel, recipientId }) },
      }),
    );
    return Item ? toDelivery(Item) : undefined;
  }

  transition(key: DeliveryKey, to: DeliveryStatus, options: TransitionOptions = {}): Promise<boolean> {
    // Every store of the process writes the same tables, so the first one's writes serve all.
    // Groups of half a transaction: one transaction each, counters included, and a short wait.
    processMoves ??= new GroupCommit<DeliveryChange>(
      (changes) => this.transitionMany(changes),
      TRANSACTION_ITEMS / 2,
      ({ key }) => `${key.broadcastId}#${sortKey(key)}`,
    );
    return processMoves.submit({ ...options, key, to });
  }

  async transitionMany(changes: DeliveryChange[]): Promise<DeliveryChange[]> {
    return this.writeEach(changes, (change) => ({
      write: { Update: this.statusUpdate(change) },
      counts: change.counts && { key: change.key, deltas: change.counts },
    }));
  }

  /** A move out of `sending` (or on from `sent`): the lease ends with it, and so does the uncertainty unless kept. */
  private statusUpdate({ key, to, ...options }: DeliveryChange) {
    const names: Record<string, string> = { '#status': 'status', '#updatedAt': 'updatedAt' };
    const values: Record<string, unknown> = { ':to': to, ':now': new Date().toISOString() };
    const sets = ['#status = :to', '#updatedAt = :now'];
    const removes = ['leaseOwner', 'leaseExpiresAt', ...(options.uncertain ? [] : ['uncertainSince'])];
    for (const field of ['providerId', 'lastError'] as const) {
      const value = options[field];
      if (value === undefined) continue;
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      sets.push(`#${field} = :${field}`);
    }
    let condition = 'attribute_exists(sk)';
    if (options.from) {
      const placeholders = options.from.map((status, index) => {
        values[`:from${index}`] = status;
        return `:from${index}`;
      });
      condition += ` AND #status IN (${placeholders.join(', ')})`;
    }
    if (options.owner !== undefined) {
      values[':owner'] = options.owner;
      condition += ' AND leaseOwner = :owner';
    }
    return {
      TableName: this.table,
      Key: { broadcastId: key.broadcastId, sk: sortKey(key) },
      UpdateExpression: `SET ${sets.join(', ')} REMOVE ${removes.join(', ')}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
  }

  /**
   * Applies each entry's conditional write, with the broadcast counters they move, and returns
   * the entries applied; one whose condition does not hold is left out and changes nothing.
   * Entries share transactions that also carry their summed counter deltas, so records and
   * counters move together and a batch costs one request, not one each.
   */
  private async writeEach<T>(
    entries: T[],
    toWrite: (entry: T) => LedgerWrite,
    counters: CounterOptions = {},
  ): Promise<T[]> {
    const applied: T[] = [];
    const writes = entries.map((entry) => ({ entry, ...toWrite(entry) }));
    for (const chunk of transactionChunks(writes)) {
      let pending = chunk;
      for (let conflicts = 0; pending.length > 0; ) {
        const outcome = await this.tryWrite(pending, counters);
        if (outcome === 'applied') {
          applied.push(...pending.map(({ entry }) => entry));
          break;
        }
        if (outcome === 'conflict') {
          // Another transaction held an item (the broadcast's counters, usually): back off and retry.
          if (++conflicts > MAX_CONFLICT_RETRIES) throw new Error('Ledger transaction kept conflicting');
          await sleep(Math.random() * 20 * 2 ** conflicts);
          continue;
        }
        // Those whose condition failed were handled already; the rest are written again without them.
        pending = pending.filter((_, index) => !outcome.has(index));
      }
    }
    return applied;
  }

  /** One request: 'applied', 'conflict', or the indexes of the writes whose condition failed. */
  private async tryWrite(
    writes: LedgerWrite[],
    counterOptions: CounterOptions,
  ): Promise<'applied' | 'conflict' | Set<number>> {
    const counters = summedCounters(this.heraldTable, writes, counterOptions);
    const [only] = writes;
    if (only && writes.length === 1 && counters.length === 0) {
      const { write } = only;
      const single = () =>
        'Put' in write
          ? dynamoDb.send(new PutCommand(write.Put))
          : dynamoDb.send(new UpdateCommand(write.Update));
      return (await applied(single)) ? 'applied' : new Set([0]);
    }
    try {
      await dynamoDb.send(
        new TransactWriteCommand({
          TransactItems: [...writes.map(({ write }) => write), ...counters.map((Update) => ({ Update }))],
        }),
      );
      return 'applied';
    } catch (error) {
      const reasons = error instanceof TransactionCanceledException ? error.CancellationReasons : undefined;
      if (!reasons) throw error;
      if (reasons.slice(writes.length).some((reason) => reason.Code === 'ConditionalCheckFailed'))
        throw new BroadcastClosedError(
          counterOptions.unlessCancelled
            ? 'The broadcast of these delivery records does not exist or is cancelled'
            : 'The broadcast of these delivery records does not exist',
          { cause: error },
        );
      const failed = new Set(
        reasons.flatMap((reason, index) =>
          index < writes.length && reason.Code === 'ConditionalCheckFailed' ? [index] : [],
        ),
      );
      if (failed.size > 0) return failed;
      if (reasons.some((reason) => reason.Code === 'TransactionConflict')) return 'conflict';
      throw error;
    }
  }
}

/** Splits entries so each transaction's records and counter items fit DynamoDB's limit. */
function transactionChunks<W extends LedgerWrite>(writes: W[]): W[][] {
  const chunks: W[][] = [];
  let chunk: W[] = [];
  let counters = new Set<string>();
  for (const write of writes) {
    // All of a broadcast's counters are one item.
    const counter = write.counts?.key.broadcastId;
    const items = chunk.length + 1 + counters.size + (counter && !counters.has(counter) ? 1 : 0);
    if (items > TRANSACTION_ITEMS) {
      chunks.push(chunk);
      chunk = [];
      counters = new Set();
    }
    chunk.push(write);
    if (counter) counters.add(counter);
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

/** One update per broadcast, adding up what the writes move on each of its channels. */
function summedCounters(table: string, writes: LedgerWrite[], options: CounterOptions) {
  const sums = new Map<string, CounterDeltas>();
  for (const { counts } of writes) {
    if (!counts) continue;
    const { broadcastId, channel } = counts.key;
    const deltas = sums.get(broadcastId) ?? {};
    const fields = deltas[channel] ?? {};
    for (const [field, delta] of Object.entries(counts.deltas) as [CountField, number][])
      fields[field] = (fields[field] ?? 0) + delta;
    deltas[channel] = fields;
    sums.set(broadcastId, deltas);
  }
  return [...sums].flatMap(
    ([broadcastId, deltas]) => counterUpdate(table, broadcastId, deltas, options) ?? [],
  );
}
