import { paginateQuery, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/aws.ts';

/** Every page of a Query, as items; the caller decides whether to stream or collect. */
export async function* queryPages(input: QueryCommandInput): AsyncIterable<Record<string, unknown>[]> {
  for await (const page of paginateQuery({ client: dynamoDb }, input)) {
    yield page.Items ?? [];
  }
}
