/**
 * A build into a folder, done by one process at a time on the machine: the others that want it
 * meanwhile wait for its result instead of building the same thing beside it. The test run starts
 * the Lambda bundles' build as it starts (test/support/suite-sequencer.ts) and the stack of the
 * test that runs from them, minutes later in another process, waits for that build to end.
 */
import { existsSync } from 'node:fs';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** How often a waiting process looks whether the build it waits for ended. */
const POLL_MS = 500;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes `lock` for this process; false while a running process holds it. A dead holder's lock is removed. */
async function takeLock(lock: string): Promise<boolean> {
  // Written whole, then linked into place: a lock is never seen without its holder's pid.
  const mine = `${lock}.${process.pid}`;
  await writeFile(mine, String(process.pid));
  try {
    await link(mine, lock);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await rm(mine, { force: true });
  }
  const holder = Number(await readFile(lock, 'utf8').catch(() => ''));
  // A holder killed mid-build left its lock: the build went with it. (Two processes finding the
  // same dead holder may both build; each builds into a scratch folder of its own, so no harm.)
  if (!holder || !isRunning(holder)) await rm(lock, { force: true });
  return false;
}

/**
 * Resolves once `done` exists in `target`: at once if it does, else after `build(target)` ran in
 * this process, or after another process that holds `target`'s lock ended (its build, or this
 * process's own if that one failed or died without `done`).
 */
export async function buildOnce(
  target: string,
  done: string,
  build: (target: string) => Promise<void>,
  onWait: () => void = () => undefined,
): Promise<void> {
  const lock = `${target}.lock`;
  await mkdir(path.dirname(target), { recursive: true });
  let waiting = false;
  while (!existsSync(path.join(target, done))) {
    if (await takeLock(lock)) {
      try {
        if (!existsSync(path.join(target, done))) await build(target);
      } finally {
        await rm(lock, { force: true });
      }
      return;
    }
    if (!waiting) onWait();
    waiting = true;
    await sleep(POLL_MS);
  }
}
