import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/aws.ts';
import { tablesConfig } from '#shared/config.ts';
import type { SmsRecord, SmsRecordReader } from '#shared/ports/passenger-lookup.ts';

const BATCH_GET_LIMIT = 100;

/** What a lookup shows of a record: not its lease, nor the calls and duplicates the counters fold. */
const PROJECTION = 'broadcastId, channel, recipientId, #status, attempts, lastError, updatedAt, payload';

/**
 * SMS records in `herald-deliveries` by key, across broadcasts, for the passenger lookup. Apart
 * from the delivery store, which the send path owns: this reader writes nothing.
 */
export class DynamoSmsRecords implements SmsRecordReader {
  private readonly table = tablesConfig().deliveries;

  async smsRecords(broadcastIds: string[], customerIds: string[]): Promise<SmsRecord[]> {
    const keys = [...new Set(broadcastIds)].flatMap((broadcastId) =>
      // The ledger's sort key, `<channel>#<recipientId>` (delivery-store.ts); an SMS's recipient is its customer.
      [...new Set(customerIds)].map((customerId) => ({ broadcastId, sk: `sms#${customerId}` })),
    );
    const found: SmsRecord[] = [];
    for (let offset = 0; offset < keys.length; offset += BATCH_GET_LIMIT) {
      let batch: Record<string, unknown>[] = keys.slice(offset, offset + BATCH_GET_LIMIT);
      while (batch.length > 0) {
        const { Responses, UnprocessedKeys } = await dynamoDb.send(
          new BatchGetCommand({
            RequestItems: {
              [this.table]: {
                Keys: batch,
                ProjectionExpression: PROJECTION,
                ExpressionAttributeNames: { '#status': 'status' },
              },
            },
          }),
        );
        found.push(...((Responses?.[this.table] ?? []) as SmsRecord[]));
        batch = UnprocessedKeys?.[this.table]?.Keys ?? [];
      }
    }
    return found;
  }
}
