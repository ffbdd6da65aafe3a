/**
 * What a use case knows of the Lambda invocation running it: who it is (the owner of the leases
 * it takes) and how long it has. Every wait and every provider call fits inside that time, so
 * nothing of an invocation runs on after it ended.
 */
export interface Invocation {
  /** The Lambda request id. */
  id: string;
  /** Aborted when the invocation must stop (a little before its timeout). */
  signal: AbortSignal;
  /** Milliseconds left until then. */
  remainingMs(): number;
  /** The queue will not deliver this message again if it fails now: its last receive before the DLQ. */
  lastChance: boolean;
  /**
   * Receives the queue gives one message before its dead-letter queue (its maxReceiveCount): a
   * record is given up on a last receive only once it has had as many claims of its own.
   */
  maxReceives: number;
}
