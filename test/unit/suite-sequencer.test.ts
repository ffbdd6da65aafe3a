import { globSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FILES_FROM_THE_BUNDLES, runsFromTheBundles } from '#test/support/suite-sequencer.ts';

const REPO_ROOT = new URL('../..', import.meta.url).pathname;

describe('the suite sequencer', () => {
  it('starts the bundles for a run holding a test that runs from them, and for no other', () => {
    const file = (name: string) => ({ moduleId: `${REPO_ROOT}${name}` });

    expect(
      runsFromTheBundles([file('test/unit/render.test.ts'), file('test/e2e/strike-broadcast.test.ts')]),
    ).toBe(true);
    expect(runsFromTheBundles([file('test/unit/render.test.ts'), file('test/e2e/api-fuzz.test.ts')])).toBe(
      false,
    );
  });

  it('knows every test file whose stack runs from the bundles', () => {
    // The group keeps this file's own source from matching.
    const fromTheBundles = globSync('test/**/*.test.ts', { cwd: REPO_ROOT }).filter((name) =>
      /HERALD_LAMBDA_CODE: '(bundle)'/.test(readFileSync(`${REPO_ROOT}${name}`, 'utf8')),
    );

    expect(fromTheBundles.sort()).toEqual([...FILES_FROM_THE_BUNDLES].sort());
  });
});
