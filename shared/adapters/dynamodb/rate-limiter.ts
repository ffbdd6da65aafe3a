import { setTimeout as sleep } from 'node:timers/promises';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/adapters/aws-clients.ts';
import { tablesConfig } from '#shared/config.ts';
import type { RateLimiter } from '#shared/ports/stores.ts';
import { GroupCommit } from './group-commit.ts';

/**
 * How far ahead of now a reservation may start: sends finding the next free slot further away
 * wait until it comes this close, so the slots reserved by an invocation that stops early (each
 * a send the rate loses) stay few, while reservations still run far enough ahead that a slow
 * answer from DynamoDB leaves no slot unused.
 */
export const RESERVE_AHEAD_MS = 5_000;
/** The limiter's item outlives its last reservation by this much (the table's TTL then removes it). */
const IDLE_ITEM_LIFETIME_S = 24 * 3600;

/** A send waiting for its slot: the reservation fills in when its slot starts, or when to ask again. */
interface Ticket {
  slotAt?: number;
  retryAt?: number;
}

/**
 * A rate shared by every concurrent worker of a sender (GCRA, the generic cell rate algorithm):
 * the herald table holds per limiter when its next free slot starts (`nextAt`), and the slots
 * follow each other one interval (1 s / rate) apart. A send reserves the next slot with one
 * conditional ADD and waits for it; sends waiting at the same time in one process reserve their
 * slots together, in one write (see GroupCommit).
 * - Nobody polls for room: a reservation never fails for want of it, so the writes are about one
 *   per reserving process and round, not one per waiting process and window, and the rate holds
 *   however late DynamoDB answers: slots are taken before they start. Those whose start passed
 *   while the answer was on its way are spent from the answer on, one interval apart, so a slow
 *   answer delays its sends rather than releasing them in a burst.
 * - An idle limiter's `nextAt` lies behind now: the first send after it starts the slots again
 *   from now (a second, conditional write), so idle time is never made up in a burst (a slot up
 *   to one interval old is still used).
 * - A reservation starts at most RESERVE_AHEAD_MS ahead (see there).
 * The item expires through the table's TTL attribute a day after its last reservation.
 */
export class DynamoRateLimiter implements RateLimiter {
  private readonly table = tablesConfig().herald;
  private readonly key: { pk: string; sk: string };
  private readonly intervalMs: number;
  private readonly reservations = new GroupCommit<Ticket>(
    (waiting) => this.reserve(waiting),
    Number.MAX_SAFE_INTEGER,
  );

  constructor(name: string, perSecond: number) {
    if (!(perSecond > 0))
      throw new Error(`Rate limiter ${name}: the rate must be positive, not ${perSecond}`);
    this.key = { pk: `RATE#${name}`, sk: 'nextAt' };
    this.intervalMs = 1000 / perSecond;
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const ticket: Ticket = {};
    while (!(await this.reservations.submit(ticket))) await waitUntil(ticket.retryAt, signal);
    await waitUntil(ticket.slotAt, signal);
  }

  /**
   * Reserves consecutive slots for the waiting sends, from `nextAt` when it is current, from now
   * when the limiter was idle; none when the next free slot lies more than RESERVE_AHEAD_MS ahead.
   * Returns the tickets that got one.
   */
  private async reserve(waiting: Ticket[]): Promise<Ticket[]> {
    const now = Date.now();
    const span = waiting.length * this.intervalMs;
    const firstSlotAt = await this.extend(now, span);
    if ('retryAt' in firstSlotAt) {
      for (const ticket of waiting) ticket.retryAt = firstSlotAt.retryAt;
      return [];
    }
    // Slots whose start passed while the answer was on its way are spent from the answer on,
    // still one interval apart: a slow answer delays its sends rather than releasing them at once.
    const start = Math.max(firstSlotAt.at, Date.now());
    waiting.forEach((ticket, index) => {
      ticket.slotAt = start + index * this.intervalMs;
    });
    return waiting;
  }

  /**
   * Moves `nextAt` on by `span` when it is current; restarts it from now when it is missing or
   * behind. The first reserved slot's start, or when to ask again.
   */
  private async extend(now: number, span: number): Promise<{ at: number } | { retryAt: number }> {
    const earliest = now - this.intervalMs;
    const latest = now + RESERVE_AHEAD_MS;
    try {
      const { Attributes } = await dynamoDb.send(
        new UpdateCommand({
          TableName: this.table,
          Key: this.key,
          UpdateExpression: 'ADD nextAt :span SET expiresAt = :expires',
          ConditionExpression: 'nextAt BETWEEN :earliest AND :latest',
          ExpressionAttributeValues: {
            ':span': span,
            ':earliest': earliest,
            ':latest': latest,
            ':expires': expiresAt(now),
          },
          ReturnValues: 'UPDATED_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { at: Number(Attributes?.nextAt) - span };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const nextAt = Number(error.Item?.nextAt?.N ?? Number.NaN);
      if (nextAt > latest) return { retryAt: nextAt - RESERVE_AHEAD_MS };
      // Idle or new. Another process may restart it first: then ask again at once, after its slots.
      const restartedAt = Date.now();
      return (await this.restart(restartedAt, span)) ? { at: restartedAt } : { retryAt: restartedAt };
    }
  }

  /** Starts the slots afresh at `now` unless another process has since; whether it did. */
  private async restart(now: number, span: number): Promise<boolean> {
    try {
      await dynamoDb.send(
        new UpdateCommand({
          TableName: this.table,
          Key: this.key,
          UpdateExpression: 'SET nextAt = :nextAt, expiresAt = :expires',
          ConditionExpression: 'attribute_not_exists(nextAt) OR nextAt < :earliest',
          ExpressionAttributeValues: {
            ':nextAt': now + span,
            ':earliest': now - this.intervalMs,
            ':expires': expiresAt(now),
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

/** Resolves at `time` (at once if it has passed); rejects if `signal` aborts first. */
async function waitUntil(time: number | undefined, signal: AbortSignal | undefined): Promise<void> {
  const waitMs = (time ?? 0) - Date.now();
  if (waitMs > 0) await sleep(waitMs, undefined, { signal });
}

/** The TTL of the limiter's item: a day after its last reservation. */
const expiresAt = (now: number) => Math.ceil(now / 1000) + IDLE_ITEM_LIFETIME_S;
