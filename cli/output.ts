/**
 * What the operational commands print: with `--json` the API's answer as it came (one JSON
 * document on stdout, for scripts and jq), otherwise a few readable lines.
 */

import type { BroadcastSummary } from '#shared/api/broadcasts.ts';
import { displayTime } from '#shared/domain/display-time.ts';
import { hasExerciseRecords } from '#shared/domain/exercise.ts';
import type { ChannelCounts } from '#shared/domain/model.ts';
import { displayZone } from './settings.ts';

export interface OutputOptions {
  json?: boolean;
}

/** Prints `value` as JSON with `--json`, else the human `text` (lines joined). */
export function print(options: OutputOptions, value: unknown, text: () => string | string[]): void {
  if (options.json) {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    return;
  }
  const lines = text();
  process.stdout.write(`${Array.isArray(lines) ? lines.join('\n') : lines}\n`);
}

/** A time for people: 24-hour, in the ops room's zone, which it names ("2026-11-23 14:05 UTC"). */
export function time(iso: string | undefined | null, options: { dateless?: boolean } = {}): string {
  return displayTime(iso, displayZone(), options);
}

/** A plain table: columns padded to their widest cell. */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((cell, index) =>
    Math.max(cell.length, ...rows.map((row) => (row[index] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, index) => cell.padEnd(widths[index] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** How many of a channel's recipients are settled one way or another (an exercise's record too: never sent). */
export function settled(counts: ChannelCounts): number {
  return counts.sent + counts.delivered + counts.failed + counts.optedOut + counts.exercise;
}

/** A broadcast's status and its counts per channel, as lines. */
export function broadcastLines(broadcast: BroadcastSummary): string[] {
  const cancelled = broadcast.status === 'cancelled';
  const exercise = hasExerciseRecords(broadcast);
  const rows = Object.entries(broadcast.counts).map(([channel, counts]) => [
    channel,
    String(counts.recipients),
    String(cancelled ? counts.notSent : counts.queued),
    String(counts.sent),
    String(counts.delivered),
    String(counts.failed),
    String(counts.optedOut),
    ...(exercise ? [String(counts.exercise)] : []),
    String(counts.attempts),
    String(counts.duplicatesSuspected),
  ]);
  const heads = ['channel', 'recipients', cancelled ? 'not sent' : 'queued', 'sent', 'delivered', 'failed'];
  return [
    `Broadcast ${broadcast.id}: ${broadcast.status} (${broadcast.kind}, template ${broadcast.templateId} v${broadcast.templateVersion})`,
    ...table(
      [...heads, 'opted out', ...(exercise ? ['exercise'] : []), 'attempts', 'duplicates suspected'],
      rows,
    ),
    ...(broadcast.estimatedCompletion
      ? [`Estimated completion: ${time(broadcast.estimatedCompletion)}`]
      : []),
    ...(broadcast.approvedBy ? [`Approved by ${broadcast.approvedBy} at ${time(broadcast.approvedAt)}`] : []),
    ...(broadcast.completedAt ? [`Completed at: ${time(broadcast.completedAt)}`] : []),
    ...(broadcast.cancelledAt ? [`Cancelled at: ${time(broadcast.cancelledAt)}`] : []),
  ];
}
