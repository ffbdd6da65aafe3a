/**
 * Vitest global setup of the console layer: builds the operations console into console/dist
 * once, in the main process, before any console flow runs. Each flow used to build it in its
 * own beforeAll, several seconds apiece, and a build empties console/dist while another file's
 * browser may be loading it. The e2e layer has it too (test/e2e/deadline-console.test.ts); vitest
 * runs each layer's global setup, one after the other, so the second finds the build done.
 */
import { resolve } from 'node:path';
import { build } from 'vite';

/** Set once the console is built in this vitest process: the e2e and console layers each ask. */
const BUILT = Symbol.for('herald.test.console-built');

export async function setup(): Promise<void> {
  const run = globalThis as { [BUILT]?: Promise<unknown> };
  run[BUILT] ??= build({
    configFile: resolve(import.meta.dirname, '../../console/vite.config.ts'),
    logLevel: 'warn',
  });
  await run[BUILT];
}
