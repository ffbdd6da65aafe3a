import type { BusMessage, BusTarget } from '#shared/domain/bus-messages.ts';
import type { Fanout } from '#shared/ports/stores.ts';

/**
 * Messages for one target published as they come, one request in flight at a time: the first
 * goes out alone at once, later ones in the batches that piled up while a request was out
 * (`Fanout.publishMany`, ten to an SNS PublishBatch), so the first recipients are not kept
 * waiting for a batch to fill, and a long run costs a tenth of the requests.
 */
export class PublishQueue<T extends BusTarget> {
  private waiting: BusMessage<T>[] = [];
  private sending: Promise<void> | undefined;
  private failure: { error: unknown } | undefined;

  constructor(
    private readonly fanout: Fanout,
    private readonly target: T,
    /** Messages waiting past which `add` waits for the request out: memory stays bounded. */
    private readonly maxWaiting = 10,
  ) {}

  /** Queues a message; throws if an earlier request failed. */
  async add(message: BusMessage<T>): Promise<void> {
    this.throwIfFailed();
    this.waiting.push(message);
    this.sending ??= this.sendWaiting();
    if (this.waiting.length >= this.maxWaiting) await this.sending;
    this.throwIfFailed();
  }

  /** Resolves once everything queued is published; throws if anything failed to be. */
  async drain(): Promise<void> {
    await this.sending;
    this.throwIfFailed();
  }

  private async sendWaiting(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const messages = this.waiting;
        this.waiting = [];
        await this.fanout.publishMany(this.target, messages);
      }
    } catch (error) {
      this.failure = { error };
    } finally {
      this.sending = undefined;
    }
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
