interface Waiting<T> {
  entry: T;
  resolve: (applied: boolean) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: conditional writes submitted while a write is in flight wait for it to finish
 * and then go together, in one request, instead of one request each (rate-limit
 * slots). An idle process writes at
 * once, so nothing waits longer than one write; a busy one (many concurrent workers and
 * webhooks) turns hundreds of small transactions a second into a few large ones.
 * Entries with the same key never share a request (a transaction may touch an item only once);
 * a later one waits for the next.
 */
export class GroupCommit<T> {
  private waiting: Waiting<T>[] = [];
  private writing = false;

  /**
   * @param write writes the entries and returns those applied (whose condition held)
   * @param maxEntries entries per request at most
   * @param keyOf identifies the item an entry writes, when two entries may write the same one
   */
  constructor(
    private readonly write: (entries: T[]) => Promise<T[]>,
    private readonly maxEntries: number,
    private readonly keyOf?: (entry: T) => string,
  ) {}

  /** Resolves true once the entry is written, false if its condition did not hold. */
  submit(entry: T): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ entry, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.waiting.length > 0) {
      const group = this.nextGroup();
      try {
        const applied = new Set(await this.write(group.map(({ entry }) => entry)));
        for (const { entry, resolve } of group) resolve(applied.has(entry));
      } catch (error) {
        for (const { reject } of group) reject(error);
      }
    }
    this.writing = false;
  }

  /** The oldest waiting entries, one per key, up to maxEntries; the rest keep their place. */
  private nextGroup(): Waiting<T>[] {
    const group: Waiting<T>[] = [];
    const keys = new Set<string>();
    const later: Waiting<T>[] = [];
    for (const waiting of this.waiting) {
      const key = this.keyOf?.(waiting.entry);
      if (group.length < this.maxEntries && (key === undefined || !keys.has(key))) {
        group.push(waiting);
        if (key !== undefined) keys.add(key);
      } else {
        later.push(waiting);
      }
    }
    this.waiting = later;
    return group;
  }
}
