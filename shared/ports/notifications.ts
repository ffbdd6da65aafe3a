/** Messages to people, beside the broadcasts themselves. The SNS adapter implements it. */

import type { ApprovalNotice } from '#shared/domain/approval-notice.ts';

export interface ApprovalNotifier {
  notify(notice: ApprovalNotice): Promise<void>;
}

/** How the use cases that make something wait for approval reach the comms leads. */
export interface ApproverNotices {
  notifier: ApprovalNotifier;
  /** The console the notices link to. */
  consoleUrl: string;
}
