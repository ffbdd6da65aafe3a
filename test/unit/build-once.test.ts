import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildOnce } from '#infra/local/runtime/build-once.ts';

let directory: string;
let target: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'herald-build-once-'));
  target = join(directory, 'build');
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** A build that takes `ms`, counting its runs, and leaves `done` in its folder. */
function slowBuild(ms: number) {
  const runs = { count: 0 };
  const build = async (folder: string) => {
    runs.count++;
    await sleep(ms);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'done'), '');
  };
  return { runs, build };
}

describe('buildOnce', () => {
  it('builds once for two callers at once: one waits for the other build to end', async () => {
    const { runs, build } = slowBuild(300);
    let waits = 0;
    const caller = () =>
      buildOnce(target, 'done', build, () => {
        waits++;
      });

    await Promise.all([caller(), caller()]);

    expect(runs.count).toBe(1);
    expect(waits).toBe(1);
    expect(existsSync(join(target, 'done'))).toBe(true);
    expect(existsSync(`${target}.lock`)).toBe(false);
  });

  it('does not build what is built', async () => {
    const { runs, build } = slowBuild(0);
    await buildOnce(target, 'done', build);

    await buildOnce(target, 'done', build);

    expect(runs.count).toBe(1);
  });

  it('builds when the process holding the lock died mid-build', async () => {
    const dead = spawnSync('true').pid;
    await writeFile(`${target}.lock`, String(dead));
    const { runs, build } = slowBuild(0);

    await buildOnce(target, 'done', build);

    expect(runs.count).toBe(1);
    expect(existsSync(join(target, 'done'))).toBe(true);
  });

  it('lets a failed build go, lock and all: the caller waiting on it builds', async () => {
    const { runs, build } = slowBuild(0);
    let waiting: Promise<void> | undefined;
    const failing = buildOnce(target, 'done', async () => {
      // Started while this build holds the lock, so it is the one that waits, however loaded the machine.
      waiting = buildOnce(target, 'done', build);
      await sleep(300);
      throw new Error('synth failed');
    });

    await expect(failing).rejects.toThrow('synth failed');
    await waiting;
    expect(runs.count).toBe(1);
    expect(existsSync(join(target, 'done'))).toBe(true);
  });
});
