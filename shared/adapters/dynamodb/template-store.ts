import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/aws.ts';
import { tablesConfig } from '#shared/config.ts';
import type { TemplateVersion } from '#shared/domain/model.ts';
import type { TemplateStore } from '#shared/ports/stores.ts';

const templatePk = (id: string) => `TEMPLATE#${id}`;
/** Zero-padded so versions sort numerically as strings. */
const versionSk = (version: number) => `V#${String(version).padStart(6, '0')}`;

function toTemplate(item: Record<string, unknown>): TemplateVersion {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as unknown as TemplateVersion;
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
    await dynamoDb.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: templatePk(template.id), sk: versionSk(template.version), ...template },
      }),
    );
  }
}
