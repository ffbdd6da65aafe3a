import type { Broadcast } from '#shared/domain/model.ts';
import type { BroadcastStore } from '#shared/ports/stores.ts';

/**
 * Whether a broadcast has been cancelled, as of at most `maxAgeMs` ago: the broadcast is read
 * once per interval however many batches in this process are sending it, and a cancel stops
 * sends within that interval (half a second, so nothing goes out a second after the cancel).
 */
export class CancellationWatch {
  private readonly known = new Map<string, { readAt: number; cancelled: Promise<boolean> }>();

  constructor(
    private readonly broadcasts: BroadcastStore,
    private readonly maxAgeMs = 500,
  ) {}

  /**
   * A read of the broadcast made elsewhere (a batch loading it), sent at `readAt`: answered from
   * as from the watch's own, so the batch's first send does not read the broadcast again.
   */
  noteRead(broadcast: Pick<Broadcast, 'id' | 'status'>, readAt: number): void {
    const known = this.known.get(broadcast.id);
    if (known && known.readAt >= readAt) return;
    this.known.set(broadcast.id, { readAt, cancelled: Promise.resolve(broadcast.status === 'cancelled') });
  }

  isCancelled(broadcastId: string): Promise<boolean> {
    const now = Date.now();
    const known = this.known.get(broadcastId);
    if (known && now - known.readAt <= this.maxAgeMs) return known.cancelled;
    for (const [id, { readAt }] of this.known) if (now - readAt > this.maxAgeMs) this.known.delete(id);
    const cancelled = this.broadcasts.get(broadcastId).then((broadcast) => broadcast?.status === 'cancelled');
    // A failed read is not remembered: the next caller reads again.
    cancelled.catch(() => this.known.delete(broadcastId));
    this.known.set(broadcastId, { readAt: now, cancelled });
    return cancelled;
  }
}
