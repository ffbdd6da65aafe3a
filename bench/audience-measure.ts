/**
 * The audience figures, for both benchmarks: per strike, the bare Query loop, the same Queries
 * six at a time and Herald's resolver, each in a fresh process under the same heap ceiling.
 * Prints the table and the ratios against their targets.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import type { Incident } from '#shared/domain/model.ts';
import { runProbe } from './scenarios.ts';
import type { SeedFigures } from './synthetic-seed.ts';

export interface AudienceRow {
  window: string;
  flights: number;
  indexItems: number;
  recipients: number;
  rawItemsPerSecond: number;
  rawParallelItemsPerSecond: number;
  heraldItemsPerSecond: number;
  ratio: number;
  ratioToParallel: number;
  heraldSeconds: number;
  heraldPeakRssMb: number;
}

export async function measureAudience(
  incidents: Incident[],
  env: Record<string, string>,
): Promise<{ rows: AudienceRow[]; rssRatio: number }> {
  const rows: AudienceRow[] = [];
  for (const incident of incidents) {
    const raw = await runProbe('raw', incident, env);
    const rawParallel = await runProbe('raw-parallel', incident, env);
    const herald = await runProbe('herald', incident, env);
    const rate = (seconds: number) => raw.items / seconds;
    rows.push({
      window: `${incident.window.start.slice(0, 16)} – ${incident.window.end.slice(0, 16)}`,
      flights: raw.flights,
      indexItems: raw.items,
      recipients: herald.recipients,
      rawItemsPerSecond: Math.round(rate(raw.seconds)),
      rawParallelItemsPerSecond: Math.round(rate(rawParallel.seconds)),
      heraldItemsPerSecond: Math.round(rate(herald.seconds)),
      ratio: Number((raw.seconds / herald.seconds).toFixed(3)),
      ratioToParallel: Number((rawParallel.seconds / herald.seconds).toFixed(3)),
      heraldSeconds: Number(herald.seconds.toFixed(2)),
      heraldPeakRssMb: Math.round(herald.maxRssMb),
    });
  }
  console.log('\nAudience resolution (index items per second over the same pages)');
  console.table(rows);
  const [small, large] = rows;
  const rssRatio = small && large ? large.heraldPeakRssMb / small.heraldPeakRssMb : Number.NaN;
  const percent = (ratio: number) => `${(ratio * 100).toFixed(0)}%`;
  console.log(
    `Peak RSS, ${large?.recipients} vs ${small?.recipients} recipients: ${rssRatio.toFixed(2)}× (target ≤ 1.3×)`,
  );
  console.log(
    `Herald / bare sequential Query loop: ${rows.map((row) => percent(row.ratio)).join(', ')} (target ≥ 70%)`,
  );
  console.log(
    `Herald / the same Queries 6 at a time: ${rows.map((row) => percent(row.ratioToParallel)).join(', ')}`,
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
