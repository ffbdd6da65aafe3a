import { smsExclusion } from '#shared/domain/eligibility.ts';
import { PermanentDeliveryError } from '#shared/domain/errors.ts';
import type { Language } from '#shared/domain/model.ts';
import { localTime, publicContext, renderField } from '#shared/domain/render.ts';
import type { SmsSender } from '#shared/ports/providers.ts';
import type {
  BroadcastStore,
  CustomerDirectory,
  DeliveryStore,
  IncidentStore,
  RateLimiter,
  TemplateStore,
} from '#shared/ports/stores.ts';
import { loadBroadcastContext } from './load-broadcast-context.ts';
import { sendOnce } from './record-outcome.ts';
import { settleBroadcast } from './settle-broadcast.ts';

export interface SendSmsBatchDeps {
  broadcasts: BroadcastStore;
  incidents: IncidentStore;
  templates: TemplateStore;
  customers: CustomerDirectory;
  deliveries: DeliveryStore;
  sms: SmsSender;
  smsRate: RateLimiter;
  statusCallbackUrl?: string;
}

/** How stale the worker's view of a cancellation may be: cancel stops sends within this. */
const CANCEL_CHECK_MS = 1_000;

/**
 * Sends one SMS batch.
 * 1. loads the broadcast, its incident and template version, and the batch's customers and
 *    delivery records (one BatchGetItem each);
 * 2. per customer, stops if the broadcast was cancelled (checked every second), reads the
 *    delivery record's payload and renders the SMS in the customer's language;
 * 3. sends through the ledger (`sendOnce`), paced by the shared SMS rate: a record already
 *    handled is skipped, so a redelivered batch never texts anyone twice; a customer who opted
 *    out since planning is not texted, and a provider saying "unsubscribed" opts them out.
 * 4. checks once whether the broadcast is done.
 * Throws after trying everyone if any send failed transiently, so the queue delivers it again.
 */
export async function sendSmsBatch(
  broadcastId: string,
  customerIds: string[],
  deps: SendSmsBatchDeps,
  options: { lastChance?: boolean } = {},
): Promise<void> {
  const { broadcast, incident, template } = await loadBroadcastContext(broadcastId, deps);
  const shared = publicContext(incident, broadcast.variables);
  const customers = new Map(
    (await deps.customers.getMany(customerIds)).map((customer) => [customer.customerId, customer]),
  );
  // The receipt names its delivery record in the URL Twilio signs, so no lookup by message id is needed.
  const callbackFor = (customerId: string) => {
    if (!deps.statusCallbackUrl) return undefined;
    const url = new URL(deps.statusCallbackUrl);
    url.searchParams.set('broadcastId', broadcastId);
    url.searchParams.set('customerId', customerId);
    return url.toString();
  };
  const deliveries = new Map(
    (await deps.deliveries.getMany(broadcastId, 'sms', customerIds)).map((record) => [
      record.recipientId,
      record,
    ]),
  );
  let cancelled = broadcast.status === 'cancelled';
  let checkedAt = Date.now();
  let failures = 0;

  for (const customerId of customerIds) {
    if (!cancelled && Date.now() - checkedAt > CANCEL_CHECK_MS) {
      cancelled = (await deps.broadcasts.get(broadcastId))?.status === 'cancelled';
      checkedAt = Date.now();
    }
    if (cancelled) return;
    const delivery = deliveries.get(customerId);
    if (!delivery?.payload || delivery.status !== 'queued') continue;
    const { payload } = delivery;
    const customer = customers.get(customerId);
    const send = async () => {
      const exclusion = customer ? smsExclusion(customer) : 'invalidPhone';
      if (!customer || exclusion) {
        throw new PermanentDeliveryError(
          'Customer no longer eligible',
          exclusion === 'optedOut' ? 'opted_out' : 'ineligible',
        );
      }
      const { text } = renderField(template, (payload.language ?? 'en') as Language, 'sms', {
        ...shared,
        customer: { firstName: customer.firstName },
        booking: { ref: payload.bookingRef ?? '' },
        flight: {
          number: payload.flightNumber ?? '',
          date: payload.date ?? '',
          origin: payload.origin ?? '',
          departureTime:
            payload.departure && payload.origin ? localTime(payload.departure, payload.origin) : '',
        },
      });
      try {
        return await deps.sms.send({
          to: customer.phone,
          body: text,
          statusCallback: callbackFor(customerId),
        });
      } catch (error) {
        if (error instanceof PermanentDeliveryError && error.code === 'opted_out') {
          await deps.customers.setOptedOut(customerId, true);
        }
        throw error;
      }
    };
    try {
      await sendOnce(
        { broadcastId, channel: 'sms', recipientId: customerId },
        send,
        { ...deps, pace: () => deps.smsRate.acquire() },
        { ...options, settle: false },
      );
    } catch {
      failures++;
    }
  }
  await settleBroadcast(broadcastId, deps.broadcasts);
  if (failures > 0) throw new Error(`${failures} of ${customerIds.length} SMS failed transiently`);
}
