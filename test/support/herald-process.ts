/**
 * `npm start` as a child process of its own group, for tests and benchmarks that restart it,
 * kill it or measure its memory apart from their own.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';

export interface HeraldProcess {
  child: ChildProcess;
  apiUrl: string;
  twilioUrl: string;
  dynamoDbEndpoint: string;
}

const READY =
  /API\s+(http:\/\/\S+)[\s\S]*Twilio sandbox\s+(http:\/\/\S+)\/__sandbox[\s\S]*DynamoDB Local\s+(http:\/\/\S+)/;

/** Starts the stack with `env` and resolves once it prints its URLs. */
export function startHerald(env: Record<string, string>): Promise<HeraldProcess> {
  // Node itself, not a wrapper, so the child's pid is the process whose memory counts.
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts'], {
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Herald did not start:\n${output}`)), 120_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = READY.exec(output);
      if (ready?.[1] && ready[2] && ready[3]) {
        clearTimeout(timer);
        resolve({ child, apiUrl: ready[1], twilioUrl: ready[2], dynamoDbEndpoint: ready[3] });
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => reject(new Error(`Herald exited with ${code}:\n${output}`)));
  });
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
