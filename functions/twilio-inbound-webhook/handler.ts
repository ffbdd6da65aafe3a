import { DynamoAuditStore } from '#shared/adapters/dynamodb/audit-store.ts';
import { DynamoCustomerDirectory } from '#shared/adapters/dynamodb/customer-directory.ts';
import { DynamoInboundMessageLedger } from '#shared/adapters/dynamodb/inbound-message-ledger.ts';
import { twilioAuthToken } from '#shared/clients/providers.ts';
import { webhookConfig } from '#shared/config.ts';
import { HttpProblemError } from '#shared/http/problem.ts';
import { twilioWebhook } from '#shared/http/twilio-webhook.ts';
import { logger } from '#shared/logger.ts';
import { handleInboundSms } from '#shared/use-cases/handle-inbound-sms.ts';

const customers = new DynamoCustomerDirectory();
const audit = new DynamoAuditStore();
const inbound = new DynamoInboundMessageLedger();
const settings = async () => ({
  authToken: await twilioAuthToken(),
  publicApiUrl: webhookConfig().HERALD_PUBLIC_API_URL,
});

/** Twilio's SIDs are 34 characters ("SM" and 32 hex digits); anything much longer is not one. */
const MAX_MESSAGE_SID_LENGTH = 64;

/**
 * POST /webhooks/twilio/inbound: STOP, START and HELP replies, honoured at once, each message
 * once (by MessageSid) and none over a later one.
 */
export const handler = twilioWebhook(settings, async ({ params, receivedAt }) => {
  const messageSid = params.MessageSid ?? '';
  if (messageSid === '' || messageSid.length > MAX_MESSAGE_SID_LENGTH)
    throw new HttpProblemError(400, 'Bad Request', 'An inbound message needs its MessageSid.');
  const { reply, ...result } = await handleInboundSms(
    { messageSid, from: params.From ?? '', body: params.Body ?? '', receivedAt },
    { customers, inbound, audit, helpText: webhookConfig().HERALD_SMS_HELP_TEXT },
  );
  logger.info('Inbound SMS', { messageSid, ...result });
  return reply;
});
