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

/** Windows no shorter than this: below it timer and store latency would blur the rate. */
const MIN_WINDOW_MS = 5;

/**
 * A messages-per-second figure as sends per window, one send a window where possible so sends
 * are spread evenly (50/s: one per 20 ms; 0.5/s: one per 2 s; 1,000/s: five per 5 ms).
 */
export function rateFromPerSecond(perSecond: number): Rate {
  const windowMs = Math.max(MIN_WINDOW_MS, 1000 / perSecond);
  return { limit: Math.max(1, Math.round((perSecond * windowMs) / 1000)), windowMs };
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
        await sleep((window + 1) * windowMs - Date.now() + Math.random() * Math.min(20, windowMs / 4));
      }
    }
  }
}
