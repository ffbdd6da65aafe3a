import { setTimeout as sleep } from 'node:timers/promises';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/adapters/aws-clients.ts';
import { tablesConfig } from '#shared/config.ts';
import type { RateLimiter } from '#shared/ports/stores.ts';
import { GroupCommit } from './group-commit.ts';

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

/**
 * A fixed-window counter in the herald table, shared by every concurrent worker of a provider:
 * each send takes one slot of the current window with a conditional ADD; a full window means
 * waiting for the next. Sends waiting at the same time in one process take their slots together,
 * in one write (see GroupCommit). Items expire through the table's TTL attribute.
 */
export class DynamoRateLimiter implements RateLimiter {
  private readonly table = tablesConfig().herald;
  private readonly slots = new GroupCommit<object>((waiting) => this.take(waiting), Number.MAX_SAFE_INTEGER);

  constructor(
    private readonly name: string,
    private readonly rate: Rate,
  ) {}

  async acquire(signal?: AbortSignal): Promise<void> {
    const { windowMs } = this.rate;
    const ticket = {};
    signal?.throwIfAborted();
    while (!(await this.slots.submit(ticket))) {
      // Full: wait for the next window, with a little jitter so waiting processes do not all collide.
      const nextWindow = (Math.floor(Date.now() / windowMs) + 1) * windowMs;
      await sleep(nextWindow - Date.now() + Math.random() * Math.min(20, windowMs / 4), undefined, {
        signal,
      });
    }
  }

  /**
   * Takes a slot of the current window for as many of the waiting sends as fit, and returns
   * those that got one. The ADD may overshoot the limit: the window is full either way.
   */
  private async take(waiting: object[]): Promise<object[]> {
    const { limit, windowMs } = this.rate;
    const wanted = Math.min(waiting.length, limit);
    try {
      const { Attributes } = await dynamoDb.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `RATE#${this.name}`, sk: String(Math.floor(Date.now() / windowMs)) },
          UpdateExpression: 'ADD used :wanted SET expiresAt = :expires',
          ConditionExpression: 'attribute_not_exists(used) OR used < :limit',
          ExpressionAttributeValues: {
            ':wanted': wanted,
            ':limit': limit,
            ':expires': Math.ceil(Date.now() / 1000) + 3600,
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      const usedBefore = Number(Attributes?.used) - wanted;
      return waiting.slice(0, Math.min(wanted, limit - usedBefore));
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return [];
      throw error;
    }
  }
}
