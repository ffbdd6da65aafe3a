import { PublishBatchCommand, type PublishBatchRequestEntry, PublishCommand } from '@aws-sdk/client-sns';
import { sns } from '#shared/adapters/aws-clients.ts';
import { busConfig } from '#shared/config.ts';
import type { BusMessage, BusTarget } from '#shared/domain/bus-messages.ts';
import type { Fanout } from '#shared/ports/stores.ts';

/** SNS takes at most this many messages in one PublishBatch. */
const PUBLISH_BATCH_LIMIT = 10;
/**
 * Requests one batch gets: the SDK retries a failed request itself, so these are for entries
 * SNS answered as failed one by one (an internal error, a throttled entry).
 */
const BATCH_ATTEMPTS = 3;

const targetAttribute = (target: BusTarget) => ({ target: { DataType: 'String', StringValue: target } });

/** Publishes work to the broadcast topic; subscriptions filter on the `target` attribute. */
export class SnsFanout implements Fanout {
  private readonly topicArn = busConfig().BROADCAST_TOPIC_ARN;

  async publish<T extends BusTarget>(target: T, message: BusMessage<T>): Promise<void> {
    await sns.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Message: JSON.stringify(message),
        MessageAttributes: targetAttribute(target),
      }),
    );
  }

  async publishMany<T extends BusTarget>(target: T, messages: BusMessage<T>[]): Promise<void> {
    for (let offset = 0; offset < messages.length; offset += PUBLISH_BATCH_LIMIT) {
      await this.publishBatch(
        messages.slice(offset, offset + PUBLISH_BATCH_LIMIT).map((message, index) => ({
          Id: String(index),
          Message: JSON.stringify(message),
          MessageAttributes: targetAttribute(target),
        })),
      );
    }
  }

  /** One PublishBatch, sent again with the entries that failed until none is left or the attempts are spent. */
  private async publishBatch(entries: PublishBatchRequestEntry[]): Promise<void> {
    let pending = entries;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const { Failed = [] } = await sns.send(
        new PublishBatchCommand({ TopicArn: this.topicArn, PublishBatchRequestEntries: pending }),
      );
      const failedIds = new Set(Failed.map(({ Id }) => Id));
      pending = pending.filter(({ Id }) => failedIds.has(Id));
      if (pending.length > 0 && attempt >= BATCH_ATTEMPTS)
        throw new Error(
          `SNS refused ${pending.length} of ${entries.length} messages: ${Failed.map(({ Code }) => Code).join(', ')}`,
        );
    }
  }
}
