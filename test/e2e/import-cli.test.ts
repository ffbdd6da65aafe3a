import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#infra/local/stack.ts';
import { DynamoBookingIndex } from '#shared/adapters/dynamodb/booking-index.ts';
import { DynamoCustomerDirectory } from '#shared/adapters/dynamodb/customer-directory.ts';
import { DynamoFlightCatalog } from '#shared/adapters/dynamodb/flight-catalog.ts';
import type { FlightRef, PassengerSegment } from '#shared/domain/model.ts';
import type { Role } from '#shared/domain/roles.ts';
import { runHerald, runHeraldAs } from '#test/support/herald-cli.ts';
import { startTestStack } from '#test/support/local-stack.ts';

/** Runs the real `herald` executable as a user would, against the test stack, as `role`. */
const herald = (stack: LocalStack, role: Role, args: string[]) => runHeraldAs(stack, role, args);

const ndjson = (lines: (object | string)[]) =>
  `${lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n')}\n`;

async function passengers(ref: FlightRef): Promise<PassengerSegment[]> {
  const found: PassengerSegment[] = [];
  for await (const page of new DynamoBookingIndex().passengersOn(ref)) found.push(...page);
  return found.sort((a, b) =>
    `${a.bookingRef}${a.customerId}`.localeCompare(`${b.bookingRef}${b.customerId}`),
  );
}

describe('herald import and herald seed against the local stack', () => {
  let stack: LocalStack;
  let dir: string;
  const date = '2026-11-23';
  const flight = (flightNumber: string, origin: string, destination: string, hour: number) => ({
    flightNumber,
    carrier: 'AY',
    date,
    origin,
    destination,
    departure: `${date}T${String(hour).padStart(2, '0')}:00:00+00:00`,
    arrival: `${date}T${String(hour + 1).padStart(2, '0')}:30:00+00:00`,
  });
  const customer = (customerId: string, language: string) => ({
    customerId,
    firstName: 'Aino',
    lastName: 'Virtanen',
    phone: '+358401234567',
    language,
    smsConsent: true,
  });
  const AY1 = { flightNumber: 'AY1', date };
  const AY2 = { flightNumber: 'AY2', date };
  const AY3 = { flightNumber: 'AY3', date };
  const paths = { flights: '', customers: '', bookings: '' };
  /** `herald import` of the three files, as the admin. */
  const importAll = () =>
    herald(stack, 'admin', [
      'import',
      '--flights',
      paths.flights,
      '--customers',
      paths.customers,
      '--bookings',
      paths.bookings,
    ]);

  beforeAll(async () => {
    stack = await startTestStack({ HERALD_SEED: 'none' });
    dir = await mkdtemp(join(tmpdir(), 'herald-import-'));
    paths.flights = join(dir, 'flights.ndjson');
    paths.customers = join(dir, 'customers.ndjson');
    paths.bookings = join(dir, 'bookings.ndjson');
    await writeFile(
      paths.flights,
      ndjson([
        flight('AY1', 'HEL', 'OSL', 6),
        flight('AY2', 'OSL', 'HEL', 9),
        { ...flight('AY9', 'HEL', 'XQZ', 6) },
        flight('AY3', 'HEL', 'TLL', 12),
        '{"flightNumber": "AY4",',
      ]),
    );
    await writeFile(
      paths.customers,
      ndjson([
        customer('C1', 'fi'),
        customer('C2', 'sv'),
        { ...customer('C3', 'de'), phone: '040 123' },
        { customerId: 'C4', firstName: 'Eero', lastName: 'Laine', phone: '+358401111111', language: 'fi' },
      ]),
    );
  });
  afterAll(async () => {
    await stack?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('imports the good lines, reports each bad one as file:line: message and exits 1', async () => {
    await writeFile(
      paths.bookings,
      ndjson([
        { bookingRef: 'BK1', passengers: ['C1', 'C2'], segments: [AY1] },
        { bookingRef: 'BK2', passengers: ['C3'], segments: [AY2] },
        { bookingRef: 'BK3', passengers: ['C1'], segments: [{ flightNumber: 'AY1', date: '23.11.2026' }] },
      ]),
    );

    const run = await importAll();

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${paths.flights}:3: destination: Unknown airport code.`);
    expect(run.stderr).toContain(`${paths.flights}:5: Not valid JSON.`);
    expect(run.stderr).toContain(
      `${paths.customers}:4: smsConsent: Invalid input: expected boolean, received undefined`,
    );
    expect(run.stderr).toContain(`${paths.bookings}:3: segments[0].date: Invalid ISO date`);
    expect(run.stderr.match(/\.ndjson:\d+: /g)).toHaveLength(4);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout).toContain(`${paths.flights}: 5 lines, 3 accepted, 2 rejected`);
    expect(run.stdout).toMatch(/Total: 12 lines, 8 accepted, 4 rejected in [\d.]+ s \([\d,]+ lines\/s\)/);

    expect(await new DynamoFlightCatalog().get(AY3)).toMatchObject({ origin: 'HEL', destination: 'TLL' });
    expect(await new DynamoFlightCatalog().get({ flightNumber: 'AY9', date })).toBeUndefined();
    const stored = await new DynamoCustomerDirectory().getMany(['C1', 'C2', 'C3', 'C4']);
    expect(stored.map((c) => c.customerId).sort()).toEqual(['C1', 'C2', 'C3']);
    // An invalid number is data: stored as given, for eligibility to exclude.
    expect(stored.find((c) => c.customerId === 'C3')?.phone).toBe('040 123');
    expect((await passengers(AY1)).map((p) => `${p.bookingRef}/${p.customerId}`)).toEqual([
      'BK1/C1',
      'BK1/C2',
    ]);
    expect((await passengers(AY2)).map((p) => `${p.bookingRef}/${p.customerId}`)).toEqual(['BK2/C3']);
  });

  it('updates in place on re-import: a booking moved to another flight is gone from the old one', async () => {
    await writeFile(
      paths.bookings,
      ndjson([
        { bookingRef: 'BK1', passengers: ['C1'], segments: [AY3] },
        { bookingRef: 'BK2', passengers: ['C3'], segments: [AY2] },
      ]),
    );

    const run = await importAll();

    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${paths.bookings}: 2 lines, 2 accepted, 0 rejected`);
    expect(await passengers(AY1)).toEqual([]);
    expect((await passengers(AY3)).map((p) => `${p.bookingRef}/${p.customerId}`)).toEqual(['BK1/C1']);
    expect((await passengers(AY2)).map((p) => `${p.bookingRef}/${p.customerId}`)).toEqual(['BK2/C3']);
  });

  it('exits 0 when every line is accepted', async () => {
    const run = await herald(stack, 'admin', ['import', '--bookings', paths.bookings]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('shows the API problem, not a stack trace, and exits 2 for a role that may not import', async () => {
    const run = await herald(stack, 'operator', ['import', '--flights', paths.flights]);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Forbidden (403): Your role may not call POST /imports/{kind}.');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 with a readable message when the API cannot be reached', async () => {
    const run = await runHerald(['import', '--flights', paths.flights], {
      HERALD_API_URL: 'http://127.0.0.1:9',
      HERALD_API_KEY: 'hk_any',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Cannot reach Herald at http://127.0.0.1:9');
  });

  it('seeds a synthetic airline of 300 customers through the same API', async () => {
    const run = await herald(stack, 'admin', ['seed', '--customers', '300', '--start-date', date]);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/customers: 300 lines, 300 accepted, 0 rejected/);
    expect(run.stdout).toMatch(/bookings: 330 lines, 330 accepted, 0 rejected/);
    const seeded = await new DynamoCustomerDirectory().getMany(['C0000001', 'C0000300', 'C0000301']);
    expect(seeded.map((c) => c.customerId).sort()).toEqual(['C0000001', 'C0000300']);
    expect(await new DynamoFlightCatalog().get({ flightNumber: 'AY1000', date })).toMatchObject({
      origin: 'HEL',
    });
    // A week of flights (6,720) goes in whatever the customer count: about 20 s locally.
  }, 120_000);
});
