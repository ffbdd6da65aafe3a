/**
 * `npm run bench`: how long the last passenger waits, against the limits of the same machine, in
 * one run on the local stack (sandboxes with a provider's latency (SANDBOX_LATENCY: Twilio
 * 150–300 ms a message) and no faults, Herald's SMS rate set above what the machine can do).
 * The stack runs its functions faithfully (each in instances of its own, as in Lambda) unless
 * BENCH_RUNTIME=in-process, from the deployment bundles unless BENCH_CODE=source; every figure is
 * labelled with the runtime and code it comes from.
 * `npm run bench:quick` (`--quick`) seeds a smaller airline and broadcasts to ~10,000 only.
 * 1. starts `npm start` as a child process (data in memory) and seeds ~200,000 bookings; the
 *    Twilio sandbox runs in this process instead, so the stack's CPU and memory are Herald's own;
 * 2. measures audience resolution against the bare Query loop over the same index pages (as
 *    `npm run bench:audience` does, on the same data), then the other raw primitives: a bare
 *    BatchWrite loop of ledger-sized items and a bare HTTP loop posting to the Twilio sandbox (before
 *    its latency is switched on: the primitive is what the machine can post);
 * 3. broadcasts strikes for ~10,000 and ~100,000 recipients: time from 202 to first and last SMS
 *    received by the sandbox, recipients/s, peak RSS of the stack process, and from the stack's
 *    capacity accounting (`GET /__herald/capacity`, reset before each run) DynamoDB write and read
 *    units per recipient and the most writes one item took in one second;
 * 4. starts a second stack with HERALD_SMS_MPS=50 and a small airline, and measures the rate it
 *    holds over ~1,000 recipients;
 * 5. prints the tables, writes bench/results/{audience,end-to-end}.json and a chart of sends over time.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_TWILIO_ACCOUNT_SID, LOCAL_TWILIO_AUTH_TOKEN } from '#infra/local/sandboxes/credentials.ts';
import { parseLatencyProfile, startTwilioSandbox } from '#infra/local/sandboxes/index.ts';
import type { CapacityReport } from '#shared/adapters/consumed-capacity.ts';
import { ledgerKey } from '#shared/adapters/dynamodb/ledger-keys.ts';
import type { Broadcast, Incident } from '#shared/domain/model.ts';
import { type HeraldProcess, peakRssMb, startHerald, stopHerald } from '#test/support/herald-process.ts';
import { measureAudience, writeAudienceResults } from './audience-measure.ts';
import { sendsOverTimeSvg } from './chart.ts';
import { BENCH_CODE, BENCH_RUNTIME, benchLambdaEnv, prepareBenchCode } from './lambda-setup.ts';
import { benchAirline, dynamoDbEnv, strikesFor } from './scenarios.ts';
import { seedSynthetic } from './synthetic-seed.ts';

const QUICK = process.argv.includes('--quick');
const TARGETS = QUICK ? [10_000] : [10_000, 100_000];
/** Bookings of the quick run's airline: enough for its ~10,000 recipients. */
const QUICK_BOOKINGS = 30_000;
const PACED_TARGET = 1_000;
const PACED_RATE = 50;
const PACED_AIRLINE_BOOKINGS = 5_000;
const RAW_WRITES = 20_000;
const RAW_POSTS = 2_000;
const STACK_HEAP_CEILING_MB = 384;
/** A provider's answer times (HERALD_SANDBOX_LATENCY): Twilio's Messages call, X and Graph posts. */
const SANDBOX_LATENCY = 'twilio=150-300,x=100-200,facebook=100-250';
/** How long the stack's DynamoDB writes must stay still after a broadcast ends (late receipts). */
const CAPACITY_SETTLE_MS = 2_000;

const key = `hk_bench_${randomBytes(12).toString('hex')}`;
const work = await mkdtemp(join(tmpdir(), 'herald-bench-'));
await writeFile(join(work, 'users.json'), JSON.stringify([{ key, user: 'bench', role: 'operator' }]));
// Outside the measured process: otherwise its record of every message counts as Herald's memory.
// Its latency is switched on after the raw primitives are measured.
const twilio = await startTwilioSandbox({ port: 0, authToken: LOCAL_TWILIO_AUTH_TOKEN });
const latency = parseLatencyProfile(SANDBOX_LATENCY);
const stackEnv = (smsPerSecond: number, dynamoDbPort = 0) => ({
  HERALD_TWILIO_URL: twilio.url,
  // The stack's own X and Facebook sandboxes; its Twilio one is not used.
  HERALD_SANDBOX_LATENCY: SANDBOX_LATENCY,
  HERALD_PORT: '0',
  HERALD_DYNAMODB_PORT: String(dynamoDbPort),
  HERALD_SANDBOX_TWILIO_PORT: '0',
  HERALD_SANDBOX_X_PORT: '0',
  HERALD_SANDBOX_FACEBOOK_PORT: '0',
  HERALD_USERS_FILE: join(work, 'users.json'),
  HERALD_SEED: 'demo',
  ...benchLambdaEnv,
  HERALD_SMS_MPS: String(smsPerSecond),
  HERALD_SMS_BATCH_SIZE: '50',
  // One heap ceiling at every size, as a Lambda's memory setting gives: RSS then shows what the
  // stack keeps rather than how lazily V8 collects (two malloc arenas, as in the audience probes).
  NODE_OPTIONS: `--max-old-space-size=${STACK_HEAP_CEILING_MB}`,
  MALLOC_ARENA_MAX: '2',
});

/** Calls the API as a client would: a 429 is retried after its Retry-After. */
async function api<T>(herald: HeraldProcess, method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  for (;;) {
    response = await fetch(`${herald.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status !== 429) break;
    await response.arrayBuffer();
    await new Promise((resolve) =>
      setTimeout(resolve, Number(response.headers.get('retry-after') ?? 1) * 1000),
    );
  }
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function capacity(
  herald: HeraldProcess,
  method: 'GET' | 'DELETE',
): Promise<CapacityReport | undefined> {
  const response = await fetch(`${herald.apiUrl}/__herald/capacity`, { method });
  if (!response.ok) throw new Error(`${method} /__herald/capacity: ${response.status}`);
  return method === 'GET' ? ((await response.json()) as CapacityReport) : undefined;
}

/** The capacity report once the stack's writes have stopped (receipts come after the last send). */
async function settledCapacity(herald: HeraldProcess): Promise<CapacityReport> {
  let last = await capacity(herald, 'GET');
  for (let waited = 0; waited < 30_000; waited += CAPACITY_SETTLE_MS) {
    await new Promise((resolve) => setTimeout(resolve, CAPACITY_SETTLE_MS));
    const next = await capacity(herald, 'GET');
    if (next && next.writeUnits === last?.writeUnits) return next;
    last = next;
  }
  if (!last) throw new Error('No capacity report');
  return last;
}

async function smsTimes(herald: HeraldProcess): Promise<number[]> {
  const messages = (await (await fetch(`${herald.twilioUrl}/__sandbox/messages`)).json()) as {
    receivedAt: string;
  }[];
  return messages.map((message) => Date.parse(message.receivedAt)).sort((a, b) => a - b);
}

/** Sends a strike broadcast and waits for it to end; times are measured at the sandbox. */
async function broadcast(herald: HeraldProcess, incident: Incident, channels: string[]) {
  await fetch(`${herald.twilioUrl}/__sandbox/messages`, { method: 'DELETE' });
  await capacity(herald, 'DELETE');
  const { id: incidentId } = await api<Incident>(herald, 'POST', '/incidents', {
    type: incident.type,
    title: incident.title,
    severity: incident.severity,
    window: incident.window,
    scope: incident.scope,
  });
  const { id } = await api<{ id: string }>(herald, 'POST', `/incidents/${incidentId}/broadcasts`, {
    templateId: 'strike-disruption',
    channels,
  });
  // The clock starts at the 202: what the operator waits for after Herald accepted the broadcast.
  const accepted = Date.now();
  let done: Broadcast;
  for (;;) {
    done = await api<Broadcast>(herald, 'GET', `/broadcasts/${id}`);
    if (['completed', 'partial', 'failed'].includes(done.status)) break;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  const times = await smsTimes(herald);
  const first = times[0] ?? Number.NaN;
  const last = times.at(-1) ?? Number.NaN;
  const recipients = done.counts.sms?.recipients ?? 0;
  const used = await settledCapacity(herald);
  return {
    mode: BENCH_RUNTIME,
    status: done.status,
    recipients,
    smsReceived: times.length,
    firstSmsSeconds: (first - accepted) / 1000,
    lastSmsSeconds: (last - accepted) / 1000,
    recipientsPerSecond: times.length / ((last - accepted) / 1000),
    sendRate: (times.length - 1) / ((last - first) / 1000),
    writeUnitsPerRecipient: used.writeUnits / recipients,
    readUnitsPerRecipient: used.readUnits / recipients,
    hottestItemWritesPerSecond: used.busiestItemSecond?.writes ?? 0,
    capacity: used,
    times: times.map((time) => (time - accepted) / 1000),
  };
}

const rawRecipient = (index: number) => `C${String(index).padStart(7, '0')}`;

async function rawBatchWrites(): Promise<number> {
  const { dynamoDb } = await import('#shared/adapters/aws-clients.ts');
  const { tablesConfig } = await import('#shared/config.ts');
  const table = tablesConfig().deliveries;
  const started = performance.now();
  for (let offset = 0; offset < RAW_WRITES; offset += 25) {
    const items = Array.from({ length: 25 }, (_, index) => ({
      ...ledgerKey({ broadcastId: 'raw-bench', channel: 'sms', recipientId: rawRecipient(offset + index) }),
      broadcastId: 'raw-bench',
      channel: 'sms',
      recipientId: rawRecipient(offset + index),
      status: 'queued',
      attempts: 0,
      updatedAt: new Date().toISOString(),
      payload: {
        bookingRef: 'ABC123',
        flightNumber: 'AY1234',
        date: START,
        origin: 'HEL',
        departure: new Date().toISOString(),
        language: 'fi',
      },
    }));
    let requests: { PutRequest: { Item: Record<string, unknown> } }[] = items.map((Item) => ({
      PutRequest: { Item },
    }));
    while (requests.length > 0) {
      const { UnprocessedItems } = await dynamoDb.send(
        new BatchWriteCommand({ RequestItems: { [table]: requests } }),
      );
      requests = (UnprocessedItems?.[table] ?? []).flatMap((request) =>
        request.PutRequest?.Item ? [{ PutRequest: { Item: request.PutRequest.Item } }] : [],
      );
    }
  }
  return RAW_WRITES / ((performance.now() - started) / 1000);
}

async function rawSandboxPosts(herald: HeraldProcess): Promise<number> {
  const url = `${herald.twilioUrl}/2010-04-01/Accounts/${LOCAL_TWILIO_ACCOUNT_SID}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${LOCAL_TWILIO_ACCOUNT_SID}:${LOCAL_TWILIO_AUTH_TOKEN}`).toString('base64')}`;
  const started = performance.now();
  for (let index = 0; index < RAW_POSTS; index++) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ To: '+358401234567', From: '+15005550006', Body: `Raw ${index}` }),
    });
    await response.arrayBuffer();
  }
  const rate = RAW_POSTS / ((performance.now() - started) / 1000);
  await fetch(`${herald.twilioUrl}/__sandbox/messages`, { method: 'DELETE' });
  return rate;
}

const START = '2026-12-01';
const benchStarted = performance.now();
await prepareBenchCode();
let herald = await startHerald(stackEnv(1_000));
try {
  Object.assign(process.env, dynamoDbEnv(herald.dynamoDbEndpoint));
  const airline = benchAirline(QUICK ? QUICK_BOOKINGS : undefined);
  const seeded = await seedSynthetic(airline, console.log);
  const strikes = strikesFor(airline, TARGETS);

  const audience = await measureAudience(strikes, dynamoDbEnv(herald.dynamoDbEndpoint));
  console.log('Raw primitives…');
  const raw = {
    queryItemsPerSecond: audience.rows.at(-1)?.rawItemsPerSecond ?? Number.NaN,
    batchWriteItemsPerSecond: Math.round(await rawBatchWrites()),
    twilioPostsPerSecond: Math.round(await rawSandboxPosts(herald)),
  };
  console.table([raw]);
  twilio.setLatency(latency.twilio);

  const runs = [];
  for (const [index, incident] of strikes.entries()) {
    // X and Facebook refuse a post that repeats the previous one word for word: public posts once.
    const channels = index === 0 ? ['sms', 'x', 'facebook', 'status'] : ['sms', 'status'];
    console.log(`Broadcast: ${incident.title}…`);
    const result = await broadcast(herald, incident, [...channels]);
    runs.push({ ...result, peakRssMb: Math.round(await peakRssMb(herald.child.pid ?? 0)) });
  }

  await stopHerald(herald.child);
  // The same DynamoDB port: this process's DynamoDB client keeps the endpoint it was created with.
  herald = await startHerald(stackEnv(PACED_RATE, Number(new URL(herald.dynamoDbEndpoint).port)));
  const smallAirline = benchAirline(PACED_AIRLINE_BOOKINGS);
  await seedSynthetic(smallAirline, () => undefined);
  const [paced] = strikesFor(smallAirline, [PACED_TARGET]);
  if (!paced) throw new Error('No paced scenario');
  console.log(`Paced broadcast at HERALD_SMS_MPS=${PACED_RATE}…`);
  const pacedRun = await broadcast(herald, paced, ['sms']);

  const slowest = Math.min(raw.queryItemsPerSecond, raw.batchWriteItemsPerSecond, raw.twilioPostsPerSecond);
  const table = runs.map((run) => ({
    recipients: run.recipients,
    status: run.status,
    'first SMS (s)': Number(run.firstSmsSeconds.toFixed(2)),
    'last SMS (s)': Number(run.lastSmsSeconds.toFixed(1)),
    'recipients/s': Math.round(run.recipientsPerSecond),
    'vs slowest primitive': `${((run.recipientsPerSecond / slowest) * 100).toFixed(0)}%`,
    'peak RSS (MB)': run.peakRssMb,
    'write units/recipient': Number(run.writeUnitsPerRecipient.toFixed(2)),
    'read units/recipient': Number(run.readUnitsPerRecipient.toFixed(2)),
    'hottest item writes/s': run.hottestItemWritesPerSecond,
  }));
  console.log('\nEnd to end');
  console.table(table);
  const [run10k, run100k] = runs;
  const rssRatio = (run100k?.peakRssMb ?? Number.NaN) / (run10k?.peakRssMb ?? Number.NaN);
  console.log(`Runtime: ${BENCH_RUNTIME}, code: ${BENCH_CODE}`);
  console.log(`Slowest raw primitive: ${slowest}/s (target: end to end ≥ 40% of it)`);
  if (run100k) console.log(`Peak RSS at 100k / at 10k: ${rssRatio.toFixed(2)}× (target ≤ 1.3×)`);
  for (const run of runs) {
    console.log(
      `Hottest item at ${run.recipients} recipients: ${run.capacity.hottestItem?.key} (${run.capacity.hottestItem?.writes} writes); most writes to one item in one second: ${run.hottestItemWritesPerSecond}, to ${run.capacity.busiestItemSecond?.key}; hottest partition: ${run.capacity.hottestPartition?.key} (${run.capacity.hottestPartition?.writes} writes)`,
    );
  }
  console.log(
    `Paced: ${pacedRun.smsReceived} SMS at ${pacedRun.sendRate.toFixed(1)}/s with HERALD_SMS_MPS=${PACED_RATE} (target within 5%)`,
  );

  await writeAudienceResults(airline.counts.bookings, seeded, audience);
  await writeFile(
    'bench/results/end-to-end.json',
    `${JSON.stringify(
      {
        measuredAt: new Date().toISOString(),
        mode: BENCH_RUNTIME,
        code: BENCH_CODE,
        bookings: airline.counts.bookings,
        sandboxLatency: SANDBOX_LATENCY,
        seeded,
        raw,
        runs: runs.map(({ times: _times, ...run }) => run),
        paced: { rate: PACED_RATE, measured: pacedRun.sendRate, sms: pacedRun.smsReceived },
        rssRatio,
        benchSeconds: (performance.now() - benchStarted) / 1000,
      },
      null,
      2,
    )}\n`,
  );
  await writeFile(
    'bench/results/sends-over-time.svg',
    sendsOverTimeSvg([
      ...runs.map((run) => ({ label: `SMS, ${run.recipients} recipients`, times: run.times })),
      { label: `SMS at ${PACED_RATE}/s`, times: pacedRun.times },
    ]),
  );
  console.log('Written bench/results/end-to-end.json and bench/results/sends-over-time.svg');
  console.log(`Benchmark took ${((performance.now() - benchStarted) / 60_000).toFixed(1)} min`);
} finally {
  await stopHerald(herald.child);
  await twilio.close();
  await rm(work, { recursive: true, force: true });
}
