import { DynamoAuditStore } from '#shared/adapters/dynamodb/audit-store.ts';
import { DynamoTemplateStore } from '#shared/adapters/dynamodb/template-store.ts';
import { versionRef } from '#shared/api/templates.ts';
import { VersionParams } from '#shared/api/version-params.ts';
import { apiHandler } from '#shared/http/api-handler.ts';
import { approveTemplate } from '#shared/use-cases/templates/review-template.ts';

const deps = { templates: new DynamoTemplateStore(), audit: new DynamoAuditStore() };

/** POST /templates/{id}/versions/{version}/approve: 200 with the version's new status. */
export const handler = apiHandler(async ({ caller, pathParameters }) => {
  const { id, version } = VersionParams.parse(pathParameters);
  return { status: 200, body: versionRef(await approveTemplate(id, version, caller.user, deps)) };
});
