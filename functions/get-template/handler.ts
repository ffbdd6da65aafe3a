import { DynamoTemplateStore } from '#shared/adapters/dynamodb/template-store.ts';
import { NotFoundError } from '#shared/domain/errors.ts';
import type { TemplateDetail } from '#shared/domain/model.ts';
import { apiHandler } from '#shared/http/api-handler.ts';

const templates = new DynamoTemplateStore();

/** GET /templates/{id}: every version, newest first. */
export const handler = apiHandler(async ({ pathParameters }) => {
  const id = pathParameters.id ?? '';
  const versions = await templates.versions(id);
  const [latest] = versions;
  if (!latest) throw new NotFoundError('Template', id);
  const detail: TemplateDetail = {
    id,
    name: latest.name,
    latestVersion: latest.version,
    approvedVersion: versions.find((version) => version.status === 'approved')?.version,
    versions,
  };
  return { status: 200, body: detail };
});
