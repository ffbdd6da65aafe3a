/**
 * The provider sandboxes (`infra/local/sandboxes/main.ts`) as a child process of their own,
 * for tests where the provider must outlive a `kill -9` of the Herald stack: start it, hand its
 * URLs to the stack as HERALD_TWILIO_URL / HERALD_X_URL / HERALD_FACEBOOK_URL, stop it at the end.
 */
import type { ChildProcess } from 'node:child_process';
import { spawnReady } from './spawn-ready.ts';

export interface SandboxProcess {
  child: ChildProcess;
  twilioUrl: string;
  xUrl: string;
  facebookUrl: string;
}

const READY =
  /Twilio sandbox\s+(http:\/\/\S+)[\s\S]*X sandbox\s+(http:\/\/\S+)[\s\S]*Facebook sandbox\s+(http:\/\/\S+)/;

/**
 * Starts the sandboxes, on free ports unless `env` sets HERALD_SANDBOX_*_PORT, and resolves
 * once they print their URLs.
 */
export async function startSandboxProcess(env: Record<string, string> = {}): Promise<SandboxProcess> {
  const { child, groups } = await spawnReady({
    name: 'The sandboxes',
    entry: 'infra/local/sandboxes/main.ts',
    env: {
      HERALD_SANDBOX_TWILIO_PORT: '0',
      HERALD_SANDBOX_X_PORT: '0',
      HERALD_SANDBOX_FACEBOOK_PORT: '0',
      ...env,
    },
    ready: READY,
    timeoutMs: 30_000,
  });
  const [twilioUrl = '', xUrl = '', facebookUrl = ''] = groups;
  return { child, twilioUrl, xUrl, facebookUrl };
}

/** SIGTERM, then waits for the exit; resolves to the exit code (0 after a clean stop). */
export function stopSandboxProcess(sandboxes: SandboxProcess): Promise<number | null> {
  const { child } = sandboxes;
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}
