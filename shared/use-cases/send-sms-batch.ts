import { messageLanguage, smsExclusion } from '#shared/domain/eligibility.ts';
import { PermanentDeliveryError } from '#shared/domain/errors.ts';
import { localTime, publicContext, renderField } from '#shared/domain/render.ts';
import type { SmsSender } from '#shared/ports/providers.ts';
import type {
  BroadcastStore,
  CustomerDirectory,
  DeliveryStore,
  IncidentStore,
  TemplateStore,
} from '#shared/ports/stores.ts';
import { loadBroadcastContext } from './load-broadcast-context.ts';
import { sendOnce } from './record-outcome.ts';

export interface SendSmsBatchDeps {
  broadcasts: BroadcastStore;
  incidents: IncidentStore;
  templates: TemplateStore;
  customers: CustomerDirectory;
  deliveries: DeliveryStore;
  sms: SmsSender;
  statusCallbackUrl?: string;
}

/**
 * Sends one SMS batch.
 * 1. loads the broadcast, its incident and template version, and the batch's customers;
 * 2. per customer, reads the delivery record's payload and renders the SMS in their language;
 * 3. sends through the ledger (`sendOnce`): a record already sent is skipped, so a redelivered
 *    batch never texts anyone twice; a customer who opted out since planning is not texted.
 * Returns the ids that failed transiently, for the caller to retry.
 */
export async function sendSmsBatch(
  broadcastId: string,
  customerIds: string[],
  deps: SendSmsBatchDeps,
): Promise<{ retry: string[] }> {
  const { broadcast, incident, template } = await loadBroadcastContext(broadcastId, deps);
  if (broadcast.status === 'cancelled') return { retry: [] };
  const shared = publicContext(incident, broadcast.variables);
  const customers = new Map(
    (await deps.customers.getMany(customerIds)).map((customer) => [customer.customerId, customer]),
  );
  const retry: string[] = [];

  for (const customerId of customerIds) {
    const key = { broadcastId, channel: 'sms' as const, recipientId: customerId };
    const delivery = await deps.deliveries.get(broadcastId, 'sms', customerId);
    if (!delivery?.payload || delivery.status !== 'queued') continue;
    const { payload } = delivery;
    const customer = customers.get(customerId);
    try {
      await sendOnce(
        key,
        async () => {
          const exclusion = customer ? smsExclusion(customer) : 'invalidPhone';
          if (!customer || exclusion) {
            throw new PermanentDeliveryError(
              'Customer no longer eligible',
              exclusion === 'optedOut' ? 'opted_out' : (exclusion ?? 'missing'),
            );
          }
          const { text } = renderField(
            template,
            messageLanguage(payload.language ?? customer.language),
            'sms',
            {
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
            },
          );
          return deps.sms.send({ to: customer.phone, body: text, statusCallback: deps.statusCallbackUrl });
        },
        deps,
      );
    } catch {
      retry.push(customerId);
    }
  }
  return { retry };
}
