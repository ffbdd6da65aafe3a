import { PublishCommand } from '@aws-sdk/client-sns';
import { sns } from '#shared/adapters/aws-clients.ts';
import { approvalsConfig } from '#shared/config.ts';
import type { ApprovalNotice } from '#shared/domain/approval-notice.ts';
import type { ApprovalNotifier, ApproverNotices } from '#shared/ports/notifications.ts';

/**
 * Publishes approval notices to the approvals topic, whose e-mail and SMS subscriptions reach the
 * comms leads (CDK context `approvalEmails`, `approvalPhones`). The `kind` attribute lets a
 * subscription filter.
 */
export class SnsApprovalNotifier implements ApprovalNotifier {
  private readonly topicArn = approvalsConfig().APPROVALS_TOPIC_ARN;

  async notify(notice: ApprovalNotice): Promise<void> {
    await sns.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: notice.subject,
        Message: notice.text,
        MessageAttributes: { kind: { DataType: 'String', StringValue: notice.kind } },
      }),
    );
  }
}

/** What a handler whose use case makes something wait for approval passes it: this topic and the console. */
export function snsApproverNotices(): ApproverNotices {
  return { notifier: new SnsApprovalNotifier(), consoleUrl: approvalsConfig().HERALD_CONSOLE_URL };
}
