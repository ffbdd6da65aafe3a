import { DynamoTemplateStore } from '#shared/adapters/dynamodb/template-store.ts';
import { apiHandler } from '#shared/http/api-handler.ts';

const templates = new DynamoTemplateStore();

/** GET /templates: each template with its latest version, that version's status and the approved one. */
export const handler = apiHandler(async () => ({ status: 200, body: { items: await templates.list() } }));
