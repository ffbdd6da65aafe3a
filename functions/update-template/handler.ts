import { DynamoAuditStore } from '#shared/adapters/dynamodb/audit-store.ts';
import { DynamoTemplateStore } from '#shared/adapters/dynamodb/template-store.ts';
import { UpdateTemplateBody } from '#shared/api/template-body.ts';
import { versionRef } from '#shared/api/templates.ts';
import { apiHandler } from '#shared/http/api-handler.ts';
import { updateTemplate } from '#shared/use-cases/templates/save-template.ts';

const deps = { templates: new DynamoTemplateStore(), audit: new DynamoAuditStore() };

/** PUT /templates/{id}: 201 with the new draft version; existing versions never change. */
export const handler = apiHandler(async ({ body, caller, pathParameters }) => {
  const template = await updateTemplate(
    pathParameters.id ?? '',
    UpdateTemplateBody.parse(body ?? {}),
    caller.user,
    deps,
  );
  return { status: 201, body: versionRef(template) };
});
