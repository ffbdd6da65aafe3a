import {
  GetCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/adapters/aws-clients.ts';
import { tablesConfig } from '#shared/config.ts';
import { deriveCounts, emptyCounts } from '#shared/domain/channel-counts.ts';
import type { Broadcast, BroadcastStatus, Channel } from '#shared/domain/model.ts';
import type { ReceiptWatch, WatchedBroadcast } from '#shared/ports/receipts.ts';
import type {
  BroadcastStore,
  CountField,
  CreateOutcome,
  IdempotencyClaim,
  KeyedBroadcast,
  Page,
  PageRequest,
  StatusChange,
  StreamedCounts,
  StreamedCountsOutcome,
} from '#shared/ports/stores.ts';
import { getAll } from './batch-get.ts';
import { applied } from './conditional.ts';
import { queryPage, queryPages } from './paginate.ts';

const broadcastPk = (id: string) => `BROADCAST#${id}`;
/** Sparse index key of broadcasts still in progress: the sweeper's list. */
const ACTIVE = 'ACTIVE_BROADCAST';
const isActive = (status: BroadcastStatus) => status === 'queued' || status === 'sending';
/**
 * Sparse index key of ended broadcasts whose SMS may still wait for a delivery receipt: receipt
 * reconciliation's list (ReceiptWatch). A broadcast joins it when it stops being active, and
 * leaves it when reconciliation unwatches it.
 */
const RECEIPTS_WATCH = 'RECEIPTS_WATCH_BROADCAST';
/** Where an unfinished receipt pass stopped (ReceiptWatch.pausedAt). */
const RESUME_FROM = 'receiptsResumeFrom';
/**
 * The statuses a broadcast ends in (a cancelled one once its counts are final), whether or not it
 * sent anything: one with no SMS `sent` leaves the receipt watch at its first look.
 */
const ENDED: ReadonlySet<BroadcastStatus> = new Set(['completed', 'partial', 'failed', 'cancelled']);
/**
 * Sparse index key of broadcasts waiting for approval: the comms leads' queue. Any later status
 * replaces it (setStatus sets ACTIVE or RECEIPTS_WATCH, or removes the key).
 */
const PENDING_APPROVAL = 'PENDING_APPROVAL_BROADCAST';
/** Scoped to the caller and the incident: another user's or incident's request never meets this key. */
const idempotencyPk = ({ user, incidentId, key }: Pick<IdempotencyClaim, 'user' | 'incidentId' | 'key'>) =>
  `IDEMPOTENCY#${user}#${incidentId}#${key}`;
const epochSeconds = (time: Date) => Math.floor(time.getTime() / 1000);
const incidentPk = (id: string) => `INCIDENT#${id}`;

const COUNT_ATTRIBUTE = /^counts_([a-z]+)_([A-Za-z]+)$/;
/** A channel's recipient total, counted from the ledger when planning ended (see setRecipients). */
const RECIPIENT_TOTAL = 'recipientTotal_';
/** The last sequence number of a stream shard counted (see addStreamedCounts). */
const STREAMED = 'streamed_';

/**
 * Folds the flat counter attributes back into `counts.<channel>.<field>`; a channel's recipient
 * total, once planning set it, stands for its recipients.
 */
function toBroadcast(item: Record<string, unknown>): Broadcast {
  // Where an unfinished receipt pass stopped is the watch's business (watched()), not the broadcast's.
  const { pk: _pk, sk: _sk, gsi1pk: _active, gsi1sk: _since, [RESUME_FROM]: _resume, ...rest } = item;
  const broadcast = { counts: {} } as unknown as Broadcast;
  const totals = new Map<string, number>();
  for (const [attribute, value] of Object.entries(rest)) {
    if (attribute.startsWith(STREAMED)) continue;
    if (attribute.startsWith(RECIPIENT_TOTAL))
      totals.set(attribute.slice(RECIPIENT_TOTAL.length), Number(value));
    else if (!COUNT_ATTRIBUTE.test(attribute))
      (broadcast as unknown as Record<string, unknown>)[attribute] = value;
  }
  for (const channel of broadcast.channels) broadcast.counts[channel] = emptyCounts();
  for (const [attribute, value] of Object.entries(rest)) {
    const match = COUNT_ATTRIBUTE.exec(attribute);
    const counts = match && broadcast.counts[match[1] as Channel];
    if (counts && match[2] && match[2] in counts) counts[match[2] as CountField] = Number(value);
  }
  for (const [channel, counts] of Object.entries(broadcast.counts)) {
    counts.recipients = totals.get(channel) ?? counts.recipients;
    deriveCounts(counts, broadcast.status);
  }
  return broadcast;
}

/**
 * Broadcasts in the herald table. Their per-channel counters are flat attributes
 * ("counts_sms_sent", so ADD works without first creating nested maps) that only the ledger's
 * change stream moves, once per stream batch (see addStreamedCounts).
 */
export class DynamoBroadcastStore implements BroadcastStore, ReceiptWatch {
  private readonly table = tablesConfig().herald;

  create(broadcast: Broadcast, idempotency?: IdempotencyClaim): Promise<CreateOutcome> {
    return this.insert(broadcast, idempotency, { retried: false });
  }

  private async insert(
    broadcast: Broadcast,
    idempotency: IdempotencyClaim | undefined,
    { retried }: { retried: boolean },
  ): Promise<CreateOutcome> {
    const { counts: _counts, ...fields } = broadcast;
    const item = {
      pk: broadcastPk(broadcast.id),
      sk: 'META',
      ...fields,
      ...(isActive(broadcast.status) ? { gsi1pk: ACTIVE, gsi1sk: broadcast.createdAt } : {}),
      ...(broadcast.status === 'pending_approval'
        ? { gsi1pk: PENDING_APPROVAL, gsi1sk: broadcast.createdAt }
        : {}),
    };
    // A link in the incident's partition lists its broadcasts with one Query.
    const link = {
      pk: incidentPk(broadcast.incidentId),
      sk: `BROADCAST#${broadcast.createdAt}#${broadcast.id}`,
      broadcastId: broadcast.id,
    };
    const writes: NonNullable<TransactWriteCommandInput['TransactItems']> = [
      { Put: { TableName: this.table, Item: item } },
      { Put: { TableName: this.table, Item: link } },
    ];
    if (!idempotency) {
      await dynamoDb.send(new TransactWriteCommand({ TransactItems: writes }));
      return { created: true, broadcast };
    }
    const now = epochSeconds(new Date());
    try {
      // The key and the broadcast are written together, so a retry can never create a second broadcast.
      await dynamoDb.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: {
                  pk: idempotencyPk(idempotency),
                  sk: 'META',
                  broadcastId: broadcast.id,
                  requestHash: idempotency.requestHash,
                  expiresAt: epochSeconds(idempotency.expiresAt),
                },
                // An expired key DynamoDB has not deleted yet (TTL runs within days) is free again.
                ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
                ExpressionAttributeValues: { ':now': now },
              },
            },
            ...writes,
          ],
        }),
      );
      return { created: true, broadcast };
    } catch (error) {
      const earlier = await this.underKey(idempotency);
      // No live key: it expired between the write and the read, or the write lost a race with a
      // transaction still committing it (TransactionConflict). Writing once more settles either.
      if (!earlier || earlier.expiresAt <= epochSeconds(new Date())) {
        if (retried) throw error;
        return this.insert(broadcast, idempotency, { retried: true });
      }
      const stored = await this.get(earlier.broadcastId);
      if (!stored) throw error;
      return { created: false, broadcast: stored, requestHash: earlier.requestHash };
    }
  }

  async findByIdempotencyKey(
    idempotency: Pick<IdempotencyClaim, 'user' | 'incidentId' | 'key'>,
  ): Promise<KeyedBroadcast | undefined> {
    const earlier = await this.underKey(idempotency);
    if (!earlier || earlier.expiresAt <= epochSeconds(new Date())) return undefined;
    const broadcast = await this.get(earlier.broadcastId);
    return broadcast && { broadcast, requestHash: earlier.requestHash };
  }

  async listByIncident(incidentId: string, request: PageRequest): Promise<Page<Broadcast>> {
    const pk = incidentPk(incidentId);
    const links = await queryPage(
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :broadcast)',
        ExpressionAttributeValues: { ':pk': pk, ':broadcast': 'BROADCAST#' },
        ScanIndexForward: false,
      },
      { attributes: ['pk', 'sk'], partition: { pk } },
      request,
    );
    const ids = links.items.flatMap((link) =>
      typeof link.broadcastId === 'string' ? [link.broadcastId] : [],
    );
    if (ids.length === 0) return { items: [], next: links.next };
    const items = await getAll(
      this.table,
      ids.map((id) => ({ pk: broadcastPk(id), sk: 'META' })),
    );
    const found = new Map(items.map((item) => [item.id, toBroadcast(item)]));
    return { items: ids.flatMap((id) => found.get(id) ?? []), next: links.next };
  }

  async get(id: string): Promise<Broadcast | undefined> {
    const { Item } = await dynamoDb.send(
      // Strongly consistent: a worker checking for a cancel must see one that has returned.
      new GetCommand({
        TableName: this.table,
        Key: { pk: broadcastPk(id), sk: 'META' },
        ConsistentRead: true,
      }),
    );
    return Item ? toBroadcast(Item) : undefined;
  }

  async setStatus(id: string, status: BroadcastStatus, options: StatusChange = {}): Promise<boolean> {
    const { from, ...milestones } = options;
    const names: Record<string, string> = {
      '#status': 'status',
      '#listKey': 'gsi1pk',
      '#listedAt': 'gsi1sk',
    };
    const values: Record<string, unknown> = { ':status': status };
    const sets = ['#status = :status'];
    for (const [field, value] of Object.entries(milestones)) {
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      sets.push(`#${field} = :${field}`);
    }
    // A cancelled broadcast stays listed for the sweeper until its counts are final.
    const active = isActive(status) || (status === 'cancelled' && !milestones.countsFinalAt);
    // An ended broadcast moves from the sweeper's list to receipt reconciliation's.
    const listedAs = active ? ACTIVE : ENDED.has(status) ? RECEIPTS_WATCH : undefined;
    if (listedAs) {
      values[':listed'] = listedAs;
      values[':now'] = new Date().toISOString();
      sets.push('#listKey = :listed', `#listedAt = ${active ? 'if_not_exists(#listedAt, :now)' : ':now'}`);
    }
    let condition = 'attribute_exists(pk)';
    if (from) {
      condition += ` AND #status IN (${from.map((_, index) => `:from${index}`).join(', ')})`;
      from.forEach((previous, index) => {
        values[`:from${index}`] = previous;
      });
    }
    return applied(() =>
      dynamoDb.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: broadcastPk(id), sk: 'META' },
          UpdateExpression: `SET ${sets.join(', ')}${listedAs ? '' : ' REMOVE #listKey, #listedAt'}`,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      ),
    );
  }

  async setRecipients(id: string, channel: Channel, recipients: number): Promise<void> {
    await dynamoDb.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: broadcastPk(id), sk: 'META' },
        UpdateExpression: 'SET #recipients = :recipients',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#recipients': `${RECIPIENT_TOTAL}${channel}` },
        ExpressionAttributeValues: { ':recipients': recipients },
      }),
    );
  }

  async addStreamedCounts(id: string, counts: StreamedCounts): Promise<StreamedCountsOutcome> {
    const names: Record<string, string> = { '#through': `${STREAMED}${counts.shard}` };
    const values: Record<string, unknown> = {
      ':first': counts.first,
      ':last': counts.last,
      ':now': new Date().toISOString(),
    };
    const adds = Object.entries(counts.deltas).flatMap(([channel, fields]) =>
      Object.entries(fields ?? {}).flatMap(([field, delta]) => {
        if (!delta) return [];
        const index = Object.keys(values).length;
        names[`#c${index}`] = `counts_${channel}_${field}`;
        values[`:d${index}`] = delta;
        return [`#c${index} :d${index}`];
      }),
    );
    const added = await applied(() =>
      dynamoDb.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: broadcastPk(id), sk: 'META' },
          // lastActivityAt tells the sweeper a broadcast is still moving.
          UpdateExpression: `SET #through = :last, lastActivityAt = :now${adds.length > 0 ? ` ADD ${adds.join(', ')}` : ''}`,
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(#through) OR #through < :first)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      ),
    );
    if (added) return 'added';
    return (await this.exists(id)) ? 'overlap' : 'unknown-broadcast';
  }

  async streamedThrough(id: string, shard: string): Promise<string | undefined> {
    const { Item } = await dynamoDb.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: broadcastPk(id), sk: 'META' },
        ProjectionExpression: '#through',
        ExpressionAttributeNames: { '#through': `${STREAMED}${shard}` },
        ConsistentRead: true,
      }),
    );
    const through = Item?.[`${STREAMED}${shard}`];
    return typeof through === 'string' ? through : undefined;
  }

  private async exists(id: string): Promise<boolean> {
    const { Item } = await dynamoDb.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: broadcastPk(id), sk: 'META' },
        ProjectionExpression: 'pk',
        ConsistentRead: true,
      }),
    );
    return Item !== undefined;
  }

  listActive(): AsyncIterable<Broadcast> {
    return this.listed(ACTIVE);
  }

  listPendingApproval(): AsyncIterable<Broadcast> {
    return this.listed(PENDING_APPROVAL);
  }

  async *watched(): AsyncIterable<WatchedBroadcast> {
    for await (const item of this.listedItems(RECEIPTS_WATCH)) {
      const resumeFrom = item[RESUME_FROM];
      yield { broadcast: toBroadcast(item), ...(typeof resumeFrom === 'string' ? { resumeFrom } : {}) };
    }
  }

  checked(broadcastId: string, at: string): Promise<void> {
    return this.updateReceiptPass(broadcastId, 'SET receiptsCheckedAt = :value REMOVE #resume', at);
  }

  pausedAt(broadcastId: string, resumeFrom: string): Promise<void> {
    return this.updateReceiptPass(broadcastId, 'SET #resume = :value', resumeFrom);
  }

  /** One update of a watched broadcast's receipt pass: `#resume` names RESUME_FROM, `:value` is `value`. */
  private async updateReceiptPass(broadcastId: string, expression: string, value: string): Promise<void> {
    await dynamoDb.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: broadcastPk(broadcastId), sk: 'META' },
        UpdateExpression: expression,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#resume': RESUME_FROM },
        ExpressionAttributeValues: { ':value': value },
      }),
    );
  }

  async unwatch(broadcastId: string): Promise<void> {
    // Only off reconciliation's list: a broadcast listed otherwise since keeps its key.
    await applied(() =>
      dynamoDb.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: broadcastPk(broadcastId), sk: 'META' },
          UpdateExpression: 'REMOVE gsi1pk, gsi1sk',
          ConditionExpression: 'gsi1pk = :watch',
          ExpressionAttributeValues: { ':watch': RECEIPTS_WATCH },
        }),
      ),
    );
  }

  /** The broadcasts under one key of the sparse `byType` index, oldest first. */
  private async *listed(key: string): AsyncIterable<Broadcast> {
    for await (const item of this.listedItems(key)) yield toBroadcast(item);
  }

  /** The items under one key of the sparse `byType` index, oldest first. */
  private async *listedItems(key: string): AsyncIterable<Record<string, unknown>> {
    const pages = queryPages({
      TableName: this.table,
      IndexName: 'byType',
      KeyConditionExpression: 'gsi1pk = :key',
      ExpressionAttributeValues: { ':key': key },
    });
    for await (const items of pages) yield* items;
  }

  /** The live or expired key item, read consistently: a retry must see the write it follows. */
  private async underKey(
    idempotency: Pick<IdempotencyClaim, 'user' | 'incidentId' | 'key'>,
  ): Promise<{ broadcastId: string; requestHash: string; expiresAt: number } | undefined> {
    const { Item } = await dynamoDb.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: idempotencyPk(idempotency), sk: 'META' },
        ConsistentRead: true,
      }),
    );
    if (typeof Item?.broadcastId !== 'string') return undefined;
    return {
      broadcastId: Item.broadcastId,
      requestHash: String(Item.requestHash),
      expiresAt: Number(Item.expiresAt),
    };
  }
}
