import { describe, expect, it } from 'vitest';
import { EVIDENCE_COLUMNS, type EvidenceRow } from '#shared/domain/evidence.ts';
import { csvCell, formatEvidence } from '#shared/domain/evidence-format.ts';

function aRow(overrides: Partial<EvidenceRow> = {}): EvidenceRow {
  const row = Object.fromEntries(EVIDENCE_COLUMNS.map((column) => [column, ''])) as unknown as EvidenceRow;
  return { ...row, channel: 'sms', broadcastId: 'b1', text: 'Hello', ...overrides };
}

describe('CSV cells', () => {
  it('leaves a plain value as it is', () => {
    expect(csvCell('AY123')).toBe('AY123');
  });

  it('quotes a value holding a comma, a quote or a line break, doubling its quotes', () => {
    expect(csvCell('Hi Aino, your flight')).toBe('"Hi Aino, your flight"');
    expect(csvCell('the "new" time')).toBe('"the ""new"" time"');
    expect(csvCell('line one\nline two')).toBe('"line one\nline two"');
    expect(csvCell('line one\r\nline two')).toBe('"line one\r\nline two"');
  });

  it.each(['=HYPERLINK("http://evil")', '+35840123', '-1+1', '@SUM(A1)', '\tcmd', '\rcmd'])(
    'disarms a cell a spreadsheet would run as a formula (%j) with a leading apostrophe',
    (value) => {
      const cell = csvCell(value);
      const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replaceAll('""', '"') : cell;
      expect(unquoted).toBe(`'${value}`);
    },
  );

  it('disarms and quotes a formula holding a comma', () => {
    expect(csvCell('=1,2')).toBe(`"'=1,2"`);
  });

  it('leaves a formula character inside a value alone', () => {
    expect(csvCell('a=b+c-d@e')).toBe('a=b+c-d@e');
  });
});

describe('evidence pages', () => {
  it('starts the first CSV page with the header and ends every line in CRLF', () => {
    const csv = formatEvidence([aRow({ text: 'Hi, "Aino"\nsee you' })], 'csv', true);
    const [header, ...rest] = csv.split('\r\n');
    expect(header).toBe(EVIDENCE_COLUMNS.join(','));
    expect(rest.join('\r\n')).toContain('"Hi, ""Aino""\nsee you"');
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('leaves the header off a following CSV page, so pages concatenate into one file', () => {
    const first = formatEvidence([aRow({ broadcastId: 'b1' })], 'csv', true);
    const second = formatEvidence([aRow({ broadcastId: 'b2' })], 'csv', false);
    expect(second.startsWith(EVIDENCE_COLUMNS[0])).toBe(false);
    expect((first + second).split('\r\n').filter(Boolean)).toHaveLength(3);
  });

  it('gives a header alone for an incident with nothing sent', () => {
    expect(formatEvidence([], 'csv', true)).toBe(`${EVIDENCE_COLUMNS.join(',')}\r\n`);
  });

  it('writes NDJSON as one object a line with the columns in order and the text exact, formula or not', () => {
    const ndjson = formatEvidence(
      [aRow({ text: '=1+1, "quoted"\nnext' }), aRow({ text: 'two' })],
      'ndjson',
      true,
    );
    const lines = ndjson.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    const first = JSON.parse(lines[0] ?? '') as Record<string, string>;
    expect(Object.keys(first)).toEqual([...EVIDENCE_COLUMNS]);
    expect(first.text).toBe('=1+1, "quoted"\nnext');
  });
});
