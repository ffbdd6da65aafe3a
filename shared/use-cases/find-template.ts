import { ValidationError } from '#shared/domain/errors.ts';
import type { TemplateVersion } from '#shared/domain/model.ts';
import type { TemplateStore } from '#shared/ports/stores.ts';

/** The named version, or the latest approved one; a 422 on `templateId` when there is none. */
export async function findTemplate(
  templates: TemplateStore,
  templateId: string,
  version?: number,
): Promise<TemplateVersion> {
  const template =
    version === undefined
      ? await templates.latestApproved(templateId)
      : await templates.getVersion(templateId, version);
  if (!template) {
    const which = version === undefined ? 'has no approved version' : `has no version ${version}`;
    throw new ValidationError('The template cannot be used.', [
      {
        path: version === undefined ? 'templateId' : 'templateVersion',
        message: `Template '${templateId}' ${which}.`,
      },
    ]);
  }
  return template;
}
