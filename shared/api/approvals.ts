import type { BroadcastRequest } from '#shared/domain/broadcast-review.ts';
import type { TemplateSummary } from '#shared/domain/model.ts';

/** GET /approvals: what waits for a comms lead, oldest first. */
export interface PendingApprovals {
  broadcasts: BroadcastRequest[];
  /** Templates whose latest version is submitted, by id. */
  templates: TemplateSummary[];
}
