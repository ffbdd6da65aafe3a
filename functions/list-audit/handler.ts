import { z } from 'zod';
import { DynamoAuditStore } from '#shared/adapters/dynamodb/audit-store.ts';
import { AUDIT_PAGE_SIZE } from '#shared/domain/limits.ts';
import { apiHandler } from '#shared/http/api-handler.ts';
import { pageQuery } from '#shared/http/page-query.ts';

const audit = new DynamoAuditStore();

const AuditQuery = pageQuery(AUDIT_PAGE_SIZE).extend({ from: z.iso.datetime({ offset: true }).optional() });

/** GET /audit?limit=&from=&next=: newest first; read-only, no route changes an entry. */
export const handler = apiHandler(async ({ query }) => ({
  status: 200,
  body: await audit.list(AuditQuery.parse(query)),
}));
