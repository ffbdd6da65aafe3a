import { z } from 'zod';
import { DynamoBroadcastStore } from '#shared/adapters/dynamodb/broadcast-store.ts';
import { DynamoDeliveryLedger } from '#shared/adapters/dynamodb/delivery-ledger.ts';
import { DynamoIncidentStore, DynamoTimelineStore } from '#shared/adapters/dynamodb/incident-store.ts';
import { DynamoTemplateStore } from '#shared/adapters/dynamodb/template-store.ts';
import { smsRecipientDirectory } from '#shared/adapters/exercise-recipients.ts';
import { smsSendersConfig } from '#shared/config.ts';
import {
  EVIDENCE_CONTENT_TYPES,
  EVIDENCE_FORMATS,
  type EvidenceFormat,
  formatEvidence,
} from '#shared/domain/evidence-format.ts';
import { EVIDENCE_PAGE_SIZE } from '#shared/domain/limits.ts';
import { chooseSender } from '#shared/domain/sms-senders.ts';
import { apiHandler } from '#shared/http/api-handler.ts';
import { pageQuery } from '#shared/http/page-query.ts';
import { exportEvidencePage } from '#shared/use-cases/export-evidence.ts';

const deps = {
  incidents: new DynamoIncidentStore(),
  broadcasts: new DynamoBroadcastStore(),
  templates: new DynamoTemplateStore(),
  ledger: new DynamoDeliveryLedger(),
  customers: smsRecipientDirectory(),
  timeline: new DynamoTimelineStore(),
  replyToFor: replyToOfPool(),
};

/** The sender pool's reply number or link per phone, so an SMS that named one is shown as sent. */
function replyToOfPool() {
  const pool = smsSendersConfig();
  return pool && ((phone: string) => chooseSender(pool, phone).replyTo);
}

const EvidenceQuery = pageQuery(EVIDENCE_PAGE_SIZE).extend({ format: z.enum(EVIDENCE_FORMATS).optional() });

/** `?format=` wins; otherwise the Accept header may ask for NDJSON; CSV by default. */
function formatOf(format: EvidenceFormat | undefined, accept: string | undefined): EvidenceFormat {
  return format ?? (accept?.includes('application/x-ndjson') ? 'ndjson' : 'csv');
}

/**
 * GET /incidents/{id}/evidence?format=csv|ndjson&limit=&next=: a page of the incident's evidence
 * (export-evidence.ts), in the format asked for. The next page is named in a `Link: <…>;
 * rel="next"` header (RFC 8288), absent on the last; only the first page carries the CSV header,
 * so the pages concatenate into one file.
 */
export const handler = apiHandler(async ({ pathParameters, query, headers }) => {
  const incidentId = pathParameters.id ?? '';
  const { format: asked, ...page } = EvidenceQuery.parse(query);
  const format = formatOf(asked, headers.accept);
  const { items, next } = await exportEvidencePage(incidentId, page, deps);
  const following = new URLSearchParams({ format, ...(query.limit ? { limit: String(page.limit) } : {}) });
  if (next) following.set('next', next);
  const fileName = `evidence-${incidentId.replace(/[^\w.-]/g, '_')}.${format}`;
  return {
    status: 200,
    text: formatEvidence(items, format, page.next === undefined),
    headers: {
      'content-type': EVIDENCE_CONTENT_TYPES[format],
      'content-disposition': `attachment; filename="${fileName}"`,
      ...(next
        ? { link: `</incidents/${encodeURIComponent(incidentId)}/evidence?${following}>; rel="next"` }
        : {}),
    },
  };
});
