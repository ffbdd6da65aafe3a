import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { z } from 'zod';
import { DynamoBroadcastStore } from '#shared/adapters/dynamodb/broadcast-store.ts';
import { CHANNELS, DELIVERY_STATUSES } from '#shared/domain/model.ts';
import { withLambdaDefaults } from '#shared/lambda-defaults.ts';
import { countDeliveries, type LedgerChange, paddedSequence } from '#shared/use-cases/count-deliveries.ts';

const deps = { broadcasts: new DynamoBroadcastStore() };

/** What of a ledger record's image counts; anything else in it is ignored. */
const CountedImage = z.object({
  broadcastId: z.string().min(1),
  channel: z.enum(CHANNELS),
  status: z.enum(DELIVERY_STATUSES),
  calls: z.number().int().nonnegative().optional(),
  duplicatesSuspected: z.number().int().nonnegative().optional(),
});

/**
 * The stream event of a tumbling window: the same records, and the shard they come from (a
 * plain stream event does not say it). The window's state is not used.
 */
export type LedgerStreamEvent = DynamoDBStreamEvent & { shardId: string };

type StreamImage = NonNullable<DynamoDBRecord['dynamodb']>['NewImage'];

function image(raw: StreamImage) {
  // aws-lambda's and the SDK's AttributeValue types describe the same JSON.
  return raw ? CountedImage.parse(unmarshall(raw as Record<string, AttributeValue>)) : undefined;
}

function toChange(record: DynamoDBRecord): LedgerChange {
  const sequence = record.dynamodb?.SequenceNumber;
  if (!sequence) throw new Error(`Stream record ${record.eventID} has no sequence number`);
  const before = image(record.dynamodb?.OldImage);
  const after = image(record.dynamodb?.NewImage);
  return { sequence: paddedSequence(sequence), ...(before ? { before } : {}), ...(after ? { after } : {}) };
}

/**
 * The deliveries table's change stream (new and old images): moves each broadcast's counters by
 * one batch of ledger writes, once per broadcast, exactly once. A failure fails the batch; the
 * event source retries it in halves and sets aside what still fails (see the manifest).
 */
export const handler = withLambdaDefaults<LedgerStreamEvent, void>().handler(async (event) => {
  await countDeliveries(event.shardId, event.Records.map(toChange), deps);
});
