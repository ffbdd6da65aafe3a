/**
 * `npm run bench:audience`: how fast Herald works out who is affected, against the floor of
 * the same machine. In one run:
 * 1. starts DynamoDB Local and seeds a synthetic airline of about 200,000 bookings;
 * 2. picks two strike windows, for about 10,000 and 100,000 recipients;
 * 3. for each, in fresh processes: the bare Query loop over the affected flights' index pages
 *    (`raw`), the same Queries six at a time as Herald issues them (`raw-parallel`), then
 *    Herald's audience resolution over the same flights (`herald`);
 * 4. prints the rates, their ratios and Herald's peak RSS (every probe under the same 128 MB heap
 *    ceiling), and writes bench/results/audience.json.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { startDynamoDbLocal } from '#infra/local/dynamodb-local.ts';
import { HUBS, syntheticAirline } from '#infra/local/seed/synthetic-airline.ts';
import { TABLES } from '#infra/tables.ts';
import type { Incident } from '#shared/domain/model.ts';
import { seedSynthetic } from './synthetic-seed.ts';

const BOOKINGS = Number(process.env.BENCH_BOOKINGS ?? 200_000);
const TARGETS = [10_000, 100_000];
const START_DATE = '2026-12-01';
const ELIGIBLE_SHARE = 0.96;
const HEAP_CEILING_MB = 128;

interface Probe {
  mode: 'raw' | 'raw-parallel' | 'herald';
  flights: number;
  pages: number;
  items: number;
  recipients: number;
  seconds: number;
  maxRssMb: number;
}

/** Hours from the schedule start after which about `customers` distinct customers have departed. */
function hoursFor(airline: ReturnType<typeof syntheticAirline>, customers: number[]): number[] {
  const departures = new Map<string, number>();
  for (const flight of airline.flights())
    departures.set(`${flight.flightNumber}#${flight.date}`, Date.parse(flight.departure));
  const firstDeparture = new Map<string, number>();
  for (const booking of airline.bookings()) {
    for (const segment of booking.segments) {
      const at = departures.get(`${segment.flightNumber}#${segment.date}`) ?? Number.POSITIVE_INFINITY;
      for (const id of booking.passengers) firstDeparture.set(id, Math.min(firstDeparture.get(id) ?? at, at));
    }
  }
  const times = [...firstDeparture.values()].sort((a, b) => a - b);
  const start = Date.parse(`${START_DATE}T00:00:00Z`);
  return customers.map((count) => {
    const at = times[Math.min(times.length - 1, Math.max(0, count - 1))] ?? start;
    return Math.max(1, Math.ceil((at - start) / 3_600_000));
  });
}

async function probe(mode: Probe['mode'], incident: Incident, env: NodeJS.ProcessEnv): Promise<Probe> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    // The same heap ceiling for every size: a bounded working set fits under it at any audience,
    // while without one V8 lets garbage pile up to whatever the machine offers before collecting.
    [
      `--max-old-space-size=${HEAP_CEILING_MB}`,
      '--import',
      'tsx',
      'bench/audience-probe.ts',
      mode,
      JSON.stringify(incident),
    ],
    { env, maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Probe;
}

const dynamoDb = await startDynamoDbLocal({ port: 0 });
try {
  const env = {
    ...process.env,
    AWS_REGION: 'eu-north-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: dynamoDb.endpoint,
    ...Object.fromEntries(TABLES.map((table) => [table.envVar, table.name])),
  };
  Object.assign(process.env, env);

  const airline = syntheticAirline({ customers: Math.round(BOOKINGS / 1.1), startDate: START_DATE, seed: 1 });
  console.log(`Seeding a synthetic airline with ${airline.counts.bookings} bookings…`);
  const seeded = await seedSynthetic(airline, console.log);
  console.log(`  seeded in ${seeded.seconds.toFixed(0)} s`);

  const hours = hoursFor(
    airline,
    TARGETS.map((target) => Math.round(target / ELIGIBLE_SHARE)),
  );
  const rows = [];
  for (const [index, target] of TARGETS.entries()) {
    const end = new Date(
      Date.parse(`${START_DATE}T00:00:00Z`) + (hours[index] ?? 1) * 3_600_000,
    ).toISOString();
    const incident: Incident = {
      id: `bench-${target}`,
      type: 'strike',
      title: 'Benchmark strike',
      severity: 'severe',
      window: { start: `${START_DATE}T00:00:00+00:00`, end },
      scope: { carriers: HUBS.map((hub) => hub.carrier) },
      status: 'open',
      createdAt: new Date().toISOString(),
      createdBy: 'bench',
    };
    const raw = await probe('raw', incident, env);
    const rawParallel = await probe('raw-parallel', incident, env);
    const herald = await probe('herald', incident, env);
    const rawRate = raw.items / raw.seconds;
    const rawParallelRate = raw.items / rawParallel.seconds;
    const heraldRate = raw.items / herald.seconds;
    rows.push({
      target,
      windowHours: hours[index],
      flights: raw.flights,
      indexItems: raw.items,
      pages: raw.pages,
      recipients: herald.recipients,
      rawItemsPerSecond: Math.round(rawRate),
      rawParallelItemsPerSecond: Math.round(rawParallelRate),
      heraldItemsPerSecond: Math.round(heraldRate),
      ratio: Number((heraldRate / rawRate).toFixed(3)),
      ratioToParallel: Number((heraldRate / rawParallelRate).toFixed(3)),
      rawSeconds: Number(raw.seconds.toFixed(2)),
      heraldSeconds: Number(herald.seconds.toFixed(2)),
      heraldPeakRssMb: Math.round(herald.maxRssMb),
    });
  }

  console.log('\nAudience resolution (index items per second over the same pages)');
  console.table(rows);
  const [small, large] = rows;
  const rssRatio = small && large ? large.heraldPeakRssMb / small.heraldPeakRssMb : Number.NaN;
  console.log(
    `Peak RSS ${large?.recipients} vs ${small?.recipients} recipients: ${rssRatio.toFixed(2)}× (target ≤ 1.3×)`,
  );
  const percent = (ratio: number) => `${(ratio * 100).toFixed(0)}%`;
  console.log(
    `Herald / bare sequential Query loop: ${rows.map((row) => percent(row.ratio)).join(', ')} (target ≥ 70%)`,
  );
  console.log(
    `Herald / the same Queries 6 at a time: ${rows.map((row) => percent(row.ratioToParallel)).join(', ')}`,
  );
  await mkdir('bench/results', { recursive: true });
  await writeFile(
    'bench/results/audience.json',
    `${JSON.stringify({ measuredAt: new Date().toISOString(), bookings: airline.counts.bookings, seeded, rows, rssRatio }, null, 2)}\n`,
  );
  console.log('Written bench/results/audience.json');
} finally {
  await dynamoDb.stop();
}
