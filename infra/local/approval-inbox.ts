/**
 * Where approval notices land in the local stack, as the comms leads' e-mail would receive them
 * in AWS: the approvals topic (a topic of the local bus, which the handlers publish to through
 * the loopback SNS endpoint) delivers to a queue whose consumer keeps each notice and logs it
 * as one structured line (`Approval notice`, with its kind and text). `GET /__herald/approval-notices` (local stack only, no key) lists them, oldest
 * first; `DELETE` empties the inbox. Not part of the API that CDK deploys.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SQSEvent } from 'aws-lambda';
import { LocalQueue, LocalTopic } from './bus.ts';
import { platformLogger } from './platform-log.ts';

export const APPROVAL_NOTICES_PATH = '/__herald/approval-notices';

/** A notice as the inbox keeps it: what a subscriber would read. */
export interface InboxNotice {
  receivedAt: string;
  /** `broadcast` or `template`: the message attribute subscriptions may filter on. */
  kind: string;
  text: string;
}

export class ApprovalInbox {
  readonly topic = new LocalTopic('herald-approvals');
  readonly notices: InboxNotice[] = [];
  private readonly queue: LocalQueue;

  constructor() {
    this.queue = new LocalQueue(
      {
        name: 'herald-approval-inbox',
        batchSize: 10,
        visibilityTimeoutMs: 30_000,
        maxReceiveCount: 3,
        concurrency: 1,
      },
      async (event: SQSEvent) => {
        for (const record of event.Records) {
          const notice = {
            receivedAt: new Date().toISOString(),
            kind: record.messageAttributes.kind?.stringValue ?? 'unknown',
            text: record.body,
          };
          this.notices.push(notice);
          platformLogger.info('Approval notice', { kind: notice.kind, text: notice.text });
        }
        return undefined;
      },
      (error) => platformLogger.error('Approval inbox failed', { error }),
    );
    this.topic.subscribe(this.queue, {});
  }

  /** Answers GET (the notices) and DELETE (empty the inbox) on APPROVAL_NOTICES_PATH; `false` otherwise. */
  serve(request: IncomingMessage, response: ServerResponse, url: URL): boolean {
    if (url.pathname !== APPROVAL_NOTICES_PATH) return false;
    if (request.method === 'GET') {
      response
        .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        .end(JSON.stringify(this.notices));
      return true;
    }
    if (request.method === 'DELETE') {
      this.notices.length = 0;
      response.writeHead(204).end();
      return true;
    }
    return false;
  }

  stop(): Promise<void> {
    return this.queue.stop();
  }
}
