/** `herald deliveries` and `herald passenger`: who got what, and why not. */
import type { ApiClient } from '#cli/api-client.ts';
import { CliError } from '#cli/errors.ts';
import { type OutputOptions, print, table, time } from '#cli/output.ts';
import type { DeliveryLine } from '#shared/api/deliveries.ts';
import { allPages } from '#shared/api/pages.ts';
import type { PassengerLookup, PassengerMessage, PassengerSummary } from '#shared/api/passengers.ts';
import type { Channel, DeliveryStatus } from '#shared/domain/model.ts';

export interface DeliveriesOptions extends OutputOptions {
  status?: DeliveryStatus;
  channel?: Channel;
}

export interface PassengerOptions extends OutputOptions {
  phone?: string;
  customer?: string;
}

/** The code and the reason, or a dash when nothing went wrong. */
const problem = (line: { errorCode?: string; reason?: string }) =>
  [line.errorCode ?? '–', line.reason ?? ''] as const;

/** `herald deliveries <broadcastId> [--status S] [--channel C]`: every record, following `next`. */
export async function deliveriesCommand(
  client: ApiClient,
  broadcastId: string,
  options: DeliveriesOptions,
): Promise<void> {
  const filters = new URLSearchParams({
    ...(options.status ? { status: options.status } : {}),
    ...(options.channel ? { channel: options.channel } : {}),
  });
  const query = filters.size > 0 ? `?${filters}` : '';
  const items = await client.list<DeliveryLine>(
    `/broadcasts/${encodeURIComponent(broadcastId)}/deliveries${query}`,
  );
  print(options, items, () =>
    items.length === 0
      ? 'No delivery records match.'
      : table(
          ['channel', 'recipient', 'status', 'attempts', 'updated', 'code', 'reason'],
          items.map((line) => [
            line.channel,
            line.recipient,
            line.status,
            String(line.attempts),
            time(line.updatedAt),
            ...problem(line),
          ]),
        ),
  );
}

/** Exactly one of the three, as the API asks. */
function passengerQuery(bookingRef: string | undefined, options: PassengerOptions): string {
  const given = [
    ['bookingRef', bookingRef],
    ['phone', options.phone],
    ['customerId', options.customer],
  ].filter((pair): pair is [string, string] => pair[1] !== undefined && pair[1].trim() !== '');
  if (given.length !== 1)
    throw new CliError('Name the passenger once: a booking reference, --phone or --customer.');
  return `/passengers?${new URLSearchParams(given)}`;
}

function passengerLines(passengers: PassengerSummary[], messages: PassengerMessage[]): string[] {
  return [
    ...table(
      ['customer', 'phone', 'language', 'SMS consent', 'opted out'],
      passengers.map((passenger) => [
        passenger.customerId,
        passenger.phone,
        passenger.language,
        passenger.smsConsent ? 'yes' : 'no',
        passenger.optedOut ? 'yes' : 'no',
      ]),
    ),
    '',
    ...(messages.length === 0
      ? ['No SMS sent to them.']
      : table(
          [
            'incident',
            'broadcast',
            'kind',
            'customer',
            'booking',
            'status',
            'attempts',
            'queued',
            'updated',
            'code',
            'reason',
          ],
          messages.map((message) => [
            message.incidentTitle,
            message.broadcastId,
            message.kind,
            message.customerId,
            message.bookingRef ?? '',
            message.status,
            String(message.attempts),
            time(message.queuedAt),
            time(message.updatedAt),
            ...problem(message),
          ]),
        )),
  ];
}

/**
 * `herald passenger <bookingRef> | --phone N | --customer ID`: the passengers, then every SMS
 * Herald sent them, newest incident first, following `next` to the last incident.
 */
export async function passengerCommand(
  client: ApiClient,
  bookingRef: string | undefined,
  options: PassengerOptions,
): Promise<void> {
  let passengers: PassengerSummary[] = [];
  const messages = await allPages(passengerQuery(bookingRef, options), async (path) => {
    const page = await client.get<PassengerLookup>(path);
    passengers = page.passengers;
    return page;
  });
  print(options, { passengers, items: messages }, () => passengerLines(passengers, messages));
}
