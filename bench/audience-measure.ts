/**
 * The audience figures, for both benchmarks: per strike, Herald's resolver against the bare
 * loops of the two reads it makes (the Query pages and the customer lookups), each in a fresh
 * process under the same heap ceiling, over three interleaved rounds. Prints the table and the
 * ratios against their targets.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import type { Incident } from '#shared/domain/model.ts';
import { PROBE_MODES, type Probe, type ProbeMode, runProbe } from './scenarios.ts';
import type { SeedFigures } from './synthetic-seed.ts';

export interface AudienceRow {
  window: string;
  flights: number;
  indexItems: number;
  /** Customers looked up: each customer on the flights once. */
  customers: number;
  recipients: number;
  rawItemsPerSecond: number;
  rawParallelItemsPerSecond: number;
  rawLookupsPerSecond: number;
  heraldItemsPerSecond: number;
  /** Herald's rate over the index items, against the bare Query loop's. */
  ratio: number;
  ratioToParallel: number;
  /** Herald's time against the two bare loops' one after the other. */
  ratioToBothReads: number;
  heraldSeconds: number;
  heraldPeakRssMb: number;
}

/** Rounds per strike; each time is the median of its rounds, RSS the largest. */
const ROUNDS = 3;

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/**
 * Every probe in turn, `ROUNDS` times over: interleaved, so a drift in the machine (the JVM
 * warming up, another process) falls on all of them alike rather than on whichever ran first.
 */
async function probeRounds(incident: Incident, env: Record<string, string>) {
  const runs = Object.fromEntries(PROBE_MODES.map((mode) => [mode, [] as Probe[]])) as Record<
    ProbeMode,
    Probe[]
  >;
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of PROBE_MODES) runs[mode].push(await runProbe(mode, incident, env));
  }
  const first = (mode: ProbeMode) => {
    const [probe] = runs[mode];
    if (!probe) throw new Error(`no ${mode} probe ran`);
    return probe;
  };
  const seconds = (mode: ProbeMode) => median(runs[mode].map((probe) => probe.seconds));
  return {
    flights: first('raw').flights,
    items: first('raw').items,
    customers: first('raw-lookups').items,
    recipients: first('herald').recipients,
    seconds: Object.fromEntries(PROBE_MODES.map((mode) => [mode, seconds(mode)])) as Record<
      ProbeMode,
      number
    >,
    heraldPeakRssMb: Math.max(...runs.herald.map((probe) => probe.maxRssMb)),
  };
}

export async function measureAudience(
  incidents: Incident[],
  env: Record<string, string>,
): Promise<{ rows: AudienceRow[]; rssRatio: number }> {
  const rows: AudienceRow[] = [];
  for (const incident of incidents) {
    const { seconds, ...measured } = await probeRounds(incident, env);
    const rate = (count: number, taken: number) => Math.round(count / taken);
    const ratio = (taken: number) => Number((taken / seconds.herald).toFixed(3));
    rows.push({
      window: `${incident.window.start.slice(0, 16)} – ${incident.window.end.slice(0, 16)}`,
      flights: measured.flights,
      indexItems: measured.items,
      customers: measured.customers,
      recipients: measured.recipients,
      rawItemsPerSecond: rate(measured.items, seconds.raw),
      rawParallelItemsPerSecond: rate(measured.items, seconds['raw-parallel']),
      rawLookupsPerSecond: rate(measured.customers, seconds['raw-lookups']),
      heraldItemsPerSecond: rate(measured.items, seconds.herald),
      ratio: ratio(seconds.raw),
      ratioToParallel: ratio(seconds['raw-parallel']),
      ratioToBothReads: ratio(seconds.raw + seconds['raw-lookups']),
      heraldSeconds: Number(seconds.herald.toFixed(2)),
      heraldPeakRssMb: Math.round(measured.heraldPeakRssMb),
    });
  }
  console.log(`\nAudience resolution (median of ${ROUNDS} rounds)`);
  console.table(rows);
  const [small, large] = rows;
  const rssRatio = small && large ? large.heraldPeakRssMb / small.heraldPeakRssMb : Number.NaN;
  const percent = (ratio: number) => `${(ratio * 100).toFixed(0)}%`;
  const ratios = (pick: (row: AudienceRow) => number) => rows.map((row) => percent(pick(row))).join(', ');
  if (small && large)
    console.log(
      `Peak RSS, ${large.recipients} vs ${small.recipients} recipients: ${rssRatio.toFixed(2)}× (target ≤ 1.3×)`,
    );
  console.log(`Herald / bare sequential Query loop: ${ratios((row) => row.ratio)} (target ≥ 70%)`);
  console.log(`Herald / the same Queries 6 at a time: ${ratios((row) => row.ratioToParallel)}`);
  console.log(
    `Herald / bare Query loop then bare BatchGetItem loop: ${ratios((row) => row.ratioToBothReads)}`,
  );
  return { rows, rssRatio };
}
/** Writes bench/results/audience.json: the figures with the airline they were measured on. */
export async function writeAudienceResults(
  bookings: number,
  seeded: SeedFigures,
  audience: { rows: AudienceRow[]; rssRatio: number },
): Promise<void> {
  await mkdir('bench/results', { recursive: true });
  await writeFile(
    'bench/results/audience.json',
    `${JSON.stringify({ measuredAt: new Date().toISOString(), bookings, seeded, ...audience }, null, 2)}\n`,
  );
}
