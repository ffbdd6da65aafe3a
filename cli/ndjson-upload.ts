/**
 * The chunked NDJSON uploader behind `herald import` and `herald seed`: lines stream in from
 * a file or a generator, go to `POST /imports/{kind}` 500 at a time, and a progress bar per
 * source follows them. Nothing holds more than one chunk, so a file of a million lines is fine.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { MultiBar } from 'cli-progress';
import type { ImportResult } from '#shared/api/imports.ts';
import { type ImportKind, MAX_LINE_LENGTH } from '#shared/domain/import-formats.ts';
import type { ApiClient } from './api-client.ts';

/** Lines per request; the API takes up to 1,000. */
export const CHUNK_LINES = 500;
/** Bytes per request, whatever the line count: well under API Gateway's and Lambda's payload limits. */
const CHUNK_BYTES = 1_000_000;

export interface SourceLine {
  text: string;
  /** How far this line moves the progress bar, in the source's unit (bytes of a file, records). */
  progress: number;
}

export interface UploadSource {
  /** Shown on the bar and before each rejected line ("bookings.ndjson:17: …"). */
  name: string;
  kind: ImportKind;
  /** The bar's total, in the unit of `SourceLine.progress`. */
  total: number;
  lines: AsyncIterable<SourceLine>;
}

export interface UploadSummary {
  name: string;
  lines: number;
  accepted: number;
  rejected: number;
  seconds: number;
}

/** The lines of a file with the bytes each one took, read as a stream. */
export async function fileSource(kind: ImportKind, path: string): Promise<UploadSource> {
  const { size } = await stat(path);
  async function* lines(): AsyncIterable<SourceLine> {
    const input = createReadStream(path);
    const reader = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
    let first = true;
    for await (const line of reader) {
      const text = first ? line.replace(/^\uFEFF/, '') : line;
      first = false;
      yield { text, progress: Buffer.byteLength(line) + 1 };
    }
  }
  return { name: path, kind, total: size, lines: lines() };
}

/** The records of a generator as NDJSON lines, one progress unit each. */
export function recordSource(
  name: string,
  kind: ImportKind,
  total: number,
  records: Iterable<unknown>,
): UploadSource {
  async function* lines(): AsyncIterable<SourceLine> {
    for (const record of records) yield { text: JSON.stringify(record), progress: 1 };
  }
  return { name, kind, total, lines: lines() };
}

function formatRate(lines: number, seconds: number): string {
  return Math.round(lines / Math.max(seconds, 0.001)).toLocaleString('en-US');
}

interface ProgressBar {
  update(value: number, payload: { lines: string; rate: string }): void;
}

/**
 * Where bars and diagnostics go: bars only when stderr is a terminal (a log file gets the
 * summary instead), diagnostics always, printed above the bars so the two never mix.
 */
class Progress {
  private readonly bars = process.stderr.isTTY
    ? new MultiBar({
        stream: process.stderr,
        format: '{name} |{bar}| {percentage}% | {lines} lines | {rate} lines/s',
        hideCursor: true,
        barsize: 30,
      })
    : undefined;

  bar(name: string, total: number): ProgressBar {
    return this.bars?.create(Math.max(total, 1), 0, { name, lines: '0', rate: '0' }) ?? { update() {} };
  }

  /** Prints a diagnostic line on stderr. */
  log(text: string): void {
    if (this.bars) this.bars.log(`${text}\n`);
    else process.stderr.write(`${text}\n`);
  }

  stop(): void {
    this.bars?.stop();
  }
}

async function uploadOne(
  client: ApiClient,
  source: UploadSource,
  progress: Progress,
  summaries: UploadSummary[],
): Promise<void> {
  const bar = progress.bar(source.name, source.total);
  const started = performance.now();
  const summary: UploadSummary = { name: source.name, lines: 0, accepted: 0, rejected: 0, seconds: 0 };
  summaries.push(summary);
  let done = 0;
  let chunk: string[] = [];
  let chunkBytes = 0;
  let chunkProgress = 0;
  let firstLine = 1;

  const reject = (line: number, message: string) => {
    summary.rejected++;
    progress.log(`${source.name}:${line}: ${message}`);
  };
  const flush = async () => {
    if (chunk.length === 0) return;
    const result = await client.post<ImportResult>(`/imports/${source.kind}`, { firstLine, lines: chunk });
    summary.accepted += result.accepted;
    for (const rejected of result.rejected) reject(rejected.line, rejected.message);
    firstLine += chunk.length;
    done += chunkProgress;
    summary.seconds = (performance.now() - started) / 1000;
    bar.update(done, {
      lines: summary.lines.toLocaleString('en-US'),
      rate: formatRate(summary.lines, summary.seconds),
    });
    chunk = [];
    chunkBytes = 0;
    chunkProgress = 0;
  };

  for await (const { text, progress: step } of source.lines) {
    summary.lines++;
    chunkProgress += step;
    if (text.length > MAX_LINE_LENGTH) {
      // Rejected here so one huge line cannot make the whole request too large; sent blank to keep numbering.
      reject(summary.lines, `Line longer than ${MAX_LINE_LENGTH} characters.`);
      chunk.push('');
    } else {
      chunk.push(text);
      chunkBytes += text.length + 4;
    }
    if (chunk.length === CHUNK_LINES || chunkBytes >= CHUNK_BYTES) await flush();
  }
  await flush();
  summary.seconds = (performance.now() - started) / 1000;
  bar.update(source.total, {
    lines: summary.lines.toLocaleString('en-US'),
    rate: formatRate(summary.lines, summary.seconds),
  });
}

/**
 * Uploads each source in turn (flights before the bookings that name them), prints every
 * rejected line as `name:line: message` on stderr and returns a summary per source. An API or
 * network error stops the upload and is thrown; lines already sent stay imported.
 */
export async function uploadAll(client: ApiClient, sources: UploadSource[]): Promise<UploadSummary[]> {
  const progress = new Progress();
  const summaries: UploadSummary[] = [];
  try {
    for (const source of sources) await uploadOne(client, source, progress, summaries);
  } finally {
    progress.stop();
  }
  return summaries;
}

/** The summary the commands print on stdout. */
export function formatSummary(summaries: UploadSummary[]): string {
  const number = (value: number) => value.toLocaleString('en-US');
  const rows = summaries.map(
    (summary) =>
      `${summary.name}: ${number(summary.lines)} lines, ${number(summary.accepted)} accepted, ${number(summary.rejected)} rejected in ${summary.seconds.toFixed(1)} s (${formatRate(summary.lines, summary.seconds)} lines/s)`,
  );
  const lines = summaries.reduce((sum, summary) => sum + summary.lines, 0);
  const accepted = summaries.reduce((sum, summary) => sum + summary.accepted, 0);
  const rejected = summaries.reduce((sum, summary) => sum + summary.rejected, 0);
  const seconds = summaries.reduce((sum, summary) => sum + summary.seconds, 0);
  rows.push(
    `Total: ${number(lines)} lines, ${number(accepted)} accepted, ${number(rejected)} rejected in ${seconds.toFixed(1)} s (${formatRate(lines, seconds)} lines/s)`,
  );
  return rows.join('\n');
}
