import { DynamoAuditStore } from '#shared/adapters/dynamodb/audit-store.ts';
import { DynamoCustomerDirectory } from '#shared/adapters/dynamodb/customer-directory.ts';
import { twilioAuthToken } from '#shared/clients/providers.ts';
import { webhookConfig } from '#shared/config.ts';
import { twilioWebhook } from '#shared/http/twilio-webhook.ts';
import { logger } from '#shared/logger.ts';
import { handleInboundSms } from '#shared/use-cases/handle-inbound-sms.ts';

const customers = new DynamoCustomerDirectory();
const audit = new DynamoAuditStore();
const settings = async () => ({
  authToken: await twilioAuthToken(),
  publicApiUrl: webhookConfig().HERALD_PUBLIC_API_URL,
});

/** POST /webhooks/twilio/inbound: STOP, START and HELP replies, honoured at once. */
export const handler = twilioWebhook(settings, async ({ params }) => {
  const { outcome, reply, customerIds } = await handleInboundSms(params.From ?? '', params.Body ?? '', {
    customers,
    audit,
    helpText: webhookConfig().HERALD_SMS_HELP_TEXT,
  });
  logger.info('Inbound SMS', { outcome, customerIds });
  return reply;
});
