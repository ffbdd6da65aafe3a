import { vi } from 'vitest';
import { metrics } from '#shared/metrics.ts';

/**
 * Captures what is written to stdout and stderr (Powertools' Logger and Metrics write there, one
 * JSON document a line; warnings and errors to stderr) and gives back the JSON lines in the order
 * written; undo with vi.restoreAllMocks. Metrics added before the capture are dropped: Metrics is
 * one instance per process, as in Lambda, and use-case tests add to it without a handler to flush
 * it, so the next flush would otherwise also write what earlier tests (or files) counted.
 */
export function captureJsonLines(): () => Record<string, unknown>[] {
  metrics.clearMetrics();
  const written: string[] = [];
  for (const stream of [process.stdout, process.stderr])
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    });
  return () =>
    written
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The EMF documents among the lines: each metric's value by name, with the line's dimensions. */
export function emfMetrics(lines: Record<string, unknown>[]) {
  return lines
    .filter((line) => typeof line._aws === 'object')
    .map((line) => {
      const [directive] = (
        line._aws as {
          CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[];
        }
      ).CloudWatchMetrics;
      return {
        namespace: directive?.Namespace,
        dimensions: Object.fromEntries((directive?.Dimensions[0] ?? []).map((name) => [name, line[name]])),
        values: Object.fromEntries((directive?.Metrics ?? []).map(({ Name }) => [Name, line[Name]])),
      };
    });
}
