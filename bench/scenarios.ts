/** What both benchmarks share: the synthetic airline, strike windows sized by audience, the Query probes. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { HUBS, type SyntheticAirline, syntheticAirline } from '#infra/local/seed/synthetic-airline.ts';
import type { Incident } from '#shared/domain/model.ts';
import { TABLES } from '#shared/tables.ts';

export const START_DATE = '2026-12-01';
const BOOKINGS = Number(process.env.BENCH_BOOKINGS ?? 200_000);
/** Share of customers who may be texted (consent and a valid number) in the synthetic airline. */
const ELIGIBLE_SHARE = 0.96;
/** The same heap ceiling for every probe: a bounded working set fits under it at any audience size. */
const HEAP_CEILING_MB = 128;

export function benchAirline(bookings = BOOKINGS): SyntheticAirline {
  return syntheticAirline({ customers: Math.round(bookings / 1.1), startDate: START_DATE, seed: 1 });
}

/** The environment that points Herald's adapters at a DynamoDB endpoint. */
export function dynamoDbEnv(endpoint: string): Record<string, string> {
  return {
    AWS_REGION: 'eu-north-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    ...Object.fromEntries(TABLES.map((table) => [table.envVar, table.name])),
  };
}

/**
 * A strike of every hub carrier from the schedule's start, each window ending when about the
 * target number of recipients have had their first departure (worked out from the generator,
 * not from Herald).
 */
export function strikesFor(airline: SyntheticAirline, recipientTargets: number[]): Incident[] {
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
  return recipientTargets.map((target) => {
    const customers = Math.round(target / ELIGIBLE_SHARE);
    const end = (times[Math.min(times.length - 1, customers - 1)] ?? 0) + 60_000;
    return {
      id: `bench-${target}`,
      type: 'strike',
      title: `Benchmark strike for ${target} recipients`,
      severity: 'severe',
      window: {
        start: `${START_DATE}T00:00:00+00:00`,
        end: new Date(end).toISOString().replace('Z', '+00:00'),
      },
      scope: { carriers: HUBS.map((hub) => hub.carrier) },
      status: 'open',
      createdAt: new Date().toISOString(),
      createdBy: 'bench',
    };
  });
}

export const PROBE_MODES = ['raw', 'raw-parallel', 'raw-lookups', 'herald'] as const;
export type ProbeMode = (typeof PROBE_MODES)[number];

export interface Probe {
  mode: ProbeMode;
  flights: number;
  pages: number;
  items: number;
  recipients: number;
  seconds: number;
  maxRssMb: number;
}

/** Runs bench/audience-probe.ts in a fresh process, so its peak RSS is its own. */
export async function runProbe(
  mode: ProbeMode,
  incident: Incident,
  env: Record<string, string>,
): Promise<Probe> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      `--max-old-space-size=${HEAP_CEILING_MB}`,
      '--max-semi-space-size=4',
      '--import',
      'tsx',
      'bench/audience-probe.ts',
      mode,
      JSON.stringify(incident),
    ],
    // Two malloc arenas, as is usual for Node in containers: otherwise glibc's per-thread arenas
    // hold freed memory and RSS measures fragmentation rather than what Herald keeps.
    { env: { ...process.env, ...env, MALLOC_ARENA_MAX: '2' }, maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Probe;
}
