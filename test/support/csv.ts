/**
 * A strict RFC 4180 reader for the tests: quoted fields with doubled quotes and line breaks
 * inside, CRLF between records. Written apart from the exporter's writer, so a test reading an
 * export with it checks the file, not the writer against itself.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let index = 0;
  const endField = () => {
    record.push(field);
    field = '';
  };
  while (index < text.length) {
    if (text[index] === '"' && field === '') {
      // A quoted field: up to the quote that is not one of a doubled pair.
      let end = index + 1;
      for (;;) {
        end = text.indexOf('"', end);
        if (end < 0) throw new Error(`Unterminated quoted field at ${index}`);
        if (text[end + 1] !== '"') break;
        end += 2;
      }
      field = text.slice(index + 1, end).replaceAll('""', '"');
      index = end + 1;
      if (index < text.length && text[index] !== ',' && text.slice(index, index + 2) !== '\r\n')
        throw new Error(`Text after a closing quote at ${index}`);
      continue;
    }
    if (text[index] === ',') {
      endField();
      index++;
    } else if (text.slice(index, index + 2) === '\r\n') {
      endField();
      records.push(record);
      record = [];
      index += 2;
    } else {
      if (text[index] === '"' || text[index] === '\n' || text[index] === '\r')
        throw new Error(`A quote or line break in an unquoted field at ${index}`);
      field += text[index];
      index++;
    }
  }
  if (field !== '' || record.length > 0) throw new Error('The last record does not end in CRLF');
  return records;
}

/** The records after the header, as objects keyed by the header's names. */
export function csvObjects(text: string): Record<string, string>[] {
  const [header = [], ...rows] = parseCsv(text);
  return rows.map((row) => {
    if (row.length !== header.length)
      throw new Error(`A record of ${row.length} fields under ${header.length} columns`);
    return Object.fromEntries(header.map((name, column) => [name, row[column] ?? '']));
  });
}
