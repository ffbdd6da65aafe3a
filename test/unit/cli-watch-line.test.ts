import { createRequire } from 'node:module';
import { Format } from 'cli-progress';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { channelPayload, finishOf, WATCH_BAR_FORMAT } from '#cli/commands/broadcast.ts';
import type { BroadcastSummary } from '#shared/api/broadcasts.ts';
import type { ChannelCounts } from '#shared/domain/model.ts';

const counts: ChannelCounts = {
  recipients: 100,
  queued: 37,
  sent: 50,
  delivered: 10,
  failed: 3,
  optedOut: 0,
  exercise: 0,
  notSent: 0,
  attempts: 63,
  duplicatesSuspected: 0,
};

/** cli-progress's own option defaults (padding, bar characters), as a bar it makes would have them. */
const barOptions = createRequire(import.meta.url)('cli-progress/lib/options.js') as {
  parse: (options: object) => object;
  assignDerivedOptions: (options: object) => object;
};

/** The line cli-progress draws for one channel, its own ETA (in seconds) being 19. */
function renderedLine(broadcast: Pick<BroadcastSummary, 'estimatedCompletion'>): string {
  return Format.Formatter(
    barOptions.assignDerivedOptions(
      barOptions.parse({ format: WATCH_BAR_FORMAT, formatBar: () => '##########' }),
    ) as never,
    { progress: 0.63, eta: 19, value: 63, total: 100, startTime: Date.now(), stopTime: null, maxWidth: 200 },
    channelPayload('sms', counts, finishOf(broadcast as BroadcastSummary)),
  );
}

describe("herald broadcast --watch, one channel's line", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("shows the queued count and Herald's estimated completion, not cli-progress's ETA seconds", () => {
    vi.stubEnv('HERALD_TIME_ZONE', '');
    expect(renderedLine({ estimatedCompletion: '2026-11-23T14:05:30.000Z' })).toBe(
      'sms      |##########| 63/100 | sent 50 delivered 10 failed 3 queued 37 | ETA 14:05 UTC',
    );
  });

  it('ends at the queued count when there is no estimate', () => {
    expect(renderedLine({})).toMatch(/queued 37$/);
  });

  it('gives the ETA in the configured zone, naming its offset', () => {
    vi.stubEnv('HERALD_TIME_ZONE', 'Europe/Helsinki');
    expect(renderedLine({ estimatedCompletion: '2026-11-23T14:05:30.000Z' })).toMatch(
      /queued 37 \| ETA 16:05 UTC\+02:00$/,
    );
  });
});
