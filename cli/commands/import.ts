import { createApiClient } from '#cli/api-client.ts';
import { CliError, EXIT } from '#cli/errors.ts';
import { fileSource, formatSummary, type UploadSource, uploadAll } from '#cli/ndjson-upload.ts';
import { apiSettings } from '#cli/settings.ts';
import { IMPORT_KINDS } from '#shared/domain/import-formats.ts';

export type ImportOptions = Partial<Record<(typeof IMPORT_KINDS)[number], string>>;

/**
 * `herald import --flights F --customers F --bookings F`: uploads each named file, flights
 * first so bookings name flights that exist. Returns the exit code: 1 when a line was rejected.
 */
export async function importCommand(options: ImportOptions): Promise<number> {
  const named = IMPORT_KINDS.flatMap((kind) => {
    const path = options[kind];
    return path ? [{ kind, path }] : [];
  });
  if (named.length === 0) throw new CliError('Name at least one file: --flights, --customers or --bookings.');
  const client = createApiClient(apiSettings());
  const sources: UploadSource[] = [];
  for (const { kind, path } of named) {
    try {
      sources.push(await fileSource(kind, path));
    } catch (error) {
      throw new CliError(`Cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const summaries = await uploadAll(client, sources);
  console.log(formatSummary(summaries));
  return summaries.some((summary) => summary.rejected > 0) ? EXIT.rejected : EXIT.ok;
}
