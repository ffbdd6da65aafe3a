/**
 * The evidence export's two formats, a page of rows at a time, so pages concatenate into one
 * file: CSV (RFC 4180, for a spreadsheet) and NDJSON (one JSON object a line, for a program).
 */
import { EVIDENCE_COLUMNS, type EvidenceRow } from './evidence.ts';

export const EVIDENCE_FORMATS = ['csv', 'ndjson'] as const;
export type EvidenceFormat = (typeof EVIDENCE_FORMATS)[number];

export const EVIDENCE_CONTENT_TYPES: Record<EvidenceFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

/**
 * A cell a spreadsheet would run as a formula (CSV injection, OWASP): `=`, `+`, `-`, `@`, and a
 * tab or carriage return, which some spreadsheets skip before looking for one.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A cell that must be quoted: a separator, a quote or a line break inside it. */
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV cell: a leading `'` disarms a formula (the cell then shows as text; the exact text is
 * in NDJSON and its SHA-256 in both), and quotes go around a cell holding `,`, `"` or a line
 * break, with `"` doubled.
 */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Lines end in CRLF, as RFC 4180 says (and spreadsheets expect). */
const CSV_LINE_END = '\r\n';

/**
 * A page of rows in `format`; `withHeader` puts the CSV header first (the first page), so the
 * pages of an export concatenate into one valid file.
 */
export function formatEvidence(rows: EvidenceRow[], format: EvidenceFormat, withHeader: boolean): string {
  if (format === 'ndjson')
    return rows
      .map(
        (row) =>
          `${JSON.stringify(Object.fromEntries(EVIDENCE_COLUMNS.map((column) => [column, row[column]])))}\n`,
      )
      .join('');
  const lines = rows.map((row) => EVIDENCE_COLUMNS.map((column) => csvCell(row[column])).join(','));
  if (withHeader) lines.unshift(EVIDENCE_COLUMNS.join(','));
  return lines.map((line) => line + CSV_LINE_END).join('');
}
