import { z } from 'zod';
import { DynamoAuditStore } from '#shared/adapters/dynamodb/audit-store.ts';
import { apiHandler } from '#shared/http/api-handler.ts';

const audit = new DynamoAuditStore();

const AuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  from: z.iso.datetime({ offset: true }).optional(),
  before: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z#[\w-]+$/, 'Pass the `next` value of the previous page.')
    .optional(),
});

/** GET /audit?limit=&from=&before=: newest first; read-only, no route changes an entry. */
export const handler = apiHandler(async ({ query }) => ({
  status: 200,
  body: await audit.list(AuditQuery.parse(query)),
}));
