import type { Invocation } from '#shared/ports/invocation.ts';
import type { LeaseStore } from '#shared/ports/stores.ts';

/**
 * Short, and renewed as the job goes: a job that dies (a crash, a restart of the local stack)
 * holds the next runs off for this long at most.
 */
const JOB_LEASE_MS = 10_000;

/**
 * The lease that keeps runs of a scheduled job (the sweep, receipt reconciliation) from
 * overlapping: `hold` takes it, or renews it once half of it has passed, and is false once another
 * run holds it; `release` gives it up at the end.
 */
export function jobLease(
  leases: LeaseStore,
  name: string,
  invocation: Pick<Invocation, 'id' | 'remainingMs'>,
) {
  let expiresAt = 0;
  return {
    async hold(): Promise<boolean> {
      if (expiresAt - Date.now() > JOB_LEASE_MS / 2) return true;
      const until = Date.now() + Math.min(JOB_LEASE_MS, invocation.remainingMs());
      if (!(await leases.acquire(name, { owner: invocation.id, expiresAt: until }))) return false;
      expiresAt = until;
      return true;
    },
    release: () => leases.release(name, invocation.id),
  };
}
