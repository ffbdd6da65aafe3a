/**
 * Fault injection for the sandboxes: probabilities of a 429, a 500, a 503 (a provider down behind
 * its load balancer), a held request that was not accepted (`timeout`) or one that was
 * (`lostReply`), plus a fixed latency. Draws come from a
 * seeded PRNG so a test or a benchmark that sets the same seed sees the same sequence of faults.
 *
 * Apart from the faults, a sandbox may have a latency range (`HERALD_SANDBOX_LATENCY`, set at
 * start, not cleared by `POST /__sandbox/faults`): each API request waits a time drawn uniformly
 * from it, on top of the faults' fixed `latencyMs`, as a real provider answers in 150–300 ms.
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
    status503: probability.optional(),
    timeout: probability.optional(),
    lostReply: probability.optional(),
    latencyMs: z.number().int().min(0).max(60_000).optional(),
    seed: z.number().int().optional(),
  })
  .refine(
    (settings) =>
      (settings.status429 ?? 0) +
        (settings.status500 ?? 0) +
        (settings.status503 ?? 0) +
        (settings.timeout ?? 0) +
        (settings.lostReply ?? 0) <=
      1,
    { message: 'status429 + status500 + status503 + timeout + lostReply must not exceed 1' },
  );

export type FaultSettings = z.infer<typeof faultSettingsSchema>;

/**
 * `timeout`: held unanswered, not accepted. `lostReply`: accepted (the provider acts on it), then
 * held unanswered as if the answer were lost on the way back.
 */
export type Fault = 'status429' | 'status500' | 'status503' | 'timeout' | 'lostReply';

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

/** Milliseconds, both ends included. */
export interface LatencyRange {
  minMs: number;
  maxMs: number;
}

export const SANDBOX_NAMES = ['twilio', 'x', 'facebook'] as const;
export type SandboxName = (typeof SANDBOX_NAMES)[number];

/** A latency range per sandbox; a sandbox left out answers at once. */
export type LatencyProfile = Partial<Record<SandboxName, LatencyRange>>;

const MAX_LATENCY_MS = 60_000;

/**
 * Parses `twilio=150-300,x=100-200,facebook=100-250` (milliseconds; `twilio=200` is a fixed
 * 200 ms). The empty string is no latency. Throws an Error saying what is wrong with which entry.
 */
export function parseLatencyProfile(text: string): LatencyProfile {
  const profile: LatencyProfile = {};
  for (const entry of text.split(',').map((part) => part.trim())) {
    if (entry === '') continue;
    const found = /^(?<name>[a-z]+)=(?<min>\d+)(?:-(?<max>\d+))?$/.exec(entry);
    if (!found?.groups) {
      throw new Error(`'${entry}' is not <sandbox>=<min>-<max> in milliseconds, e.g. twilio=150-300`);
    }
    const { name = '', min = '', max = min } = found.groups;
    if (!(SANDBOX_NAMES as readonly string[]).includes(name)) {
      throw new Error(`'${name}' is not a sandbox (${SANDBOX_NAMES.join(', ')})`);
    }
    const range = { minMs: Number(min), maxMs: Number(max) };
    if (range.minMs > range.maxMs) throw new Error(`'${entry}': the minimum is above the maximum`);
    if (range.maxMs > MAX_LATENCY_MS) throw new Error(`'${entry}': at most ${MAX_LATENCY_MS} ms`);
    if (profile[name as SandboxName]) throw new Error(`'${name}' is given twice`);
    profile[name as SandboxName] = range;
  }
  return profile;
}

/** Holds the active fault settings and decides, request by request, which fault (if any) applies. */
export class FaultInjector {
  #settings: FaultSettings = {};
  #random = mulberry32(DEFAULT_SEED);
  #latencyRange: LatencyRange | undefined;
  /** Its own sequence: a latency range must not shift the faults a seed reproduces. */
  #latencyRandom = mulberry32(DEFAULT_SEED);

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

  /** The sandbox's latency range; `undefined` answers without one. */
  setLatencyRange(range: LatencyRange | undefined): void {
    this.#latencyRange = range;
  }

  /** What this request waits before it is looked at: the faults' fixed latency plus a draw from the range. */
  nextDelayMs(): number {
    const range = this.#latencyRange;
    if (!range) return this.latencyMs;
    const drawn = range.minMs + Math.floor(this.#latencyRandom() * (range.maxMs - range.minMs + 1));
    return this.latencyMs + drawn;
  }

  /** One draw per request; the probabilities are consecutive bands of [0, 1). */
  next(): Fault | undefined {
    const { status429 = 0, status500 = 0, status503 = 0, timeout = 0, lostReply = 0 } = this.#settings;
    const bands: [Fault, number][] = [
      ['status429', status429],
      ['status500', status500],
      ['status503', status503],
      ['timeout', timeout],
      ['lostReply', lostReply],
    ];
    if (bands.every(([, probability]) => probability === 0)) return undefined;
    const draw = this.#random();
    let upTo = 0;
    for (const [fault, probability] of bands) {
      upTo += probability;
      if (draw < upTo) return fault;
    }
    return undefined;
  }
}
