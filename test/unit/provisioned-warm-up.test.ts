import { afterEach, describe, expect, it, vi } from 'vitest';
import { PROVISIONED_INITIALIZATION, warmUpIfProvisioned } from '#shared/provisioned-warm-up.ts';
import { captureJsonLines } from '#test/support/json-lines.ts';

describe('warmUpIfProvisioned', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('warms up an instance of provisioned concurrency, and no other', async () => {
    const warmUp = vi.fn(async () => undefined);
    for (const initialization of [PROVISIONED_INITIALIZATION, 'on-demand', '']) {
      vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', initialization);
      await warmUpIfProvisioned(warmUp);
    }

    expect(warmUp).toHaveBeenCalledTimes(1);
  });

  it('lets the instance start when its warm-up fails: the first invocation does the work', async () => {
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', PROVISIONED_INITIALIZATION);
    const lines = captureJsonLines();

    await expect(warmUpIfProvisioned(() => Promise.reject(new Error('throttled')))).resolves.toBeUndefined();
    expect(lines()).toEqual([
      expect.objectContaining({ level: 'WARN', error: expect.objectContaining({ message: 'throttled' }) }),
    ]);
  });
});
