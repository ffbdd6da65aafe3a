import type { ScheduledEvent } from 'aws-lambda';
import { SCHEDULES } from '#functions/manifest.ts';
import { DynamoBroadcastStore } from '#shared/adapters/dynamodb/broadcast-store.ts';
import { DynamoDeliveryStore } from '#shared/adapters/dynamodb/delivery-store.ts';
import { DynamoLeaseStore } from '#shared/adapters/dynamodb/lease-store.ts';
import { DynamoReceiptLedger } from '#shared/adapters/dynamodb/receipt-ledger.ts';
import { twilioSmsSender } from '#shared/clients/providers.ts';
import { ConfigError, deliveryConfig, receiptConfig } from '#shared/config.ts';
import { withLambdaDefaults } from '#shared/lambda-defaults.ts';
import {
  fetchFitsIn,
  type ReconcileReceiptsResult,
  reconcileReceipts,
} from '#shared/use-cases/reconcile-receipts.ts';

const config = receiptConfig();
const { providerTimeoutMs } = deliveryConfig();
const functionTimeoutMs =
  (SCHEDULES.find((schedule) => schedule.handler === 'reconcile-receipts')?.timeoutSeconds ?? 0) * 1000;
if (!fetchFitsIn(functionTimeoutMs, providerTimeoutMs))
  throw new ConfigError(
    `HERALD_PROVIDER_TIMEOUT_MS: ${providerTimeoutMs} ms leaves reconcile-receipts no time for a Twilio fetch within its ${functionTimeoutMs / 1000} s`,
  );
const broadcasts = new DynamoBroadcastStore();
const stores = {
  watch: broadcasts,
  broadcasts,
  awaiting: new DynamoReceiptLedger(),
  deliveries: new DynamoDeliveryStore(),
  leases: new DynamoLeaseStore(),
  graceMs: config.graceMs,
  providerTimeoutMs,
};

/**
 * Every minute: asks Twilio for the delivery receipts that never reached the ledger, for the
 * broadcasts that ended a while ago (reconcile-receipts.ts); a run still going when the next
 * starts keeps it out (a lease).
 */
export const handler = withLambdaDefaults<ScheduledEvent, ReconcileReceiptsResult>().handler(
  async (_event, context) =>
    reconcileReceipts(
      { ...stores, twilio: await twilioSmsSender() },
      { id: context.awsRequestId, remainingMs: () => context.getRemainingTimeInMillis() },
    ),
);
