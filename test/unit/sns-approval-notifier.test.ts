import { PublishCommand, type PublishCommandInput, SNSClient } from '@aws-sdk/client-sns';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { snsApproverNotices } from '#shared/adapters/sns-approval-notifier.ts';
import { broadcastNotice } from '#shared/domain/approval-notice.ts';
import { mockClientForFile } from '#test/support/aws-client-mock.ts';
import { aBroadcast, anIncident } from '#test/support/builders.ts';

const TOPIC = 'arn:aws:sns:eu-north-1:000000000000:approvals';
const snsMock = mockClientForFile(SNSClient);

beforeEach(() => {
  vi.stubEnv('APPROVALS_TOPIC_ARN', TOPIC);
  vi.stubEnv('HERALD_CONSOLE_URL', 'https://status.herald.example/console/');
  snsMock.reset();
  snsMock.on(PublishCommand).resolves({ MessageId: 'm1' });
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the SNS approval notifier', () => {
  it('publishes the notice to the approvals topic: an e-mail subject, the text, the kind to filter on', async () => {
    const approvers = snsApproverNotices();
    const notice = broadcastNotice(
      aBroadcast({ variables: { note: 'Door 3' } }),
      anIncident(),
      approvers.consoleUrl,
    );

    await approvers.notifier.notify(notice);

    const [published] = snsMock.commandCalls(PublishCommand).map(({ args: [command] }) => command.input);
    expect(published).toEqual<PublishCommandInput>({
      TopicArn: TOPIC,
      Subject: 'Herald: a broadcast waits for approval',
      Message: notice.text,
      MessageAttributes: { kind: { DataType: 'String', StringValue: 'broadcast' } },
    });
    expect(notice.text).toContain('https://status.herald.example/console/#/broadcasts/b1');
    expect(notice.text).toContain('at 2026-12-01 06:00 UTC');
    // SNS refuses an e-mail subject that is not ASCII, has a line break or reaches 100 characters.
    expect(notice.subject).toMatch(/^[\x20-\x7e]{1,99}$/);
  });
});
