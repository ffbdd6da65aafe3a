/** A TypeScript entry point of the repo as a child process, ready once its output matches. */
import { type ChildProcess, spawn } from 'node:child_process';

export interface SpawnReadyOptions {
  /** What it is, for the error when it does not start. */
  name: string;
  /** The repo-relative entry point, run with Node itself (not a wrapper), so the child's pid is its own. */
  entry: string;
  env: Record<string, string>;
  /** Matched against everything it printed; resolves with the match's groups. */
  ready: RegExp;
  /** Its own process group, so a signal to the group reaches what it started too. */
  detached?: boolean;
  timeoutMs: number;
}

/** Starts the child and resolves with it and the `ready` match's groups (all of which must be found). */
export function spawnReady({
  name,
  entry,
  env,
  ready,
  detached = false,
  timeoutMs,
}: SpawnReadyOptions): Promise<{ child: ChildProcess; groups: string[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { ...process.env, ...env },
    detached,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let started = false;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      if (detached && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      else child.kill('SIGKILL');
      reject(new Error(`${name} did not start:\n${output}`));
    }, timeoutMs);
    // Once started, its output is still read (a full pipe would stall it) but no longer kept:
    // matching all of a benchmark's logs again at every chunk would take the CPU being measured.
    const read = (chunk: Buffer) => {
      if (started) return;
      output += chunk.toString();
      const groups = ready.exec(output)?.slice(1);
      if (groups?.every((group) => group !== undefined)) {
        started = true;
        clearTimeout(timer);
        resolve({ child, groups });
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}:\n${output}`));
    });
  });
}
