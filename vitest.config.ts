import { globSync } from 'node:fs';
import { matchesGlob } from 'node:path';
import { defineConfig } from 'vitest/config';
import { SuiteSequencer } from '#test/support/suite-sequencer.ts';

/**
 * The test layers, one vitest project each (`vitest run --project unit` is `npm run test:fast`).
 * unit: in-process code, no JVM, browser or files outside the code; integration: DynamoDB Local,
 * the sandboxes, the CAP schema and Chromium; e2e: the whole local stack; console: the console's
 * flows in Chromium on one whole local stack per worker, with the console built once before them;
 * infra: CDK.
 */
const CHROMIUM = 'test/support/chromium-setup.ts';
const CONSOLE_BUILD = 'test/support/console-build-setup.ts';
const CONSOLE_FLOWS = 'test/e2e/console-*.test.ts';
interface Layer {
  include: string[];
  exclude?: string[];
  globalSetup: string[];
  isolate?: boolean;
}
const LAYERS: Record<string, Layer> = {
  // The unit files share each worker's module cache (isolate: false): importing the AWS SDK and
  // the use cases' dependencies again for every file was two thirds of the layer's time. A unit
  // test therefore leaves no state behind: client stubs through mockClientForFile, env through
  // vi.stubEnv, fake timers undone; `--sequence.shuffle --maxWorkers=1` finds one that does.
  unit: { include: ['test/unit/**/*.test.ts', 'test/console/**/*.test.ts'], globalSetup: [], isolate: false },
  integration: { include: ['test/integration/**/*.test.ts'], globalSetup: [CHROMIUM] },
  // deadline-console.test.ts opens the console on a stack of its own (1 SMS/s, a 3-minute deadline).
  e2e: {
    include: ['test/e2e/**/*.test.ts'],
    exclude: [CONSOLE_FLOWS],
    globalSetup: [CHROMIUM, CONSOLE_BUILD],
  },
  // One stack and one browser per worker for all its files (test/support/console-stack.ts): its
  // files share the worker's modules, the stack's in-process functions among them.
  console: { include: [CONSOLE_FLOWS], globalSetup: [CHROMIUM, CONSOLE_BUILD], isolate: false },
  infra: { include: ['test/infra/**/*.test.ts'], globalSetup: [] },
};

const inLayer = (file: string, { include, exclude = [] }: Layer) =>
  include.some((glob) => matchesGlob(file, glob)) && !exclude.some((glob) => matchesGlob(file, glob));
// A test file outside every layer would never run, and one in two would run twice: refuse both.
const misplaced = globSync('test/**/*.test.ts').filter(
  (file) => Object.values(LAYERS).filter((layer) => inLayer(file, layer)).length !== 1,
);
if (misplaced.length > 0)
  throw new Error(`test files not in exactly one layer of vitest.config.ts: ${misplaced.join(', ')}`);

/**
 * DynamoDB Local's JVM as the tests start it (in process, or inside a child `npm start`, which
 * inherits the environment): the C1 compiler only and the serial collector. A JVM that lives for
 * one test file spends more CPU compiling with C2 than C2 gives back; on the loaded 2-core
 * machine this took a start from 9 to 5 s of CPU and 3,000 writes after it from 15 to 7 s.
 */
const JAVA_TOOL_OPTIONS = [process.env.JAVA_TOOL_OPTIONS, '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC']
  .filter(Boolean)
  .join(' ');

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    env: { JAVA_TOOL_OPTIONS },
    // Integration and e2e suites each start DynamoDB Local (a JVM); two at once is what 2 cores take.
    maxWorkers: 2,
    // Starts the Lambda bundles' build as a run that needs them starts.
    sequence: { sequencer: SuiteSequencer },
    projects: Object.entries(LAYERS).map(([name, layer]) => ({
      extends: true,
      test: { name, ...layer },
    })),
  },
});
