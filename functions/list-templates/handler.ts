import { DynamoTemplateStore } from '#shared/adapters/dynamodb/template-store.ts';
import { LIST_PAGE_SIZE } from '#shared/domain/limits.ts';
import { apiHandler } from '#shared/http/api-handler.ts';
import { pageQuery } from '#shared/http/page-query.ts';

const templates = new DynamoTemplateStore();
const TemplatesQuery = pageQuery(LIST_PAGE_SIZE);

/** GET /templates?limit=&next=: each template with its latest version, that version's status and the approved one, by id. */
export const handler = apiHandler(async ({ query }) => ({
  status: 200,
  body: await templates.list(TemplatesQuery.parse(query)),
}));
