import { DynamoAuditStore } from '#shared/adapters/dynamodb/audit-store.ts';
import { DynamoTemplateStore } from '#shared/adapters/dynamodb/template-store.ts';
import { RejectTemplateBody } from '#shared/api/template-body.ts';
import { versionRef } from '#shared/api/templates.ts';
import { VersionParams } from '#shared/api/version-params.ts';
import { apiHandler } from '#shared/http/api-handler.ts';
import { rejectTemplate } from '#shared/use-cases/templates/review-template.ts';

const deps = { templates: new DynamoTemplateStore(), audit: new DynamoAuditStore() };

/** POST /templates/{id}/versions/{version}/reject `{ reason }`: 200 with the version now rejected. */
export const handler = apiHandler(async ({ body, caller, pathParameters }) => {
  const { id, version } = VersionParams.parse(pathParameters);
  const { reason } = RejectTemplateBody.parse(body ?? {});
  const rejected = await rejectTemplate(id, version, reason, caller.user, deps);
  return { status: 200, body: { ...versionRef(rejected), reason } };
});
