import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/adapters/aws-clients.ts';
import { tablesConfig } from '#shared/config.ts';
import type { TemplateSummary, TemplateVersion } from '#shared/domain/model.ts';
import type { Page, PageRequest, TemplateStore } from '#shared/ports/stores.ts';
import { type CursorKey, decodeCursor, encodeCursor } from './cursor.ts';
import { keyOf, queryPages } from './paginate.ts';

const templatePk = (id: string) => `TEMPLATE#${id}`;
/** Zero-padded so versions sort numerically as strings. */
const versionSk = (version: number) => `V#${String(version).padStart(6, '0')}`;
/** Every version is also on the byType index, so the template list is one Query, never a Scan. */
const TEMPLATE_TYPE = 'TEMPLATE';
/** A list cursor is a version's key on the byType index. */
const LIST_CURSOR = { attributes: ['pk', 'sk', 'gsi1pk', 'gsi1sk'], partition: { gsi1pk: TEMPLATE_TYPE } };

function toTemplate(item: Record<string, unknown>): TemplateVersion {
  const { pk: _pk, sk: _sk, gsi1pk: _gsi1pk, gsi1sk: _gsi1sk, ...rest } = item;
  return rest as unknown as TemplateVersion;
}

function toItem(template: TemplateVersion): Record<string, unknown> {
  return {
    pk: templatePk(template.id),
    sk: versionSk(template.version),
    gsi1pk: TEMPLATE_TYPE,
    gsi1sk: `${template.id}#${versionSk(template.version)}`,
    ...template,
  };
}

/** Template versions in the herald table, one item per version. */
export class DynamoTemplateStore implements TemplateStore {
  private readonly table = tablesConfig().herald;

  async getVersion(id: string, version: number): Promise<TemplateVersion | undefined> {
    const { Item } = await dynamoDb.send(
      new GetCommand({ TableName: this.table, Key: { pk: templatePk(id), sk: versionSk(version) } }),
    );
    return Item ? toTemplate(Item) : undefined;
  }

  async latestApproved(id: string): Promise<TemplateVersion | undefined> {
    const { Items = [] } = await dynamoDb.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
        FilterExpression: '#status = :approved',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':pk': templatePk(id), ':v': 'V#', ':approved': 'approved' },
        ScanIndexForward: false,
      }),
    );
    const [latest] = Items;
    return latest ? toTemplate(latest) : undefined;
  }

  async put(template: TemplateVersion): Promise<void> {
    await dynamoDb.send(new PutCommand({ TableName: this.table, Item: toItem(template) }));
  }

  async createVersion(template: TemplateVersion): Promise<boolean> {
    try {
      await dynamoDb.send(
        new PutCommand({
          TableName: this.table,
          Item: toItem(template),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async versions(id: string): Promise<TemplateVersion[]> {
    const versions: TemplateVersion[] = [];
    for await (const items of queryPages({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
      ExpressionAttributeValues: { ':pk': templatePk(id), ':v': 'V#' },
      ScanIndexForward: false,
    })) {
      versions.push(...items.map(toTemplate));
    }
    return versions;
  }

  /**
   * Reads the versions of the byType index in id order until a template beyond the page shows up;
   * the cursor is the key of the last version of the page's last template.
   */
  async list(request: PageRequest): Promise<Page<TemplateSummary>> {
    const byId = new Map<string, TemplateSummary>();
    let lastKey: CursorKey | undefined;
    const startKey = request.next ? decodeCursor(request.next, LIST_CURSOR) : undefined;
    // Ascending by "<id>#V#<version>": the last version seen of an id is its latest.
    for await (const items of queryPages(
      {
        TableName: this.table,
        IndexName: 'byType',
        KeyConditionExpression: 'gsi1pk = :type',
        ExpressionAttributeNames: {
          '#id': 'id',
          '#name': 'name',
          '#status': 'status',
          '#version': 'version',
        },
        ExpressionAttributeValues: { ':type': TEMPLATE_TYPE },
        ProjectionExpression:
          '#id, #name, #status, #version, createdAt, submittedAt, approvedAt, rejectedAt, pk, sk, gsi1pk, gsi1sk',
        // Versions of a page's templates and one more template's first: rarely more than a Query.
        Limit: request.limit * 4,
      },
      startKey,
    )) {
      for (const item of items) {
        const version = item as Pick<
          TemplateVersion,
          'id' | 'name' | 'status' | 'version' | 'createdAt' | 'submittedAt' | 'approvedAt' | 'rejectedAt'
        >;
        const earlier = byId.get(version.id);
        if (!earlier && byId.size === request.limit && lastKey)
          return { items: [...byId.values()], next: encodeCursor(lastKey) };
        byId.set(version.id, {
          id: version.id,
          name: version.name,
          latestVersion: version.version,
          status: version.status,
          approvedVersion: version.status === 'approved' ? version.version : earlier?.approvedVersion,
          updatedAt: [version.createdAt, version.submittedAt, version.approvedAt, version.rejectedAt]
            .filter((at): at is string => typeof at === 'string')
            .sort()
            .at(-1) as string,
        });
        lastKey = keyOf(item, LIST_CURSOR);
      }
    }
    return { items: [...byId.values()] };
  }

  async transition(
    id: string,
    version: number,
    from: TemplateVersion['status'],
    changes: Partial<Omit<TemplateVersion, 'id' | 'version'>> & Pick<TemplateVersion, 'status'>,
  ): Promise<boolean> {
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = { ':from': from };
    const sets: string[] = [];
    Object.entries(changes)
      .filter(([, value]) => value !== undefined)
      .forEach(([field, value], index) => {
        names[`#f${index}`] = field;
        values[`:v${index}`] = value;
        sets.push(`#f${index} = :v${index}`);
      });
    try {
      await dynamoDb.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: templatePk(id), sk: versionSk(version) },
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: '#status = :from',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
