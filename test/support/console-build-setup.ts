/**
 * Vitest global setup of the console layer: builds the operations console into console/dist
 * once, in the main process, before any console flow runs. Each flow used to build it in its
 * own beforeAll, several seconds apiece, and a build empties console/dist while another file's
 * browser may be loading it.
 */
import { resolve } from 'node:path';
import { build } from 'vite';

export async function setup(): Promise<void> {
  await build({ configFile: resolve(import.meta.dirname, '../../console/vite.config.ts'), logLevel: 'warn' });
}
