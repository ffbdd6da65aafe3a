import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/aws.ts';
import { tablesConfig } from '#shared/config.ts';
import type { RateLimiter } from '#shared/ports/stores.ts';

export interface Rate {
  /** Sends allowed per window. */
  limit: number;
  windowSeconds: number;
}

/** A messages-per-second figure as whole sends per window: 0.5/s becomes 1 per 2 s, 50/s stays 50 per 1 s. */
export function rateFromPerSecond(perSecond: number): Rate {
  const windowSeconds = perSecond >= 1 ? 1 : Math.ceil(1 / perSecond);
  return { limit: Math.max(1, Math.round(perSecond * windowSeconds)), windowSeconds };
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
    const windowMs = this.rate.windowSeconds * 1000;
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
              ':expires': Math.ceil(((window + 2) * windowMs) / 1000) + 3600,
            },
          }),
        );
        return;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        // Full: wait for the next window, with a little jitter so waiting workers do not all collide.
        await sleep((window + 1) * windowMs - Date.now() + Math.random() * 20);
      }
    }
  }
}
