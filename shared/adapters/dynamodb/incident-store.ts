import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/adapters/aws-clients.ts';
import { tablesConfig } from '#shared/config.ts';
import type { Incident, IncidentSummary, Language, PostChannel } from '#shared/domain/model.ts';
import type { IncidentStore, Page, PageRequest, TimelineEntry, TimelineStore } from '#shared/ports/stores.ts';
import { queryPage } from './paginate.ts';

const incidentPk = (id: string) => `INCIDENT#${id}`;

/** What a list shows of an incident: everything but the scope (an area may hold 10,000 positions). */
const SUMMARY_ATTRIBUTES = [
  'id',
  'type',
  'title',
  'severity',
  'window',
  'status',
  'createdAt',
  'createdBy',
  'resolvedAt',
  'exercise',
] as const satisfies readonly (keyof IncidentSummary)[];
/** Placeholders for all of them, as several (status, window…) are DynamoDB reserved words. */
const SUMMARY_NAMES = Object.fromEntries(SUMMARY_ATTRIBUTES.map((name) => [`#${name}`, name]));

/** One small item per channel and language beside the incident: the first public post, the thread's root. */
const threadSk = (channel: PostChannel, language: Language) => `THREAD#${channel}#${language}`;

function withoutKeys<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, gsi1pk: _gsi1pk, gsi1sk: _gsi1sk, ...rest } = item;
  return rest as T;
}

/** Incidents in the herald table; listed newest first through the byType GSI; thread roots beside them. */
export class DynamoIncidentStore implements IncidentStore {
  private readonly table = tablesConfig().herald;

  async create(incident: Incident): Promise<void> {
    await dynamoDb.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: incidentPk(incident.id),
          sk: 'META',
          gsi1pk: 'INCIDENT',
          gsi1sk: incident.createdAt,
          ...incident,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(id: string): Promise<Incident | undefined> {
    const { Item } = await dynamoDb.send(
      new GetCommand({ TableName: this.table, Key: { pk: incidentPk(id), sk: 'META' } }),
    );
    return Item ? withoutKeys<Incident>(Item) : undefined;
  }

  async list(limit: number): Promise<Incident[]> {
    const { Items = [] } = await dynamoDb.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byType',
        KeyConditionExpression: 'gsi1pk = :type',
        ExpressionAttributeValues: { ':type': 'INCIDENT' },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return Items.map((item) => withoutKeys<Incident>(item));
  }

  async summaries(request: PageRequest): Promise<Page<IncidentSummary>> {
    const page = await queryPage(
      {
        TableName: this.table,
        IndexName: 'byType',
        KeyConditionExpression: 'gsi1pk = :type',
        ExpressionAttributeValues: { ':type': 'INCIDENT' },
        ExpressionAttributeNames: SUMMARY_NAMES,
        // The keys too: the last item's key is the cursor.
        ProjectionExpression: `${Object.keys(SUMMARY_NAMES).join(', ')}, pk, sk, gsi1pk, gsi1sk`,
        ScanIndexForward: false,
      },
      { attributes: ['pk', 'sk', 'gsi1pk', 'gsi1sk'], partition: { gsi1pk: 'INCIDENT' } },
      request,
    );
    return { ...page, items: page.items.map((item) => withoutKeys<IncidentSummary>(item)) };
  }

  async resolve(
    id: string,
    resolvedAt: string,
  ): Promise<{ incident: Incident; resolvedNow: boolean } | undefined> {
    try {
      const { Attributes } = await dynamoDb.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: incidentPk(id), sk: 'META' },
          UpdateExpression: 'SET #status = :resolved, resolvedAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND #status = :open',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':resolved': 'resolved', ':open': 'open', ':at': resolvedAt },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes ? { incident: withoutKeys<Incident>(Attributes), resolvedNow: true } : undefined;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // Missing, or resolved already: either way the stored incident is the answer.
      const incident = await this.get(id);
      return incident ? { incident, resolvedNow: false } : undefined;
    }
  }

  async threadRoot(
    incidentId: string,
    channel: PostChannel,
    language: Language,
  ): Promise<string | undefined> {
    const { Item } = await dynamoDb.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: incidentPk(incidentId), sk: threadSk(channel, language) },
        ConsistentRead: true,
      }),
    );
    return typeof Item?.providerId === 'string' ? Item.providerId : undefined;
  }

  async recordThreadRoot(
    incidentId: string,
    channel: PostChannel,
    language: Language,
    providerId: string,
  ): Promise<void> {
    try {
      await dynamoDb.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: incidentPk(incidentId), sk: threadSk(channel, language), providerId },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      // The first post of the thread is recorded already, and stays its root.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

/** The public timeline of an incident, stored beside it: one item per published update. */
export class DynamoTimelineStore implements TimelineStore {
  private readonly table = tablesConfig().herald;

  async append(entry: TimelineEntry): Promise<void> {
    await dynamoDb.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: incidentPk(entry.incidentId),
          // Without a broadcast (a resolution by hand) the time alone keys it, so a retry rewrites the same item.
          sk: `UPDATE#${entry.publishedAt}#${entry.broadcastId ?? 'resolved'}`,
          ...entry,
        },
      }),
    );
  }

  async entries(incidentId: string): Promise<TimelineEntry[]> {
    const { Items = [] } = await dynamoDb.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :update)',
        ExpressionAttributeValues: { ':pk': incidentPk(incidentId), ':update': 'UPDATE#' },
      }),
    );
    return Items.map((item) => withoutKeys<TimelineEntry>(item));
  }
}
