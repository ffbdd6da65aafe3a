import { describe, expect, it } from 'vitest';
import type { ApiResponse } from '#test/support/local-stack.ts';
import { broadcastEnded } from '#test/support/sender-pool.ts';

describe('broadcastEnded (the e2e tests and benchmarks waiting for a broadcast)', () => {
  it('asks again after a poll the loaded stack failed, and answers once the broadcast has ended', async () => {
    // What each poll gets: a broadcast still sending, no answer at all, then the end.
    const polls = ['sending', 'no answer', 'completed'];
    let asked = 0;
    const operator = async <T>(): Promise<ApiResponse<T>> => {
      const status = polls[asked++];
      if (status === 'no answer') throw new TypeError('fetch failed');
      return { status: 200, contentType: 'application/json', body: { status } as T };
    };

    const ended = await broadcastEnded(operator, 'B1', 5_000);

    expect(ended.status).toBe('completed');
    expect(asked).toBe(3);
  });
});
