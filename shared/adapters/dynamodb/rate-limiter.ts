import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/aws.ts';
import { tablesConfig } from '#shared/config.ts';
import type { RateLimiter } from '#shared/ports/stores.ts';

export interface Rate {
  /** Sends allowed per window. */
  limit: number;
  windowMs: number;
}

/**
 * Windows of about this length: long enough that a worker busy for a moment does not leave a
 * slot unused (which would lower the rate), short enough that sends stay evenly spread.
 */
const TARGET_WINDOW_MS = 200;

/**
 * A messages-per-second figure as sends per window (1/s: one per second; 20/s: four per 200 ms;
 * 0.5/s: one per 2 s). Over any stretch of whole windows the rate is exact.
 */
export function rateFromPerSecond(perSecond: number): Rate {
  const limit = Math.max(1, Math.round((perSecond * TARGET_WINDOW_MS) / 1000));
  return { limit, windowMs: (limit * 1000) / perSecond };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A fixed-window counter in the herald table, shared by every concurrent worker of a provider:
 * each send takes one slot of the current window with a conditional ADD; a full window means
 * waiting for the next. Items expire through the table's TTL attribute.
 */
export class DynamoRateLimiter implements RateLimiter {
  private readonly table = tablesConfig().herald;

  constructor(
    private readonly name: string,
    private readonly rate: Rate,
  ) {}

  async acquire(): Promise<void> {
    const { windowMs } = this.rate;
    for (;;) {
      const window = Math.floor(Date.now() / windowMs);
      try {
        await dynamoDb.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { pk: `RATE#${this.name}`, sk: String(window) },
            UpdateExpression: 'ADD used :one SET expiresAt = :expires',
            ConditionExpression: 'attribute_not_exists(used) OR used < :limit',
            ExpressionAttributeValues: {
              ':one': 1,
              ':limit': this.rate.limit,
              ':expires': Math.ceil(Date.now() / 1000) + 3600,
            },
          }),
        );
        return;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        // Full: wait for the next window, with a little jitter so waiting workers do not all collide.
        await sleep(
          Math.max(0, (window + 1) * windowMs - Date.now() + Math.random() * Math.min(20, windowMs / 4)),
        );
      }
    }
  }
}
