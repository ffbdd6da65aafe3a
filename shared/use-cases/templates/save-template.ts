import type { CreateTemplateInput, UpdateTemplateInput } from '#shared/api/template-body.ts';
import { ConflictError, NotFoundError, ValidationError } from '#shared/domain/errors.ts';
import type { TemplateVersion, TemplateWording } from '#shared/domain/model.ts';
import { type DraftContent, missingFields } from '#shared/domain/template-rules.ts';
import type { AuditStore, TemplateStore } from '#shared/ports/stores.ts';
import { recordAudit } from '../record-audit.ts';

export interface SaveTemplateDeps {
  templates: TemplateStore;
  audit: AuditStore;
}

type Wordings = Pick<TemplateVersion, 'content' | 'updateContent' | 'resolutionContent'>;

/** A wording left out carries over from the earlier version; null removes it. */
const carried = (given: DraftContent | null | undefined, before: DraftContent | undefined) =>
  given === null ? undefined : (given ?? before);

/**
 * The version's wordings: the input's, with an update's or a resolution's left out carried over
 * from the earlier version; a 422 naming each missing field unless every wording has every field
 * in every language.
 */
function completeWordings(input: UpdateTemplateInput, earlier?: TemplateVersion): Wordings {
  const updateContent = carried(input.updateContent, earlier?.updateContent);
  const resolutionContent = carried(input.resolutionContent, earlier?.resolutionContent);
  const missing = missingFields({ content: input.content, updateContent, resolutionContent });
  if (missing.length > 0) throw new ValidationError('The template is incomplete.', missing);
  // Complete now: every field of every language is there.
  const complete = (wording: DraftContent) => wording as TemplateWording;
  return {
    content: complete(input.content),
    ...(updateContent ? { updateContent: complete(updateContent) } : {}),
    ...(resolutionContent ? { resolutionContent: complete(resolutionContent) } : {}),
  };
}

function settingsOf(input: UpdateTemplateInput, earlier?: TemplateVersion) {
  return {
    allowedVariables: input.allowedVariables ?? earlier?.allowedVariables ?? [],
    freeTextVariables: input.freeTextVariables ?? earlier?.freeTextVariables ?? [],
    maxVariableLength: input.maxVariableLength ?? earlier?.maxVariableLength,
    allowThread: input.allowThread ?? earlier?.allowThread ?? false,
    smsSegmentBudget: input.smsSegmentBudget ?? earlier?.smsSegmentBudget,
  };
}

/**
 * Creates a template as its first draft version.
 * 1. every wording given (the first message's, an update's, a resolution's) must have every field
 *    in every language (the other rules wait for submit, so a draft may be work in progress);
 * 2. stores version 1 as a draft by the caller; 409 when the id is taken;
 * 3. records `template.created` in the audit log.
 */
export async function createTemplate(
  input: CreateTemplateInput,
  author: string,
  deps: SaveTemplateDeps,
): Promise<TemplateVersion> {
  const template: TemplateVersion = {
    id: input.id,
    version: 1,
    name: input.name,
    status: 'draft',
    ...completeWordings(input),
    ...settingsOf(input),
    createdBy: author,
    createdAt: new Date().toISOString(),
  };
  if (!(await deps.templates.createVersion(template))) {
    throw new ConflictError(
      `Template '${input.id}' exists already; PUT /templates/${input.id} adds a version.`,
    );
  }
  await recordAudit(deps.audit, {
    actor: author,
    action: 'template.created',
    resource: { type: 'template', id: template.id, version: 1 },
    details: { name: template.name },
  });
  return template;
}

/**
 * Adds a new draft version: an edit never changes a version that exists.
 * 1. loads the latest version (404 without one); settings and the update's and resolution's
 *    wordings left out carry over from it;
 * 2. every wording must have every field in every language;
 * 3. stores version latest + 1 as a draft by the caller; 409 if a concurrent edit took that number;
 * 4. records `template.updated`.
 */
export async function updateTemplate(
  id: string,
  input: UpdateTemplateInput,
  author: string,
  deps: SaveTemplateDeps,
): Promise<TemplateVersion> {
  const [latest] = await deps.templates.versions(id);
  if (!latest) throw new NotFoundError('Template', id);
  const template: TemplateVersion = {
    id,
    version: latest.version + 1,
    name: input.name ?? latest.name,
    status: 'draft',
    ...completeWordings(input, latest),
    ...settingsOf(input, latest),
    createdBy: author,
    createdAt: new Date().toISOString(),
  };
  if (!(await deps.templates.createVersion(template))) {
    throw new ConflictError(
      `Version ${template.version} of '${id}' was just created by someone else; retry.`,
    );
  }
  await recordAudit(deps.audit, {
    actor: author,
    action: 'template.updated',
    resource: { type: 'template', id, version: template.version },
    details: { previousVersion: latest.version },
  });
  return template;
}
