/**
 * Vitest's own file order, and the Lambda bundles' build started as soon as a run that needs
 * them starts. The build takes minutes of CPU; the one test that runs from the bundles used to
 * build them in its own beforeAll, its worker waiting on it for most of 3 minutes. Started here,
 * in vitest's main process, the build goes on beside the files that run before that test, whose
 * stack then waits for it if it has not ended (lambdaBundles: one build at a time per machine).
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { lambdaBundles } from '#infra/local/runtime/lambda-bundles.ts';

/** The test files whose stack runs the functions from the bundles (HERALD_LAMBDA_CODE=bundle). */
export const FILES_FROM_THE_BUNDLES = ['test/e2e/strike-broadcast.test.ts'];

/** Whether one of these files runs the functions from the bundles. */
export function runsFromTheBundles(files: readonly { moduleId: string }[]): boolean {
  return files.some((file) => FILES_FROM_THE_BUNDLES.some((name) => file.moduleId.endsWith(`/${name}`)));
}

export class SuiteSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    // Not awaited: the files run meanwhile. Should it fail, the test's own stack builds again
    // and reports the error.
    if (runsFromTheBundles(files)) lambdaBundles().catch(() => undefined);
    return super.sort(files);
  }
}
