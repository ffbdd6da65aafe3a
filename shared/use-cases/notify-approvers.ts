import type { ApprovalNotice } from '#shared/domain/approval-notice.ts';
import { logger } from '#shared/logger.ts';
import type { ApproverNotices } from '#shared/ports/notifications.ts';

/**
 * Tells the comms leads that `notice`'s item waits for them. The item is stored before this
 * runs, and the console's Approvals badge counts it whatever happens here, so a notice that
 * cannot be published is logged as an error (which alarms) instead of failing a request that
 * succeeded: an operator told "failed" would ask for the broadcast a second time.
 */
export async function notifyApprovers({ notifier }: ApproverNotices, notice: ApprovalNotice): Promise<void> {
  try {
    await notifier.notify(notice);
    logger.info('Approval notice published', { kind: notice.kind, id: notice.id });
  } catch (error) {
    logger.error('Approval notice not published', { kind: notice.kind, id: notice.id, error });
  }
}
