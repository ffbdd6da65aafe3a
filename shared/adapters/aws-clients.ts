/**
 * AWS clients, created once per process at module load and captured by the tracer (each call a
 * subsegment of the invocation's X-Ray trace in Lambda). Endpoints come from the SDK's
 * own configuration (`AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_SNS`…), which is how the
 * local stack points the same code at DynamoDB Local and the in-process bus.
 */
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLES } from '#shared/tables.ts';
import { tracer } from '#shared/tracer.ts';
import { capacityChannelSink, recordConsumedCapacity } from './consumed-capacity.ts';

type SdkLogger = NonNullable<DynamoDBClientConfig['logger']>;
const ignore = () => undefined;
/**
 * The SDK's default logger drops everything, yet because it has an `info` method the SDK still
 * builds the redacted copy of every call's input and output that it would log there: a walk of
 * every item of every Query page, a tenth of the CPU of audience resolution. This one drops the
 * same messages and has no `info`, so the SDK skips that copy.
 */
const logger = { debug: ignore, warn: ignore, error: ignore } as Omit<SdkLogger, 'info'> as SdkLogger;

const keyAttributes = new Map<string, readonly string[]>();
/**
 * A table's key attributes by the name a request gives it, from the one description of the tables
 * (its name comes from the function's environment, set by CDK or the local stack).
 */
function keyAttributesOf(tableName: string): readonly string[] | undefined {
  const known = keyAttributes.get(tableName);
  if (known) return known;
  const table = TABLES.find((candidate) => process.env[candidate.envVar] === tableName);
  if (!table) return undefined;
  const names = table.sortKey ? [table.partitionKey, table.sortKey] : [table.partitionKey];
  keyAttributes.set(tableName, names);
  return names;
}

const dynamoDbClient = tracer.captureAWSv3Client(new DynamoDBClient({ logger }));
// Every request asks what it consumed: units per recipient and the hottest item, for the benchmark.
recordConsumedCapacity(dynamoDbClient, capacityChannelSink, keyAttributesOf);

export const dynamoDb = DynamoDBDocumentClient.from(dynamoDbClient, {
  marshallOptions: { removeUndefinedValues: true },
});

export const sns = tracer.captureAWSv3Client(new SNSClient({ logger }));

// Requests go to the configured endpoint (the regional one, or the local stack's), not to the
// host a queue URL names.
export const sqs = tracer.captureAWSv3Client(new SQSClient({ logger, useQueueUrlAsEndpoint: false }));

export const s3 = tracer.captureAWSv3Client(new S3Client({ logger }));
