import { once } from 'node:events';
import type { ApiClient } from '#cli/api-client.ts';
import { textPages } from '#shared/api/pages.ts';
import type { EvidenceFormat } from '#shared/domain/evidence-format.ts';

/**
 * `herald evidence <incidentId> [--format csv|ndjson]`: every page of the incident's evidence
 * export on stdout, one after the other as they arrive (the API gives the CSV header on the first
 * page only), so `> file.csv` holds one file and memory holds one page, however many rows.
 */
export async function evidenceCommand(
  client: ApiClient,
  incidentId: string,
  format: EvidenceFormat,
  out: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  const path = `/incidents/${encodeURIComponent(incidentId)}/evidence?format=${format}`;
  for await (const page of textPages(path, (next) => client.text(next))) {
    // Waits while the consumer (a slow pipe, a disk) catches up, rather than buffering pages.
    if (!out.write(page)) await once(out, 'drain');
  }
}
