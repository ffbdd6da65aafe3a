import { type RunningDynamoDb, startDynamoDbLocal } from '#infra/local/dynamodb-local.ts';
import { TABLES } from '#shared/tables.ts';

/**
 * DynamoDB Local on a free port with Herald's tables, and this process's environment pointed
 * at it. Import the adapters only afterwards: the DynamoDB client reads its endpoint from the
 * environment at module load.
 */
export async function startTestDynamoDb(): Promise<RunningDynamoDb> {
  const dynamoDb = await startDynamoDbLocal({ port: 0 });
  for (const table of TABLES) process.env[table.envVar] = table.name;
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: dynamoDb.endpoint,
    AWS_REGION: 'local',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
  return dynamoDb;
}
