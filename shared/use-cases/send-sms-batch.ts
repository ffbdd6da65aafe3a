import { smsExclusion } from '#shared/domain/eligibility.ts';
import { GaveUpError, PermanentDeliveryError } from '#shared/domain/errors.ts';
import { textSha256 } from '#shared/domain/evidence.ts';
import { isClaimable } from '#shared/domain/leases.ts';
import type { Customer } from '#shared/domain/model.ts';
import { type SmsOrigin, smsWithReplyHint } from '#shared/domain/sms-senders.ts';
import { smsText } from '#shared/domain/sms-text.ts';
import { logger } from '#shared/logger.ts';
import { count, METRIC } from '#shared/metrics.ts';
import type { Invocation } from '#shared/ports/invocation.ts';
import type { SmsMessage, SmsSender } from '#shared/ports/providers.ts';
import type {
  BroadcastStore,
  CustomerDirectory,
  DeliveryKey,
  DeliveryStore,
  Fanout,
  IncidentStore,
  RateLimiter,
  TemplateStore,
} from '#shared/ports/stores.ts';
import type { CancellationWatch } from './cancellation-watch.ts';
import { type DeliveryAttempt, deliverOnce } from './deliver-once.ts';
import { loadBroadcastContext } from './load-broadcast-context.ts';
import { findAcceptedAcross, type SmsFailover, sendWithFailover } from './sms-failover.ts';

/** The sender a phone number's SMS go from, and the limiter shared by every worker sending from it. */
export interface PacedSender {
  /** Absent: the provider's own default sender. */
  origin?: SmsOrigin;
  rate: RateLimiter;
  /** Where STOP and HELP go when the sender cannot take replies, named at the end of the SMS. */
  replyTo?: string;
}

export interface SendSmsBatchDeps {
  broadcasts: BroadcastStore;
  incidents: IncidentStore;
  templates: TemplateStore;
  customers: CustomerDirectory;
  deliveries: DeliveryStore;
  sms: SmsSender;
  /** A second provider behind `sms` with the breakers (sms-failover.ts); none: every SMS goes to `sms`. */
  failover?: Omit<SmsFailover, 'primary'>;
  /** The pool's sender for a recipient's number (shared/domain/sms-senders.ts chooseSender). */
  senderFor: (phone: string) => PacedSender;
  /** Shared by the batches this process sends, so a cancel is read twice a second, not once per send. */
  cancellation: CancellationWatch;
  /** Carries the rest of a batch on when the invocation's time runs short. */
  fanout: Fanout;
  /** Sends one invocation has in flight at once, so it is not bound by one provider call's latency. */
  sendsInFlight: number;
  providerTimeoutMs: number;
  statusCallbackUrl?: string;
}

/**
 * Sends one SMS batch.
 * 1. loads the broadcast, its incident and template version, and the batch's customers and
 *    delivery records (one BatchGetItem each), all at once; a cancelled broadcast sends nothing,
 *    and the cancellation watch takes the broadcast as read;
 * 2. keeps the records a claim could take (queued, or left sending by a holder whose lease ran
 *    out), so a redelivered batch never texts anyone twice;
 * 3. per record, `sendsInFlight` at a time, renders the SMS in the customer's language from the
 *    record's payload, picks its sender by the number's prefix, and delivers it once
 *    (`deliverOnce`): a slot of that sender's rate, a cancel check, a claim
 *    under a lease, the provider asked first if an earlier attempt is uncertain, the send, the
 *    outcome; a customer who opted out since planning is not texted, and a provider saying
 *    "unsubscribed" opts them out;
 * 4. starts nothing more after a cancel; when the invocation's time would not cover another
 *    send, publishes the records not tried as a new batch;
 * 5. on the message's last receive, publishes the records that failed but were not given up
 *    (uncertain, or short of their own tries: deliverOnce) as a new batch too, rather than leave
 *    them to the dead-letter queue and the sweeper. Its claims skip a record another invocation
 *    holds, and reconcile an uncertain one with the provider before any new send.
 * The ledger's change stream counts the outcomes and settles the broadcast (count-deliveries).
 * Throws after trying everyone if any send failed transiently, so the queue delivers it again; on
 * the last receive only if a record was given up, so the message stays in the dead-letter queue
 * as evidence.
 */
export async function sendSmsBatch(
  broadcastId: string,
  customerIds: string[],
  deps: SendSmsBatchDeps,
  invocation: Invocation,
): Promise<void> {
  const loadedFrom = Date.now();
  // Side by side: the batch's first SMS waits for one round of reads, not three.
  const [source, batchCustomers, batchRecords] = await Promise.all([
    loadBroadcastContext(broadcastId, deps),
    deps.customers.getMany(customerIds),
    deps.deliveries.getMany(broadcastId, 'sms', customerIds),
  ]);
  const { broadcast } = source;
  // As fresh as the watch's own reads: the first claim needs no read of the broadcast again.
  deps.cancellation.noteRead(broadcast, loadedFrom);
  if (broadcast.status === 'cancelled') return;
  const customers = new Map(batchCustomers.map((customer) => [customer.customerId, customer]));
  const records = new Map(batchRecords.map((record) => [record.recipientId, record]));
  const readAt = Date.now();
  logger.debug('SMS batch loaded', { recipients: customerIds.length });
  const toSend = customerIds.filter((customerId) => {
    const record = records.get(customerId);
    return record?.payload !== undefined && isClaimable(record, readAt);
  });
  let failures = 0;
  let next = 0;
  let stop: 'cancelled' | 'out_of_time' | undefined;
  const notTried: string[] = [];
  const kept: string[] = [];

  const sendOne = async (customerId: string) => {
    const customer = customers.get(customerId);
    const payload = records.get(customerId)?.payload ?? {};
    const sender = customer && deps.senderFor(customer.phone);
    const message = customer && {
      to: customer.phone,
      body: smsWithReplyHint(smsText(source, payload, customer.firstName).text, sender?.replyTo),
      statusCallback: statusCallbackFor(deps.statusCallbackUrl, broadcastId, customerId),
      ...(sender?.origin ? { sender: sender.origin } : {}),
    };
    const key: DeliveryKey = { broadcastId, channel: 'sms', recipientId: customerId };
    const attempt = smsAttempt(key, invocation.id, customer, message, deps);
    // Without a customer there is no sender, and the refusal takes no rate slot.
    const pace = sender && ((signal: AbortSignal) => sender.rate.acquire(signal));
    const outcome = await deliverOnce(key, attempt, { ...deps, pace }, invocation).catch((error: unknown) => {
      // On the last receive, a record not given up is handed on rather than failing the message.
      if (invocation.lastChance && !(error instanceof GaveUpError)) kept.push(customerId);
      else failures++;
      return 'retry' as const;
    });
    if (outcome === 'cancelled' || outcome === 'out_of_time') stop ??= outcome;
    if (outcome === 'out_of_time') notTried.push(customerId);
  };
  const lane = async () => {
    while (!stop && next < toSend.length) {
      const customerId = toSend[next++];
      if (customerId !== undefined) await sendOne(customerId);
    }
  };
  await Promise.all(Array.from({ length: Math.min(deps.sendsInFlight, toSend.length) }, lane));
  // Those kept on the last receive, those a lane gave back for lack of time, and those no lane reached.
  const handedOn = [...kept, ...(stop === 'out_of_time' ? [...notTried, ...toSend.slice(next)] : [])];
  if (handedOn.length > 0) {
    await deps.fanout.publish('sms', { broadcastId, customerIds: handedOn });
    if (kept.length > 0) {
      logger.info("Records kept queued on their batch's last receive went on in a new batch", {
        kept: kept.length,
      });
      count(METRIC.smsHandedOn, kept.length);
    }
  }
  if (failures > 0) {
    // On the last receive only records given up fail the message; before it, any transient failure.
    const why = invocation.lastChance ? 'given up after their retries' : 'failed transiently';
    throw new Error(`${failures} of ${customerIds.length} SMS ${why}`);
  }
}

/**
 * One customer's send: refused for good if they may no longer be texted (an opt-out since
 * planning), and an "unsubscribed" from the provider opts them out.
 */
function smsAttempt(
  key: DeliveryKey,
  owner: string,
  customer: Customer | undefined,
  message: SmsMessage | undefined,
  deps: Pick<SendSmsBatchDeps, 'sms' | 'failover' | 'customers' | 'deliveries'>,
): DeliveryAttempt {
  const customerId = key.recipientId;
  const failover = deps.failover && { ...deps.failover, primary: deps.sms };
  const exclusion = customer ? smsExclusion(customer) : 'invalidPhone';
  return {
    ...(!message || exclusion
      ? {
          refusal: new PermanentDeliveryError(
            'Customer no longer eligible',
            exclusion === 'optedOut' ? 'opted_out' : 'ineligible',
          ),
        }
      : {}),
    async send() {
      if (!message) throw new Error(`No message for customer ${customerId}`);
      try {
        return failover
          ? await sendWithFailover(key, owner, message, failover, deps.deliveries)
          : await deps.sms.send(message);
      } catch (error) {
        if (error instanceof PermanentDeliveryError && error.code === 'opted_out') {
          await deps.customers.setOptedOut(customerId, true);
        }
        throw error;
      }
    },
    ...(message ? { textSha256: textSha256(message.body) } : {}),
    findAccepted: async (since) => {
      if (!message) return [];
      if (failover) return findAcceptedAcross(key, message, since, failover, deps.deliveries);
      return deps.sms.findSent({ to: message.to, body: message.body, since });
    },
    // The fallback has no list to ask: what it accepted comes back through its events.
    reconcilesWith: 'twilio',
  };
}

/** The receipt names its delivery record in the URL Twilio signs, so no lookup by message id is needed. */
function statusCallbackFor(base: string | undefined, broadcastId: string, customerId: string) {
  if (!base) return undefined;
  const url = new URL(base);
  url.searchParams.set('broadcastId', broadcastId);
  url.searchParams.set('customerId', customerId);
  return url.toString();
}
