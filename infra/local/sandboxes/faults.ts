/**
 * Fault injection for the sandboxes: probabilities of a 429, a 500, a held request that was not
 * accepted (`timeout`) or one that was (`lostReply`), plus a fixed latency. Draws come from a
 * seeded PRNG so a test or a benchmark that sets the same seed sees the same sequence of faults.
 *
 * `timeout` and `lostReply` look the same to the client (no answer until its own timeout); they
 * differ at the provider: after `lostReply` the message exists (recorded, listed, its status
 * callback posted), the case a sender must reconcile before sending again.
 */
import { z } from 'zod';

const probability = z.number().min(0).max(1);

/** Body of `POST /__sandbox/faults`; `{}` clears every fault. */
export const faultSettingsSchema = z
  .strictObject({
    status429: probability.optional(),
    status500: probability.optional(),
    timeout: probability.optional(),
    lostReply: probability.optional(),
    latencyMs: z.number().int().min(0).max(60_000).optional(),
    seed: z.number().int().optional(),
  })
  .refine(
    (settings) =>
      (settings.status429 ?? 0) +
        (settings.status500 ?? 0) +
        (settings.timeout ?? 0) +
        (settings.lostReply ?? 0) <=
      1,
    { message: 'status429 + status500 + timeout + lostReply must not exceed 1' },
  );

export type FaultSettings = z.infer<typeof faultSettingsSchema>;

/**
 * `timeout`: held unanswered, not accepted. `lostReply`: accepted (the provider acts on it), then
 * held unanswered as if the answer were lost on the way back.
 */
export type Fault = 'status429' | 'status500' | 'timeout' | 'lostReply';

/** Without a seed the sequence is still fixed, so runs stay reproducible by default. */
const DEFAULT_SEED = 1;

/** mulberry32: tiny, fast, and good enough to spread faults evenly. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Holds the active fault settings and decides, request by request, which fault (if any) applies. */
export class FaultInjector {
  #settings: FaultSettings = {};
  #random = mulberry32(DEFAULT_SEED);

  /** Replaces the settings and restarts the PRNG from the seed. */
  configure(settings: FaultSettings): void {
    this.#settings = settings;
    this.#random = mulberry32(settings.seed ?? DEFAULT_SEED);
  }

  get settings(): FaultSettings {
    return this.#settings;
  }

  get latencyMs(): number {
    return this.#settings.latencyMs ?? 0;
  }

  /** One draw per request; the probabilities are consecutive bands of [0, 1). */
  next(): Fault | undefined {
    const { status429 = 0, status500 = 0, timeout = 0, lostReply = 0 } = this.#settings;
    if (status429 + status500 + timeout + lostReply === 0) return undefined;
    const draw = this.#random();
    if (draw < status429) return 'status429';
    if (draw < status429 + status500) return 'status500';
    if (draw < status429 + status500 + timeout) return 'timeout';
    if (draw < status429 + status500 + timeout + lostReply) return 'lostReply';
    return undefined;
  }
}
