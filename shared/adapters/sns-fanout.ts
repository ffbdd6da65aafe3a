import { PublishCommand } from '@aws-sdk/client-sns';
import type { BusTarget } from '#functions/manifest.ts';
import { sns } from '#shared/clients/aws.ts';
import { busConfig } from '#shared/config.ts';
import type { Fanout } from '#shared/ports/stores.ts';

/** Publishes work to the broadcast topic; subscriptions filter on the `target` attribute. */
export class SnsFanout implements Fanout {
  private readonly topicArn = busConfig().BROADCAST_TOPIC_ARN;

  async publish(target: BusTarget, message: object): Promise<void> {
    await sns.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Message: JSON.stringify(message),
        MessageAttributes: { target: { DataType: 'String', StringValue: target } },
      }),
    );
  }
}
