import { setTimeout as sleep } from 'node:timers/promises';
import { MultiBar, type SingleBar } from 'cli-progress';
import type { ApiClient } from '#cli/api-client.ts';
import { EXIT } from '#cli/errors.ts';
import { broadcastLines, type OutputOptions, print, settled, time } from '#cli/output.ts';
import { reviewLines } from '#cli/review.ts';
import type { BroadcastAccepted, BroadcastDetail, BroadcastSummary } from '#shared/api/broadcasts.ts';
import type { BroadcastReview } from '#shared/domain/broadcast-review.ts';
import type { BroadcastStatus, ChannelCounts } from '#shared/domain/model.ts';
import { type BroadcastRequestOptions, broadcastBody } from './preview.ts';

/** A broadcast in one of these will not change again. */
const ENDED: ReadonlySet<BroadcastStatus> = new Set(['completed', 'partial', 'cancelled', 'failed']);
const POLL_MS = 1_000;

export interface BroadcastSendOptions extends BroadcastRequestOptions, OutputOptions {
  watch?: boolean;
  idempotencyKey?: string;
}

const path = (id: string) => `/broadcasts/${encodeURIComponent(id)}`;

/**
 * One channel's bar. cli-progress fills its own tokens (`{eta}`, `{value}`, `{total}`, `{duration}`…)
 * over the payload's, so the payload's names must not be theirs: the estimated completion is
 * `{finish}` (an `{eta}` here printed cli-progress's seconds, "queued 3719" for 37 queued).
 */
export const WATCH_BAR_FORMAT =
  '{channel} |{bar}| {value}/{total} | sent {sent} delivered {delivered} failed {failed} queued {queued}{finish}';

/** The payload of one channel's bar; `finish` is the estimated completion, or empty. */
export function channelPayload(channel: string, counts: ChannelCounts, finish: string) {
  return {
    channel: channel.padEnd(8),
    sent: counts.sent,
    delivered: counts.delivered,
    failed: counts.failed,
    queued: counts.queued,
    finish,
  };
}

/** " | ETA 14:05 UTC" when the API estimates the completion, else nothing. */
export function finishOf(broadcast: BroadcastSummary): string {
  return broadcast.estimatedCompletion
    ? ` | ETA ${time(broadcast.estimatedCompletion, { dateless: true })}`
    : '';
}

/** How a watch shows progress: a bar per channel on a terminal, a line per change otherwise (logs, CI). */
class WatchProgress {
  private readonly bars = process.stderr.isTTY
    ? new MultiBar({
        stream: process.stderr,
        format: WATCH_BAR_FORMAT,
        hideCursor: true,
        barsize: 30,
      })
    : undefined;
  private readonly channelBars = new Map<string, SingleBar>();
  private lastLine = '';

  update(broadcast: BroadcastSummary): void {
    const finish = finishOf(broadcast);
    if (!this.bars) {
      const line = `${broadcast.status}: ${Object.entries(broadcast.counts)
        .map(
          ([channel, counts]) =>
            `${channel} ${settled(counts)}/${counts.recipients} (failed ${counts.failed})`,
        )
        .join(', ')}${finish}`;
      if (line !== this.lastLine) process.stderr.write(`${line}\n`);
      this.lastLine = line;
      return;
    }
    for (const [channel, counts] of Object.entries(broadcast.counts)) {
      const payload = channelPayload(channel, counts, finish);
      const total = Math.max(counts.recipients, 1);
      const bar = this.channelBars.get(channel);
      if (!bar) {
        this.channelBars.set(channel, this.bars.create(total, settled(counts), payload));
        continue;
      }
      bar.setTotal(total);
      bar.update(settled(counts), payload);
    }
  }

  note(text: string): void {
    if (this.bars) this.bars.log(`${text}\n`);
    else process.stderr.write(`${text}\n`);
  }

  stop(): void {
    this.bars?.stop();
  }
}

/**
 * Polls a broadcast every second until it ends and its counts are final (a cancel lets the sends
 * in flight finish), drawing its progress on stderr; returns it as it ended. A broadcast waiting
 * for approval is waited for.
 */
export async function watchBroadcast(client: ApiClient, id: string): Promise<BroadcastDetail> {
  const progress = new WatchProgress();
  let toldPending = false;
  try {
    for (;;) {
      const broadcast = await client.get<BroadcastDetail>(path(id));
      if (broadcast.status === 'pending_approval' && !toldPending) {
        progress.note(`Broadcast ${id} waits for a comms lead's approval (herald broadcast approve ${id}).`);
        toldPending = true;
      }
      progress.update(broadcast);
      if (ENDED.has(broadcast.status) && broadcast.countsFinal) return broadcast;
      await sleep(POLL_MS);
    }
  } finally {
    progress.stop();
  }
}

/** 0 when the broadcast completed, 1 when it ended failed, partial or cancelled. */
function exitCodeOf(broadcast: BroadcastSummary): number {
  return broadcast.status === 'completed' ? EXIT.ok : EXIT.notCompleted;
}

/**
 * `herald broadcast <incidentId> --template T [--watch]`: sends; with --watch follows it to the
 * end and returns the exit code its outcome deserves.
 */
export async function broadcastSend(
  client: ApiClient,
  incidentId: string,
  options: BroadcastSendOptions,
): Promise<number> {
  const created = await client.post<BroadcastAccepted>(
    `/incidents/${encodeURIComponent(incidentId)}/broadcasts`,
    broadcastBody(options),
    options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {},
  );
  if (!options.watch) {
    print(options, created, () =>
      created.status === 'pending_approval'
        ? `Broadcast ${created.id} waits for a comms lead's approval (it carries free text).`
        : `Broadcast ${created.id} ${created.status}. Follow it: herald broadcast status ${created.id}`,
    );
    return EXIT.ok;
  }
  const ended = await watchBroadcast(client, created.id);
  print(options, ended, () => broadcastLines(ended));
  return exitCodeOf(ended);
}

/** `herald broadcast status <id> [--watch]`. */
export async function broadcastStatus(
  client: ApiClient,
  id: string,
  options: OutputOptions & { watch?: boolean },
): Promise<number> {
  const broadcast = options.watch
    ? await watchBroadcast(client, id)
    : await client.get<BroadcastSummary>(path(id));
  // Held for approval: nothing is counted yet, so what it says and whom it reaches are the news.
  if (broadcast.status === 'pending_approval') {
    const review = await client.get<BroadcastReview>(`${path(id)}/review`);
    print(options, { ...broadcast, review }, () => reviewLines(review));
    return EXIT.ok;
  }
  print(options, broadcast, () => broadcastLines(broadcast));
  return options.watch ? exitCodeOf(broadcast) : EXIT.ok;
}

/** `herald broadcast cancel <id>`. */
export async function broadcastCancel(client: ApiClient, id: string, options: OutputOptions): Promise<void> {
  const broadcast = await client.post<BroadcastSummary>(`${path(id)}/cancel`);
  print(options, broadcast, () => `Broadcast ${broadcast.id} ${broadcast.status}.`);
}

/** `herald broadcast approve <id>` (comms lead). */
export async function broadcastApprove(client: ApiClient, id: string, options: OutputOptions): Promise<void> {
  const broadcast = await client.post<BroadcastAccepted>(`${path(id)}/approve`);
  print(options, broadcast, () => `Broadcast ${broadcast.id} approved: ${broadcast.status}.`);
}
