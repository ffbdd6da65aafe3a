import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/aws.ts';
import { tablesConfig } from '#shared/config.ts';
import type { Incident } from '#shared/domain/model.ts';
import type { IncidentStore, TimelineEntry, TimelineStore } from '#shared/ports/stores.ts';

const incidentPk = (id: string) => `INCIDENT#${id}`;

function withoutKeys<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, gsi1pk: _gsi1pk, gsi1sk: _gsi1sk, ...rest } = item;
  return rest as T;
}

/** Incidents in the herald table; listed newest first through the byType GSI. */
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
          sk: `UPDATE#${entry.publishedAt}#${entry.broadcastId}`,
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
