import type { ImportResult, RejectedLine } from '#shared/api/imports.ts';
import {
  type ImportKind,
  type ImportRecords,
  importKey,
  parseImportLine,
} from '#shared/domain/import-formats.ts';
import type { Flight } from '#shared/domain/model.ts';
import type { BookingWriter, CustomerWriter, FlightCatalog } from '#shared/ports/stores.ts';

export interface ImportRecordsDeps {
  flights: Pick<FlightCatalog, 'putMany'>;
  customers: CustomerWriter;
  bookings: BookingWriter;
}

export interface ImportChunk {
  /** The file line number of `lines[0]`, so rejections name the line in the file. */
  firstLine: number;
  lines: string[];
}

/**
 * Imports one chunk of an NDJSON file of `kind`.
 * 1. parses and validates each line; a bad line is rejected with its file line number and
 *    message and nothing of it is written; blank lines are skipped;
 * 2. keeps the last of several lines with the same key (flight number and date, customer id,
 *    booking reference), as importing them one after another would;
 * 3. upserts the rest: flights and customers by key, bookings replaced whole (their dropped
 *    passenger-segment items deleted), in BatchWrites whose unprocessed items are retried;
 * 4. returns how many lines were accepted and which were rejected.
 * A write failure rejects the whole chunk; every write is an idempotent upsert, so sending
 * the chunk again is safe.
 */
export async function importRecords<K extends ImportKind>(
  kind: K,
  chunk: ImportChunk,
  deps: ImportRecordsDeps,
): Promise<ImportResult> {
  const rejected: RejectedLine[] = [];
  const latest = new Map<string, ImportRecords[K]>();
  let accepted = 0;
  chunk.lines.forEach((text, index) => {
    if (text.trim() === '') return;
    const parsed = parseImportLine(kind, text);
    if (!parsed.ok) {
      rejected.push({ line: chunk.firstLine + index, message: parsed.message });
      return;
    }
    const key = importKey(kind, parsed.record);
    // Delete first so the map's order is the order of the last occurrences.
    latest.delete(key);
    latest.set(key, parsed.record);
    accepted++;
  });

  const records = [...latest.values()];
  if (records.length > 0) {
    switch (kind) {
      case 'flights':
        await deps.flights.putMany(records as Flight[]);
        break;
      case 'customers':
        await deps.customers.putMany(records as ImportRecords['customers'][]);
        break;
      case 'bookings':
        await deps.bookings.replaceBookings(records as ImportRecords['bookings'][]);
        break;
    }
  }
  return { accepted, rejected };
}
