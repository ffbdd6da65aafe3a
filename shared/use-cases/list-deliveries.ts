import type { DeliveryLine } from '#shared/api/deliveries.ts';
import { incidentDeadline, reachedBeforeDeadline } from '#shared/domain/deadline.ts';
import { deliveryProblem } from '#shared/domain/delivery-problems.ts';
import { deliveryTimes } from '#shared/domain/delivery-times.ts';
import { NotFoundError } from '#shared/domain/errors.ts';
import { maskPhone, maskPhonesIn } from '#shared/domain/masking.ts';
import type {
  BroadcastStore,
  CustomerDirectory,
  DeliveryQuery,
  DeliveryStore,
  IncidentStore,
  Page,
} from '#shared/ports/stores.ts';

export interface ListDeliveriesDeps {
  broadcasts: BroadcastStore;
  deliveries: DeliveryStore;
  customers: CustomerDirectory;
  incidents: IncidentStore;
  now?: () => number;
}

/** What an SMS recipient shows when the directory no longer holds the customer. */
const UNKNOWN_NUMBER = 'unknown';

/**
 * A broadcast's delivery records, a page at a time, for the staff following it up.
 * 1. checks the broadcast exists (404 otherwise, rather than an empty list for a typo);
 * 2. reads a page of its ledger records, only those in `status` and on `channel` if given;
 * 3. looks up the page's SMS recipients (one BatchGet) and shows each number masked, as it
 *    masks any number a provider's error message quotes;
 * 4. names each problem: the provider's code and a readable reason;
 * 5. says of each SMS whether it reached its passenger by the incident's notification deadline,
 *    from the time the record was sent or delivered (derived here: nothing is written per recipient).
 */
export async function listDeliveries(
  broadcastId: string,
  query: DeliveryQuery,
  deps: ListDeliveriesDeps,
): Promise<Page<DeliveryLine>> {
  const broadcast = await deps.broadcasts.get(broadcastId);
  if (!broadcast) throw new NotFoundError('Broadcast', broadcastId);
  const [page, incident] = await Promise.all([
    deps.deliveries.list(broadcastId, query),
    deps.incidents.get(broadcast.incidentId),
  ]);
  const deadline = incident && incidentDeadline(incident);
  const now = (deps.now ?? Date.now)();
  const smsRecipients = page.items
    .filter((record) => record.channel === 'sms')
    .map((record) => record.recipientId);
  const phones = new Map(
    (await deps.customers.getMany(smsRecipients)).map((customer) => [customer.customerId, customer.phone]),
  );
  return {
    ...page,
    items: page.items.map((record) => {
      const problem = deliveryProblem(record, broadcast.status);
      const { sentAt } = deliveryTimes(record, broadcast);
      const inTime =
        record.channel === 'sms' && deadline ? reachedBeforeDeadline(record, deadline, now) : undefined;
      return {
        channel: record.channel,
        ...(record.channel === 'sms'
          ? {
              recipient: maskPhone(phones.get(record.recipientId) ?? UNKNOWN_NUMBER),
              customerId: record.recipientId,
            }
          : { recipient: record.recipientId }),
        status: record.status,
        attempts: record.attempts,
        ...(record.lastError === undefined ? {} : { lastError: maskPhonesIn(record.lastError) }),
        ...(problem ? { errorCode: problem.code, reason: problem.reason } : {}),
        updatedAt: record.updatedAt,
        ...(sentAt === undefined ? {} : { sentAt }),
        ...(inTime === undefined ? {} : { reachedBeforeDeadline: inTime }),
      };
    }),
  };
}
