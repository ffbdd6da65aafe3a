/**
 * A broadcast in which one passenger cannot be reached: the first demo passenger texted at
 * Helsinki has their number registered as undeliverable in the Twilio sandbox, so Twilio's
 * receipt reports it undelivered with error 30003. For the lookup tests (API, CLI, console).
 */
import { isValidPhoneNumber } from 'libphonenumber-js/max';
import { expect } from 'vitest';
import { demoAirline } from '#infra/local/seed/demo-airline.ts';
import type { LocalStack } from '#infra/local/stack.ts';
import type { PassengerLookup } from '#shared/api/passengers.ts';
import type { Customer } from '#shared/domain/model.ts';
import { affectedDemoCustomers, demoWindow } from './demo-audience.ts';
import { apiClient, eventually, smsStrikeAtHelsinki } from './local-stack.ts';

export interface UnreachablePassenger {
  passenger: Customer;
  bookingRef: string;
  broadcastId: string;
  incidentTitle: string;
}

/** Makes the Twilio sandbox report `numbers` undelivered (30003), and only those: `[]` undoes it. */
export async function registerUndeliverable(
  stack: Pick<LocalStack, 'sandboxes'>,
  numbers: string[],
): Promise<void> {
  const registered = await fetch(`${stack.sandboxes.twilio}/__sandbox/undeliverable`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ numbers }),
  });
  expect(registered.status).toBe(200);
}

export async function broadcastWithUnreachablePassenger(stack: LocalStack): Promise<UnreachablePassenger> {
  const operator = apiClient(stack, 'operator');
  const window = demoWindow();
  const [passenger] = affectedDemoCustomers('HEL', window.start, window.end).filter(
    (customer) => customer.smsConsent && isValidPhoneNumber(customer.phone),
  );
  if (!passenger) throw new Error('The demo airline has no passenger to text at HEL');
  const booking = demoAirline(window.start.slice(0, 10)).bookings.find((candidate) =>
    candidate.passengers.includes(passenger.customerId),
  );
  if (!booking) throw new Error(`No booking for ${passenger.customerId}`);
  await registerUndeliverable(stack, [passenger.phone]);
  const { broadcastId, incidentTitle } = await smsStrikeAtHelsinki(operator, window);
  return { passenger, bookingRef: booking.bookingRef, broadcastId, incidentTitle };
}

/** The broadcast's planning, its SMS and Twilio's receipt, on a busy 2-core machine. */
const RECEIPT_WAIT_MS = 90_000;

/** The lookup `query` answers once the sandbox's undelivered receipt for the broadcast has been applied. */
export function lookupOnceUndelivered(
  stack: LocalStack,
  broadcastId: string,
  query: string,
): Promise<PassengerLookup> {
  const operator = apiClient(stack, 'operator');
  return eventually(async () => {
    const { status, body } = await operator<PassengerLookup>('GET', `/passengers?${query}`);
    expect(status).toBe(200);
    const failed = body.items.find((item) => item.broadcastId === broadcastId);
    return failed?.status === 'undelivered' ? body : undefined;
  }, RECEIPT_WAIT_MS);
}
