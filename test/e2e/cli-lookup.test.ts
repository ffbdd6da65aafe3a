/**
 * Issue 17, Lookup, through the real `herald` executable: `herald deliveries` and `herald
 * passenger` show a passenger's undelivered SMS with Twilio's code and reason, as a readable
 * table and with `--json`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#infra/local/stack.ts';
import type { DeliveryLine } from '#shared/api/deliveries.ts';
import type { PassengerLookup } from '#shared/api/passengers.ts';
import { type CliRun, runHeraldAs } from '#test/support/herald-cli.ts';
import { startTestStack } from '#test/support/local-stack.ts';
import {
  broadcastWithUnreachablePassenger,
  lookupOnceUndelivered,
  type UnreachablePassenger,
} from '#test/support/unreachable-passenger.ts';

/** Each test spawns `herald` two or three times: a second or two each, many more on a busy machine. */
const CLI_TEST_TIMEOUT_MS = 120_000;
const REASON = 'Unreachable handset: the phone was off or out of coverage';

describe('herald deliveries and herald passenger', () => {
  let stack: LocalStack;
  let scene: UnreachablePassenger;

  beforeAll(async () => {
    stack = await startTestStack();
    scene = await broadcastWithUnreachablePassenger(stack);
    await lookupOnceUndelivered(stack, scene.broadcastId, `customerId=${scene.passenger.customerId}`);
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  /** Runs `herald` as the demo operator. */
  const herald = (args: string[]) => runHeraldAs(stack, 'operator', args, { TZ: 'UTC' });
  const json = <T>(run: CliRun): T => {
    expect(run, run.stderr).toMatchObject({ code: 0 });
    return JSON.parse(run.stdout) as T;
  };

  it(
    'herald deliveries --status undelivered --channel sms: the record with its code and reason, the number masked',
    async () => {
      const { passenger, broadcastId } = scene;

      const text = await herald(['deliveries', broadcastId, '--status', 'undelivered', '--channel', 'sms']);
      const lines = json<DeliveryLine[]>(
        await herald(['--json', 'deliveries', broadcastId, '--status', 'undelivered']),
      );

      expect(text, text.stderr).toMatchObject({ code: 0 });
      const [header, row, ...rest] = text.stdout.trimEnd().split('\n');
      expect(header).toMatch(/^channel\s+recipient\s+status\s+attempts\s+updated\s+code\s+reason$/);
      expect(row).toMatch(
        new RegExp(
          `^sms\\s+\\+${passenger.phone.slice(1, 6)}•+${passenger.phone.slice(-2)}\\s+undelivered\\s+1\\s+.+\\s+30003\\s+${REASON}$`,
        ),
      );
      expect(rest).toEqual([]);
      expect(text.stdout).not.toContain(passenger.phone);
      expect(lines).toEqual([
        expect.objectContaining({ customerId: passenger.customerId, errorCode: '30003', reason: REASON }),
      ]);
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'herald passenger <bookingRef>, --phone and --customer: the passengers, then each SMS with its problem',
    async () => {
      const { passenger, bookingRef, broadcastId, incidentTitle } = scene;

      const text = await herald(['passenger', bookingRef]);
      const byPhone = json<PassengerLookup>(
        await herald(['--json', 'passenger', '--phone', passenger.phone]),
      );
      const byCustomer = json<PassengerLookup>(
        await herald(['passenger', '--customer', passenger.customerId, '--json']),
      );

      expect(text, text.stderr).toMatchObject({ code: 0 });
      expect(text.stdout).toMatch(/^customer\s+phone\s+language\s+SMS consent\s+opted out$/m);
      expect(text.stdout).toMatch(
        new RegExp(`^${passenger.customerId}\\s+\\+\\d+•+\\d\\d\\s+${passenger.language}\\s+yes\\s+no$`, 'm'),
      );
      const failedRow = text.stdout
        .split('\n')
        .find((line) => line.includes(broadcastId) && line.includes(passenger.customerId));
      expect(failedRow).toMatch(
        new RegExp(
          `^${incidentTitle}\\s+${broadcastId}\\s+initial\\s+${passenger.customerId}\\s+${bookingRef}\\s+undelivered\\s+1\\s+.+30003\\s+${REASON}$`,
        ),
      );
      expect(text.stdout).not.toContain(passenger.phone);
      for (const answer of [byPhone, byCustomer]) {
        expect(answer.passengers.map((found) => found.customerId)).toEqual([passenger.customerId]);
        expect(answer.items).toEqual([
          expect.objectContaining({ broadcastId, errorCode: '30003', reason: REASON }),
        ]);
      }
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'herald passenger needs exactly one of a booking reference, --phone and --customer (exit 2)',
    async () => {
      const none = await herald(['passenger']);
      const two = await herald(['passenger', scene.bookingRef, '--customer', scene.passenger.customerId]);

      for (const run of [none, two]) {
        expect(run.code).toBe(2);
        expect(run.stderr).toContain('Name the passenger once: a booking reference, --phone or --customer.');
      }
    },
    CLI_TEST_TIMEOUT_MS,
  );
});
