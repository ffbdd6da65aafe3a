import { randomUUID } from 'node:crypto';
import type { AuditEntry } from '#shared/domain/model.ts';
import type { AuditStore } from '#shared/ports/stores.ts';

/**
 * Appends one line to the audit log, stamped now. Every state change a person makes calls it
 * after the change succeeded: template edits and reviews, broadcasts and their approval,
 * cancellations, opt-outs.
 */
export async function recordAudit(
  audit: AuditStore,
  entry: Pick<AuditEntry, 'actor' | 'action' | 'resource'> & { details?: AuditEntry['details'] },
): Promise<AuditEntry> {
  const stamped: AuditEntry = { id: randomUUID(), at: new Date().toISOString(), ...entry };
  await audit.append(stamped);
  return stamped;
}
