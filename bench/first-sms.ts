/**
 * `npm run bench:first-sms`: where the time goes between a broadcast's 202 and its first SMS, step
 * by step, for a strike of ~10,000 recipients on a 30,000-booking airline, with the Twilio
 * sandbox answering in 150–300 ms. Functions run as lambda-setup.ts says (faithfully, from the
 * deployment bundles, unless told otherwise).
 * 1. starts `npm start` as a child process (its log lines at debug level are what it measures
 *    with, as CloudWatch would hold them) and seeds the airline;
 * 2. broadcasts the strike BENCH_FIRST_SMS_RUNS times (5 by default), one at a time: each is
 *    cancelled once its first SMS reached the sandbox, and the next starts once the stack is quiet;
 * 3. prints each step's time from the 202 per run, their median and range, and the machine's load;
 *    writes bench/results/first-sms.json.
 * The steps come from the functions' own lines: the queue workers' `Message received` (the
 * invocation's start and how long its message waited since its publish) and the planner's `First
 * SMS batch written`; the first SMS is the sandbox's first message, its time when the sandbox
 * answered (after its latency).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Incident } from '#shared/domain/model.ts';
import { operatorUsersFile } from '#test/support/herald-api.ts';
import { type HeraldProcess, ON_FREE_PORTS, startHerald, stopHerald } from '#test/support/herald-process.ts';
import { eventually, type SandboxMessage, sandboxMessages } from '#test/support/local-stack.ts';
import { benchLambdaEnv, benchLambdaLabel, prepareBenchCode } from './lambda-setup.ts';
import { benchAirline, dynamoDbEnv, strikesFor } from './scenarios.ts';
import { seedSynthetic } from './synthetic-seed.ts';

const RUNS = Number(process.env.BENCH_FIRST_SMS_RUNS ?? 5);
const BOOKINGS = 30_000;
const RECIPIENTS = 10_000;
const SANDBOX_LATENCY = 'twilio=150-300';
/** After the cancel, the stack counts as quiet once the sandbox received nothing for this long. */
const QUIET_MS = 3_000;

/** A Powertools log line of the stack's functions, the fields the probe reads. */
interface LogLine {
  timestamp: string;
  message: string;
  function_name?: string;
  cold_start?: boolean;
  broadcastId?: string;
  queuedMs?: number;
  recipientId?: string;
  function_request_id?: string;
  flightsFoundMs?: number;
  firstRecipientMs?: number;
  writtenMs?: number;
}

const work = await mkdtemp(join(tmpdir(), 'herald-first-sms-'));
const users = await operatorUsersFile(work);

/** Attempts of an API call the stack answered with a 5xx (it has, on this machine under load). */
const API_ATTEMPTS = 3;

/**
 * Calls the API as the benchmark's operator, again after a 5xx (a POST with the same
 * Idempotency-Key, so a broadcast is never created twice); anything else but a 2xx fails the run.
 */
async function api<T>(herald: HeraldProcess, method: string, path: string, body?: unknown): Promise<T> {
  const idempotencyKey = randomBytes(12).toString('hex');
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(`${herald.apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${users.key}`,
        'content-type': 'application/json',
        'idempotency-key': idempotencyKey,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.ok) return (await response.json()) as T;
    const failure = `${method} ${path}: ${response.status} ${await response.text()}`;
    if (response.status < 500 || attempt === API_ATTEMPTS) throw new Error(failure);
    console.warn(`${failure}; trying again`);
  }
}

/** Keeps the stack's JSON log lines that name a broadcast. */
function collectLogLines(herald: HeraldProcess): LogLine[] {
  const lines: LogLine[] = [];
  if (!herald.child.stdout) throw new Error('The stack has no stdout to read');
  createInterface({ input: herald.child.stdout }).on('line', (text) => {
    if (!text.startsWith('{')) return;
    const line = JSON.parse(text) as LogLine & { level?: string };
    if (line.broadcastId) lines.push(line);
    if (line.level === 'ERROR') console.error(`The stack logged an error: ${text}`);
  });
  return lines;
}

/** Resolves once the sandbox has received nothing new for QUIET_MS. */
async function quiet(herald: HeraldProcess): Promise<void> {
  let count = (await sandboxMessages(herald.twilioUrl)).length;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    const now = (await sandboxMessages(herald.twilioUrl)).length;
    if (now === count) return;
    count = now;
  }
}

/** The steps of one broadcast, in ms from its 202, in the order the first SMS passes them. */
interface Steps {
  /** Before the 202 (negative): how long the API took to accept the broadcast. */
  'broadcast requested': number;
  'planner invocation start': number;
  'flights found': number;
  'first recipient resolved': number;
  'first batch written': number;
  'first batch published': number;
  'SMS worker invocation start': number;
  'SMS batch loaded': number;
  'rate slot taken': number;
  'record claimed': number;
  'first SMS at the sandbox': number;
}

/** The broadcast and customer a sandbox message was sent for, named by its status callback. */
function sentFor(message: SandboxMessage): { broadcastId?: string; customerId?: string } {
  const callback = message.request.body.StatusCallback;
  if (typeof callback !== 'string') return {};
  const { searchParams } = new URL(callback);
  return {
    broadcastId: searchParams.get('broadcastId') ?? undefined,
    customerId: searchParams.get('customerId') ?? undefined,
  };
}

/** Sends one broadcast, cancels it after its first SMS, and reads its steps from the log lines. */
async function firstSms(herald: HeraldProcess, strike: Incident, logs: LogLine[]) {
  await fetch(`${herald.twilioUrl}/__sandbox/messages`, { method: 'DELETE' });
  const { id: incidentId } = await api<{ id: string }>(herald, 'POST', '/incidents', {
    type: strike.type,
    title: strike.title,
    severity: strike.severity,
    window: strike.window,
    scope: strike.scope,
  });
  const requested = Date.now();
  const { id } = await api<{ id: string }>(herald, 'POST', `/incidents/${incidentId}/broadcasts`, {
    templateId: 'strike-disruption',
    channels: ['sms'],
  });
  const accepted = Date.now();
  // Its own: an SMS of the broadcast before may still arrive late on a loaded machine.
  const first = await eventually<SandboxMessage>(
    async () =>
      (await sandboxMessages(herald.twilioUrl)).find((message) => sentFor(message).broadcastId === id),
    60_000,
  );
  await api(herald, 'POST', `/broadcasts/${id}/cancel`);
  await quiet(herald);

  const mine = logs.filter((line) => line.broadcastId === id);
  const at = (line: LogLine | undefined) => (line ? Date.parse(line.timestamp) - accepted : Number.NaN);
  const received = (functionName: string) =>
    mine.find((line) => line.message === 'Message received' && line.function_name === functionName);
  const planner = received('plan-broadcast');
  const recipientId = sentFor(first).customerId;
  const ofFirst = (message: string) =>
    mine.find((line) => line.message === message && line.recipientId === recipientId);
  const claimed = ofFirst('Record claimed');
  // The invocation that sent the first SMS.
  const ofSender = (message: string) =>
    mine.find(
      (line) => line.message === message && line.function_request_id === claimed?.function_request_id,
    );
  const worker = ofSender('Message received');
  const batch = mine.find((line) => line.message === 'First SMS batch written');
  const plannerStart = at(planner);
  const steps: Steps = {
    'broadcast requested': requested - accepted,
    'planner invocation start': plannerStart,
    'flights found': plannerStart + (batch?.flightsFoundMs ?? Number.NaN),
    'first recipient resolved': plannerStart + (batch?.firstRecipientMs ?? Number.NaN),
    'first batch written': plannerStart + (batch?.writtenMs ?? Number.NaN),
    'first batch published': at(worker) - (worker?.queuedMs ?? Number.NaN),
    'SMS worker invocation start': at(worker),
    'SMS batch loaded': at(ofSender('SMS batch loaded')),
    'rate slot taken': at(ofFirst('Rate slot taken')),
    'record claimed': at(claimed),
    'first SMS at the sandbox': Date.parse(first.receivedAt) - accepted,
  };
  return {
    broadcastId: id,
    coldStarts: { planner: planner?.cold_start, smsWorker: worker?.cold_start },
    steps,
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

await prepareBenchCode();
const herald = await startHerald({
  ...ON_FREE_PORTS,
  HERALD_USERS_FILE: users.path,
  // The demo seed brings the templates; the airline broadcast to is the synthetic one.
  HERALD_SEED: 'demo',
  HERALD_SANDBOX_LATENCY: SANDBOX_LATENCY,
  // Above what the machine can send, as in the end-to-end benchmark: pacing is not measured here.
  HERALD_SMS_MPS: '1000',
  HERALD_SMS_BATCH_SIZE: '50',
  POWERTOOLS_LOG_LEVEL: 'DEBUG',
  ...benchLambdaEnv,
});
try {
  const logs = collectLogLines(herald);
  Object.assign(process.env, dynamoDbEnv(herald.dynamoDbEndpoint));
  const airline = benchAirline(BOOKINGS);
  await seedSynthetic(airline, console.log);
  const [strike] = strikesFor(airline, [RECIPIENTS]);
  if (!strike) throw new Error('No strike for the airline');

  const loadBefore = loadavg();
  const runs: Awaited<ReturnType<typeof firstSms>>[] = [];
  for (let run = 1; run <= RUNS; run++) {
    runs.push(await firstSms(herald, strike, logs));
    console.log(
      `Broadcast ${run} of ${RUNS}: first SMS ${runs.at(-1)?.steps['first SMS at the sandbox']} ms after the 202`,
    );
  }
  const loadAfter = loadavg();

  const stepNames = Object.keys(runs[0]?.steps ?? {}) as (keyof Steps)[];
  console.log(`\nFrom the 202, in ms (${benchLambdaLabel}, Twilio sandbox ${SANDBOX_LATENCY} ms):`);
  console.table(
    Object.fromEntries(
      stepNames.map((step) => {
        const values = runs.map((run) => run.steps[step]);
        return [
          step,
          {
            ...Object.fromEntries(values.map((value, index) => [`run ${index + 1}`, Math.round(value)])),
            median: Math.round(median(values)),
            range: `${Math.round(Math.min(...values))}–${Math.round(Math.max(...values))}`,
          },
        ];
      }),
    ),
  );
  console.log(
    'Cold starts:',
    runs.map((run) => run.coldStarts),
  );
  const load = (averages: number[]) => averages.map((average) => average.toFixed(2)).join(', ');
  console.log(`Load average (1, 5, 15 min): ${load(loadBefore)} before, ${load(loadAfter)} after`);
  await mkdir('bench/results', { recursive: true });
  await writeFile(
    'bench/results/first-sms.json',
    `${JSON.stringify(
      {
        measuredAt: new Date().toISOString(),
        ...benchLambdaEnv,
        sandboxLatency: SANDBOX_LATENCY,
        loadBefore,
        loadAfter,
        runs,
      },
      null,
      2,
    )}\n`,
  );
} finally {
  if (herald.child.pid) await stopHerald(herald.child);
  await rm(work, { recursive: true, force: true });
}
