import { globSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

/**
 * The test layers, one vitest project each (`vitest run --project unit` is `npm run test:fast`).
 * unit: in-process code, no JVM, browser or files outside the code; integration: DynamoDB Local,
 * the sandboxes, the CAP schema and Chromium; e2e: the whole local stack; infra: CDK.
 */
const LAYERS = {
  unit: { folders: ['test/unit', 'test/console'], browser: false },
  integration: { folders: ['test/integration'], browser: true },
  e2e: { folders: ['test/e2e'], browser: true },
  infra: { folders: ['test/infra'], browser: false },
};

// A test file outside every layer would never run: refuse it rather than skip it silently.
const stray = globSync('test/**/*.test.ts').filter(
  (file) =>
    !Object.values(LAYERS).some(({ folders }) => folders.some((folder) => file.startsWith(`${folder}/`))),
);
if (stray.length > 0) throw new Error(`test files in no layer of vitest.config.ts: ${stray.join(', ')}`);

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Integration and e2e suites each start DynamoDB Local (a JVM); two at once is what 2 cores take.
    maxWorkers: 2,
    projects: Object.entries(LAYERS).map(([name, { folders, browser }]) => ({
      extends: true,
      test: {
        name,
        include: folders.map((folder) => `${folder}/**/*.test.ts`),
        globalSetup: browser ? ['test/support/chromium-setup.ts'] : [],
      },
    })),
  },
});
