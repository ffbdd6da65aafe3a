/**
 * The evidence export of a 100,000-recipient incident on the local stack, measured: time, the
 * slowest page (each must fit the API Lambda's 10 s) and peak RSS of the stack and of the
 * `herald evidence` CLI. The ledger is written straight into DynamoDB Local (a delivered SMS per
 * customer, as the send path leaves it) rather than by sending 100,000 SMS.
 *
 *   npx tsx bench/evidence-export.ts            # BENCH_EVIDENCE_ROWS=100000, HERALD_LAMBDA_RUNTIME=faithful
 *
 * The stack's RSS is sampled while each export runs, once the change stream has counted the
 * seeded records (so the counting is not measured with it).
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ledgerKey } from '#shared/adapters/dynamodb/ledger-keys.ts';
import { nextLink } from '#shared/api/pages.ts';
import type { Incident } from '#shared/domain/model.ts';
import { type HeraldProcess, peakRssMb, startHerald, stopHerald } from '#test/support/herald-process.ts';
import { dynamoDbEnv } from './scenarios.ts';

const ROWS = Number(process.env.BENCH_EVIDENCE_ROWS ?? 100_000);
const RUNTIME = process.env.HERALD_LAMBDA_RUNTIME ?? 'faithful';
const CHUNK = 1_000;
const WRITERS = 8;
const LANGUAGES = ['fi', 'sv', 'en'] as const;
const HERALD = resolve(import.meta.dirname, '../bin/herald.js');

const key = `hk_bench_${randomBytes(12).toString('hex')}`;
const work = await mkdtemp(join(tmpdir(), 'herald-evidence-bench-'));
await writeFile(join(work, 'users.json'), JSON.stringify([{ key, user: 'bench', role: 'operator' }]));
const stackEnv = {
  HERALD_PORT: '0',
  HERALD_DYNAMODB_PORT: '0',
  HERALD_SANDBOX_TWILIO_PORT: '0',
  HERALD_SANDBOX_X_PORT: '0',
  HERALD_SANDBOX_FACEBOOK_PORT: '0',
  HERALD_USERS_FILE: join(work, 'users.json'),
  HERALD_SEED: 'demo',
  HERALD_LAMBDA_RUNTIME: RUNTIME,
  MALLOC_ARENA_MAX: '2',
};

async function api<T>(herald: HeraldProcess, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${herald.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** An incident, a completed SMS broadcast of the demo template, and ROWS customers each with a delivered record. */
async function seed(herald: HeraldProcess): Promise<{ incidentId: string; broadcastId: string }> {
  Object.assign(process.env, dynamoDbEnv(herald.dynamoDbEndpoint));
  const { DynamoBroadcastStore } = await import('#shared/adapters/dynamodb/broadcast-store.ts');
  const { writeAll } = await import('#shared/adapters/dynamodb/batch-write.ts');
  const { tablesConfig } = await import('#shared/config.ts');
  const today = new Date().toISOString().slice(0, 10);
  const incident = await api<Incident>(herald, 'POST', '/incidents', {
    type: 'strike',
    title: 'Evidence benchmark strike',
    severity: 'severe',
    window: { start: `${today}T00:00:00Z`, end: `${today}T23:59:59Z` },
    scope: { airports: ['HEL'] },
  });
  const broadcastId = randomUUID();
  const startedAt = new Date().toISOString();
  await new DynamoBroadcastStore().create({
    id: broadcastId,
    incidentId: incident.id,
    templateId: 'strike-disruption',
    templateVersion: 1,
    variables: {},
    channels: ['sms'],
    kind: 'initial',
    status: 'completed',
    createdAt: startedAt,
    createdBy: 'bench',
    startedAt,
    plannedAt: startedAt,
    completedAt: startedAt,
    counts: {},
  });
  const started = performance.now();
  const writeChunk = async (first: number) => {
    const ids = Array.from({ length: Math.min(CHUNK, ROWS - first) }, (_, offset) => first + offset);
    const customerId = (index: number) => `E${String(index).padStart(7, '0')}`;
    await writeAll(
      tablesConfig().customers,
      ids.map((index) => ({
        customerId: customerId(index),
        firstName: `Name${index}`,
        lastName: 'Bench',
        phone: `+35840${String(index).padStart(7, '0')}`,
        language: LANGUAGES[index % 3],
        smsConsent: true,
      })),
    );
    await writeAll(
      tablesConfig().deliveries,
      ids.map((index) => ({
        ...ledgerKey({ broadcastId, channel: 'sms', recipientId: customerId(index) }),
        broadcastId,
        channel: 'sms',
        recipientId: customerId(index),
        status: 'delivered',
        attempts: 1,
        calls: 1,
        providerId: `SM${randomBytes(16).toString('hex')}`,
        updatedAt: new Date().toISOString(),
        payload: {
          bookingRef: `B${String(index).padStart(5, '0')}`.slice(-6),
          flightNumber: 'AY123',
          date: today,
          origin: 'HEL',
          departure: `${today}T10:00:00Z`,
          language: LANGUAGES[index % 3],
        },
      })),
    );
  };
  const chunks = Array.from({ length: Math.ceil(ROWS / CHUNK) }, (_, index) => index * CHUNK);
  // DynamoDB Local takes several BatchWrites at once faster than one after the other.
  for (let index = 0; index < chunks.length; index += WRITERS)
    await Promise.all(chunks.slice(index, index + WRITERS).map(writeChunk));
  console.log(
    `Seeded ${ROWS} customers and delivered records in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  return { incidentId: incident.id, broadcastId };
}

/** Every page through the API, timed; the bodies are counted and dropped. */
async function exportThroughApi(herald: HeraldProcess, incidentId: string, format: 'csv' | 'ndjson') {
  const started = performance.now();
  let next: string | undefined = `/incidents/${incidentId}/evidence?format=${format}`;
  let pages = 0;
  let bytes = 0;
  let lines = 0;
  let slowestPageMs = 0;
  while (next) {
    const pageStarted = performance.now();
    const response = await fetch(`${herald.apiUrl}${next}`, { headers: { authorization: `Bearer ${key}` } });
    if (!response.ok) throw new Error(`${next}: ${response.status} ${await response.text()}`);
    const text = await response.text();
    slowestPageMs = Math.max(slowestPageMs, performance.now() - pageStarted);
    pages++;
    bytes += Buffer.byteLength(text);
    lines += text.split('\n').length - 1;
    next = nextLink(response.headers.get('link'));
  }
  return {
    format,
    pages,
    lines,
    mb: +(bytes / 1e6).toFixed(1),
    seconds: +((performance.now() - started) / 1000).toFixed(1),
    slowestPageMs: Math.round(slowestPageMs),
  };
}

/** `herald evidence` to /dev/null under GNU time: wall time and the CLI's own peak RSS. */
async function exportThroughCli(herald: HeraldProcess, incidentId: string) {
  const { stderr } = await promisify(execFile)(
    '/usr/bin/time',
    ['-f', '%e %M', 'sh', '-c', `node "${HERALD}" evidence "${incidentId}" > /dev/null`],
    { env: { ...process.env, HERALD_API_URL: herald.apiUrl, HERALD_API_KEY: key }, maxBuffer: 1024 * 1024 },
  );
  const [seconds = '', kb = ''] = stderr.trim().split('\n').at(-1)?.split(' ') ?? [];
  return { seconds: Number(seconds), cliPeakRssMb: Math.round(Number(kb) / 1024) };
}

/** The process's resident memory now, in MB (Linux VmRSS). */
async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

/** Runs `work` while sampling the process's RSS every 100 ms: its result and the highest sample. */
async function sampled<T>(pid: number, work: () => Promise<T>): Promise<T & { stackPeakRssMb: number }> {
  let peak = await rssMb(pid);
  const timer = setInterval(async () => {
    peak = Math.max(peak, await rssMb(pid));
  }, 100);
  try {
    const result = await work();
    return { ...result, stackPeakRssMb: Math.round(Math.max(peak, await rssMb(pid))) };
  } finally {
    clearInterval(timer);
  }
}

const herald = await startHerald(stackEnv);
try {
  const pid = herald.child.pid ?? 0;
  const { incidentId, broadcastId } = await seed(herald);
  // The change stream counts the seeded records; the export is measured once it has.
  for (;;) {
    const { counts } = await api<{ counts: { sms?: { delivered: number } } }>(
      herald,
      'GET',
      `/broadcasts/${broadcastId}`,
    );
    if ((counts.sms?.delivered ?? 0) >= ROWS) break;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  const before = Math.round(await rssMb(pid));
  const csv = await sampled(pid, () => exportThroughApi(herald, incidentId, 'csv'));
  const ndjson = await sampled(pid, () => exportThroughApi(herald, incidentId, 'ndjson'));
  const cli = await sampled(pid, () => exportThroughCli(herald, incidentId));
  console.log(
    `Runtime: ${RUNTIME}; ${ROWS} rows; stack RSS ${before} MB before the exports (peak since its start ${Math.round(await peakRssMb(pid))} MB)`,
  );
  console.table([csv, ndjson]);
  console.table([cli]);
} finally {
  await stopHerald(herald.child);
  await rm(work, { recursive: true, force: true });
}
