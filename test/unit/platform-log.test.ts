import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { logFunctionError } from '#infra/local/platform-log.ts';
import { LambdaStoppedError, LambdaTimeoutError } from '#infra/local/runtime/local-lambda.ts';
import { captureJsonLines } from '#test/support/json-lines.ts';

let jsonLines: () => Record<string, unknown>[];
beforeEach(() => {
  jsonLines = captureJsonLines();
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('the local stack’s report of a failed invocation', () => {
  it('is one structured line with the time, the level and the function, not a raw stack trace', () => {
    logFunctionError('send-sms', new LambdaTimeoutError('send-sms', 60_000));

    const [line] = jsonLines();
    expect(line).toMatchObject({
      level: 'ERROR',
      message: 'Invocation failed',
      function: 'send-sms',
      error: { name: 'LambdaTimeoutError', message: 'send-sms: Task timed out after 60.00 seconds' },
    });
    expect(Number.isNaN(Date.parse(String(line?.timestamp)))).toBe(false);
  });

  it('says nothing of the invocations the closing stack itself stopped', () => {
    logFunctionError('send-sms', new LambdaStoppedError('send-sms'));

    expect(jsonLines()).toEqual([]);
  });
});
