/** The real `herald` executable, run as a user would run it, for the CLI's end-to-end tests. */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

const HERALD = resolve(import.meta.dirname, '../../bin/herald.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `herald args` with `env` on top of this process's: its exit code and output, never a rejection. */
export function runHerald(args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [HERALD, ...args],
      // A second or two a run, many more on a busy 2-core machine; an evidence export is megabytes.
      { env: { ...process.env, ...env }, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

/** The stack the CLI talks to, and its demo users with their API keys. */
export interface CliStack {
  apiUrl: string;
  users: readonly { user: string; role: string; key: string }[];
}

/** Runs `herald args` against the stack as its demo user named `user` or, failing that, the first with that role. */
export function runHeraldAs(
  stack: CliStack,
  userOrRole: string,
  args: string[],
  env: Record<string, string> = {},
) {
  const user =
    stack.users.find((candidate) => candidate.user === userOrRole) ??
    stack.users.find((candidate) => candidate.role === userOrRole);
  if (!user) throw new Error(`No local user or role ${userOrRole}`);
  return runHerald(args, { HERALD_API_URL: stack.apiUrl, HERALD_API_KEY: user.key, ...env });
}
