import { afterEach, describe, expect, it, vi } from 'vitest';
import { eventually } from '#test/support/local-stack.ts';

/** Waits with `eventually` for a condition met `readyAfterMs` from now; how often it asked and when it saw it. */
async function waitFor(readyAfterMs: number) {
  vi.useFakeTimers();
  const start = Date.now();
  let asked = 0;
  const waited = eventually(async () => {
    asked++;
    return Date.now() - start >= readyAfterMs ? Date.now() - start : undefined;
  }, 60_000);
  await vi.advanceTimersByTimeAsync(readyAfterMs + 1_000);
  return { asked, seenAfterMs: await waited };
}

describe('eventually (the e2e tests waiting on the stack)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('asks a long wait about twice a second, not ten times: each question costs the stack CPU', async () => {
    const { asked, seenAfterMs } = await waitFor(20_000);

    expect(asked).toBeLessThanOrEqual(45);
    expect(seenAfterMs).toBeLessThan(20_500);
  });

  it('still sees a condition met soon within a tenth of a second or two', async () => {
    const { asked, seenAfterMs } = await waitFor(150);

    expect(seenAfterMs).toBeLessThanOrEqual(300);
    expect(asked).toBe(3);
  });
});
