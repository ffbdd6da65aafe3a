import { smsExclusion } from '#shared/domain/eligibility.ts';
import { PermanentDeliveryError } from '#shared/domain/errors.ts';
import type { Language, TemplateVersion } from '#shared/domain/model.ts';
import { localTime, publicContext, type RenderContext, renderField } from '#shared/domain/render.ts';
import type { SmsSender } from '#shared/ports/providers.ts';
import type {
  BroadcastStore,
  CustomerDirectory,
  DeliveryKey,
  DeliveryStore,
  IncidentStore,
  RateLimiter,
  TemplateStore,
} from '#shared/ports/stores.ts';
import type { CancellationWatch } from './cancellation-watch.ts';
import { loadBroadcastContext } from './load-broadcast-context.ts';
import { sendClaimed } from './record-outcome.ts';
import { settleBroadcast } from './settle-broadcast.ts';

export interface SendSmsBatchDeps {
  broadcasts: BroadcastStore;
  incidents: IncidentStore;
  templates: TemplateStore;
  customers: CustomerDirectory;
  deliveries: DeliveryStore;
  sms: SmsSender;
  smsRate: RateLimiter;
  /** Shared by the batches this process sends, so a cancel is read once a second, not once per batch. */
  cancellation: CancellationWatch;
  statusCallbackUrl?: string;
}

/**
 * Sends one SMS batch.
 * 1. loads the broadcast, its incident and template version, and the batch's customers and
 *    delivery records (one BatchGetItem each);
 * 2. claims the records still queued in one write (queued → sending): a record already handled
 *    is skipped, so a redelivered batch never texts anyone twice;
 * 3. per claimed record, stops if the broadcast was cancelled (read once a second), renders
 *    the SMS in the customer's language from the record's payload and sends it through the
 *    ledger (`sendClaimed`), paced by the shared SMS rate; a customer who opted out since
 *    planning is not texted, and a provider saying "unsubscribed" opts them out;
 * 4. puts records claimed but not tried (cancelled, or an error) back to queued;
 * 5. checks once whether the broadcast is done.
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
  if (broadcast.status === 'cancelled') return;
  const keyOf = (recipientId: string): DeliveryKey => ({ broadcastId, channel: 'sms', recipientId });
  // One write claims every record still to go (queued → sending); those handled already are left out.
  const claimed = (
    await deps.deliveries.transitionMany(
      customerIds
        .filter((customerId) => {
          const delivery = deliveries.get(customerId);
          return delivery?.payload !== undefined && delivery.status === 'queued';
        })
        .map((customerId) => ({ key: keyOf(customerId), to: 'sending', from: ['queued'] })),
    )
  ).map(({ key }) => key.recipientId);
  let failures = 0;
  let attempted = 0;

  try {
    for (const customerId of claimed) {
      if (await deps.cancellation.isCancelled(broadcastId)) return;
      attempted++;
      const payload = deliveries.get(customerId)?.payload ?? {};
      const customer = customers.get(customerId);
      const send = async () => {
        const exclusion = customer ? smsExclusion(customer) : 'invalidPhone';
        if (!customer || exclusion) {
          throw new PermanentDeliveryError(
            'Customer no longer eligible',
            exclusion === 'optedOut' ? 'opted_out' : 'ineligible',
          );
        }
        const text = smsText(template, payload, { ...shared, customer: { firstName: customer.firstName } });
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
        await sendClaimed(
          keyOf(customerId),
          send,
          { ...deps, pace: () => deps.smsRate.acquire() },
          { ...options, settle: false },
        );
      } catch {
        failures++;
      }
    }
  } finally {
    // Claimed but not tried (cancelled, or stopped by an error): queued again for whoever comes next.
    await deps.deliveries.transitionMany(
      claimed
        .slice(attempted)
        .map((customerId) => ({ key: keyOf(customerId), to: 'queued', from: ['sending'] })),
    );
  }
  await settleBroadcast(broadcastId, deps.broadcasts);
  if (failures > 0) throw new Error(`${failures} of ${customerIds.length} SMS failed transiently`);
}

/** The SMS in the recipient's language, naming the flight and booking fixed on their record at planning. */
function smsText(template: TemplateVersion, payload: Record<string, string>, context: RenderContext): string {
  return renderField(template, (payload.language ?? 'en') as Language, 'sms', {
    ...context,
    booking: { ref: payload.bookingRef ?? '' },
    flight: {
      number: payload.flightNumber ?? '',
      date: payload.date ?? '',
      origin: payload.origin ?? '',
      departureTime: payload.departure && payload.origin ? localTime(payload.departure, payload.origin) : '',
    },
  }).text;
}
