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
import { startDynamoDbLocal } from '#infra/local/dynamodb-local.ts';
import { measureAudience, writeAudienceResults } from './audience-measure.ts';
import { benchAirline, dynamoDbEnv, strikesFor } from './scenarios.ts';
import { seedSynthetic } from './synthetic-seed.ts';

const TARGETS = [10_000, 100_000];

const dynamoDb = await startDynamoDbLocal({ port: 0 });
try {
  const env = dynamoDbEnv(dynamoDb.endpoint);
  Object.assign(process.env, env);
  const airline = benchAirline();
  const seeded = await seedSynthetic(airline, console.log);
  const audience = await measureAudience(strikesFor(airline, TARGETS), env);
  await writeAudienceResults(airline.counts.bookings, seeded, audience);
  console.log('Written bench/results/audience.json');
} finally {
  await dynamoDb.stop();
}
