import { DynamoAuditStore } from '#shared/adapters/dynamodb/audit-store.ts';
import { DynamoTemplateStore } from '#shared/adapters/dynamodb/template-store.ts';
import { CreateTemplateBody } from '#shared/api/template-body.ts';
import { versionRef } from '#shared/api/templates.ts';
import { apiHandler } from '#shared/http/api-handler.ts';
import { createTemplate } from '#shared/use-cases/templates/save-template.ts';

const deps = { templates: new DynamoTemplateStore(), audit: new DynamoAuditStore() };

/** POST /templates: 201 with the first draft version. */
export const handler = apiHandler(async ({ body, caller }) => {
  const template = await createTemplate(CreateTemplateBody.parse(body ?? {}), caller.user, deps);
  return { status: 201, body: versionRef(template) };
});
