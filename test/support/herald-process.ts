/**
 * `npm start` as a child process of its own group, for tests and benchmarks that restart it,
 * kill it or measure its memory apart from their own.
 */
import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { spawnReady } from './spawn-ready.ts';

export interface HeraldProcess {
  child: ChildProcess;
  apiUrl: string;
  twilioUrl: string;
  dynamoDbEndpoint: string;
}

/** The settings that start the stack and its sandboxes on free ports, as parallel runs need. */
export const ON_FREE_PORTS = {
  HERALD_PORT: '0',
  HERALD_DYNAMODB_PORT: '0',
  HERALD_SANDBOX_TWILIO_PORT: '0',
  HERALD_SANDBOX_X_PORT: '0',
  HERALD_SANDBOX_FACEBOOK_PORT: '0',
};

const READY =
  /API\s+(http:\/\/\S+)[\s\S]*Twilio sandbox\s+(http:\/\/\S+)\/__sandbox[\s\S]*DynamoDB Local\s+(http:\/\/\S+)/;

/** Starts the stack with `env` and resolves once it prints its URLs. */
export async function startHerald(env: Record<string, string>): Promise<HeraldProcess> {
  const { child, groups } = await spawnReady({
    name: 'Herald',
    entry: 'infra/local/main.ts',
    env,
    ready: READY,
    detached: true,
    // Generous: under a loaded CI machine a start with thousands of demo customers has taken 70 s.
    timeoutMs: 240_000,
  });
  const [apiUrl = '', twilioUrl = '', dynamoDbEndpoint = ''] = groups;
  return { child, apiUrl, twilioUrl, dynamoDbEndpoint };
}

/** SIGKILL to the whole group: the stack and its DynamoDB Local die at once, as in a crash. */
export function killHard(child: ChildProcess): Promise<void> {
  return stop(child, 'SIGKILL');
}

/** SIGTERM to the whole group: a clean stop. */
export function stopHerald(child: ChildProcess): Promise<void> {
  return stop(child, 'SIGTERM');
}

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.pid === undefined) return resolve();
    child.once('exit', () => resolve());
    process.kill(-child.pid, signal);
  });
}

/** The process's peak resident memory so far, in MB (Linux VmHWM). */
export async function peakRssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}
