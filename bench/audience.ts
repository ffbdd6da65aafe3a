/**
 * `npm run bench:audience`: how fast Herald works out who is affected, against the floor of
 * the same machine. In one run:
 * 1. starts DynamoDB Local and seeds a synthetic airline of about 200,000 bookings;
 * 2. picks two strike windows, for about 10,000 and 100,000 recipients;
 * 3. for each, in fresh processes under the same heap ceiling: the bare Query loop over the
 *    affected flights' index pages (`raw`), the same Queries six at a time as Herald issues
 *    them (`raw-parallel`), then Herald's audience resolution over the same flights (`herald`);
 * 4. prints the rates, their ratios and Herald's peak RSS, and writes bench/results/audience.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { startDynamoDbLocal } from '#infra/local/dynamodb-local.ts';
import { benchAirline, dynamoDbEnv, runProbe, strikesFor } from './scenarios.ts';
import { seedSynthetic } from './synthetic-seed.ts';

const TARGETS = [10_000, 100_000];

const dynamoDb = await startDynamoDbLocal({ port: 0 });
try {
  const env = dynamoDbEnv(dynamoDb.endpoint);
  Object.assign(process.env, env);
  const airline = benchAirline();
  console.log(`Seeding a synthetic airline with ${airline.counts.bookings} bookings…`);
  const seeded = await seedSynthetic(airline, console.log);
  console.log(`  seeded in ${seeded.seconds.toFixed(0)} s`);

  const rows = [];
  for (const incident of strikesFor(airline, TARGETS)) {
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
  await mkdir('bench/results', { recursive: true });
  await writeFile(
    'bench/results/audience.json',
    `${JSON.stringify({ measuredAt: new Date().toISOString(), bookings: airline.counts.bookings, seeded, rows, rssRatio }, null, 2)}\n`,
  );
  console.log('Written bench/results/audience.json');
} finally {
  await dynamoDb.stop();
}
