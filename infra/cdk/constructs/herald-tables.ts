import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { TABLES, type TableDefinition, type TableKey } from '#shared/tables.ts';

export type TableAccess = 'read' | 'readWrite';

/** Item-level reads only: Herald never scans (audiences come from index queries). */
const READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
];
const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];
const KEY_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'];
const KEY_WRITE_ACTIONS = [
  ...KEY_READ_ACTIONS,
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
];

function attribute(name: string): dynamodb.Attribute {
  return { name, type: dynamodb.AttributeType.STRING };
}

/**
 * The DynamoDB tables of `TABLES`, on demand, with point-in-time recovery, deletion protection
 * and a customer-managed KMS key. `grant` hands out item access to a table and to its named
 * indexes only, never `index/*`, and the key only through DynamoDB.
 */
export class HeraldTables extends Construct {
  readonly key: kms.Key;
  private readonly tables = new Map<TableKey, { table: dynamodb.Table; definition: TableDefinition }>();

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.key = new kms.Key(this, 'Key', {
      description: 'Herald DynamoDB tables',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    for (const definition of TABLES) {
      const table = new dynamodb.Table(this, definition.name, {
        partitionKey: attribute(definition.partitionKey),
        ...(definition.sortKey ? { sortKey: attribute(definition.sortKey) } : {}),
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
        encryptionKey: this.key,
        deletionProtection: true,
        removalPolicy: RemovalPolicy.RETAIN,
        ...(definition.timeToLiveAttribute ? { timeToLiveAttribute: definition.timeToLiveAttribute } : {}),
        ...(definition.stream ? { stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES } : {}),
      });
      for (const index of definition.indexes) {
        table.addGlobalSecondaryIndex({
          indexName: index.indexName,
          partitionKey: attribute(index.partitionKey),
          ...(index.sortKey ? { sortKey: attribute(index.sortKey) } : {}),
          projectionType: dynamodb.ProjectionType.ALL,
        });
      }
      this.tables.set(definition.key, { table, definition });
    }
  }

  /** The table declared for `key`. */
  table(key: TableKey): dynamodb.Table {
    return this.entry(key).table;
  }

  /** Environment variables pointing handlers at every table (`shared/config.ts` reads them together). */
  environment(): Record<string, string> {
    return Object.fromEntries(
      [...this.tables.values()].map(({ table, definition }) => [definition.envVar, table.tableName]),
    );
  }

  /**
   * Grants item reads (and writes, for `readWrite`) on one table and its indexes.
   * Steps: 1. the table and each named index ARN; 2. the table key, only via DynamoDB.
   */
  grant(grantee: iam.IGrantable, key: TableKey, access: TableAccess): void {
    const { table, definition } = this.entry(key);
    const write = access === 'readWrite';
    iam.Grant.addToPrincipal({
      grantee,
      actions: write ? [...READ_ACTIONS, ...WRITE_ACTIONS] : READ_ACTIONS,
      resourceArns: [
        table.tableArn,
        ...definition.indexes.map((index) => `${table.tableArn}/index/${index.indexName}`),
      ],
    });
    grantKeyVia(grantee, this.key, 'dynamodb', write ? KEY_WRITE_ACTIONS : KEY_READ_ACTIONS);
  }

  private entry(key: TableKey) {
    const entry = this.tables.get(key);
    if (!entry) throw new Error(`No table '${key}' in TABLES`);
    return entry;
  }
}

/** Grants key actions usable only through one AWS service in this region (kms:ViaService). */
export function grantKeyVia(
  grantee: iam.IGrantable,
  key: kms.IKey,
  service: string,
  actions: string[],
): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions,
      resources: [key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `${service}.${Aws.REGION}.amazonaws.com` } },
    }),
  );
}
