import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Broadcast } from '#shared/domain/model.ts';
import type { BroadcastStore } from '#shared/ports/stores.ts';
import { CancellationWatch } from '#shared/use-cases/cancellation-watch.ts';

function store(status: () => Broadcast['status']) {
  const reads: string[] = [];
  const broadcasts = {
    get: async (id: string) => {
      reads.push(id);
      return { id, status: status() } as Broadcast;
    },
  } as BroadcastStore;
  return { broadcasts, reads };
}

describe('CancellationWatch', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads a broadcast once per interval however many callers ask, and sees a cancel after it', async () => {
    let status: Broadcast['status'] = 'sending';
    const { broadcasts, reads } = store(() => status);
    const watch = new CancellationWatch(broadcasts, 1_000);

    expect(await Promise.all([1, 2, 3].map(() => watch.isCancelled('b1')))).toEqual([false, false, false]);
    status = 'cancelled';
    vi.advanceTimersByTime(1_000);
    expect(await watch.isCancelled('b1')).toBe(false);
    expect(reads).toEqual(['b1']);
    vi.advanceTimersByTime(1);
    expect(await watch.isCancelled('b1')).toBe(true);
    expect(reads).toEqual(['b1', 'b1']);
  });

  it('answers from a read of the broadcast made elsewhere while that read is fresh, then reads it itself', async () => {
    const { broadcasts, reads } = store(() => 'cancelled');
    const watch = new CancellationWatch(broadcasts, 1_000);

    watch.noteRead({ id: 'b1', status: 'sending' }, Date.now());
    expect(await watch.isCancelled('b1')).toBe(false);
    expect(reads).toEqual([]);
    vi.advanceTimersByTime(1_001);
    expect(await watch.isCancelled('b1')).toBe(true);
    expect(reads).toEqual(['b1']);
  });

  it('keeps its own read over an older one made elsewhere', async () => {
    const { broadcasts } = store(() => 'cancelled');
    const watch = new CancellationWatch(broadcasts, 1_000);
    const olderRead = Date.now();
    vi.advanceTimersByTime(10);

    expect(await watch.isCancelled('b1')).toBe(true);
    watch.noteRead({ id: 'b1', status: 'sending' }, olderRead);
    expect(await watch.isCancelled('b1')).toBe(true);
  });

  it('keeps broadcasts apart and reads again after a failed read', async () => {
    let fail = true;
    const reads: string[] = [];
    const watch = new CancellationWatch({
      get: async (id: string) => {
        reads.push(id);
        if (fail) throw new Error('timeout');
        return { id, status: id === 'b2' ? 'cancelled' : 'sending' } as Broadcast;
      },
    } as BroadcastStore);
    await expect(watch.isCancelled('b1')).rejects.toThrow('timeout');
    fail = false;
    expect(await watch.isCancelled('b1')).toBe(false);
    expect(await watch.isCancelled('b2')).toBe(true);
    expect(reads).toEqual(['b1', 'b1', 'b2']);
  });
});
