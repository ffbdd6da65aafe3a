import { templateNotice } from '#shared/domain/approval-notice.ts';
import { ConflictError, NotFoundError, ValidationError } from '#shared/domain/errors.ts';
import type { TemplateVersion } from '#shared/domain/model.ts';
import { SelfApprovalError, templateErrors } from '#shared/domain/template-rules.ts';
import type { ApproverNotices } from '#shared/ports/notifications.ts';
import type { AuditStore, TemplateStore } from '#shared/ports/stores.ts';
import { notifyApprovers } from '../notify-approvers.ts';
import { recordAudit } from '../record-audit.ts';

export interface ReviewTemplateDeps {
  templates: TemplateStore;
  audit: AuditStore;
}

async function versionIn(
  deps: ReviewTemplateDeps,
  id: string,
  version: number,
  expected: TemplateVersion['status'],
  action: string,
): Promise<TemplateVersion> {
  const template = await deps.templates.getVersion(id, version);
  if (!template) throw new NotFoundError('Template version', `${id} v${version}`);
  if (template.status !== expected) {
    throw new ConflictError(
      `Version ${version} of '${id}' is ${template.status}; only a ${expected} version can be ${action}.`,
    );
  }
  return template;
}

function assertValid(template: TemplateVersion): void {
  const errors = templateErrors(template);
  if (errors.length > 0) {
    throw new ValidationError(
      `Version ${template.version} of '${template.id}' breaks ${errors.length} template rule(s).`,
      errors,
    );
  }
}

async function move(
  deps: ReviewTemplateDeps,
  template: TemplateVersion,
  changes: Parameters<TemplateStore['transition']>[3],
): Promise<TemplateVersion> {
  if (!(await deps.templates.transition(template.id, template.version, template.status, changes))) {
    throw new ConflictError(`Version ${template.version} of '${template.id}' changed meanwhile; reload it.`);
  }
  return { ...template, ...changes };
}

/**
 * Submits a draft for approval.
 * 1. the version must exist (404) and be a draft (409);
 * 2. every template rule must pass: 422 with each offending field path;
 * 3. marks it submitted by the caller; records `template.submitted`;
 * 4. tells the comms leads it waits for review (notifyApprovers).
 */
export async function submitTemplate(
  id: string,
  version: number,
  actor: string,
  deps: ReviewTemplateDeps & { approvers: ApproverNotices },
): Promise<TemplateVersion> {
  const template = await versionIn(deps, id, version, 'draft', 'submitted');
  assertValid(template);
  const submitted = await move(deps, template, {
    status: 'submitted',
    submittedBy: actor,
    submittedAt: new Date().toISOString(),
  });
  await recordAudit(deps.audit, {
    actor,
    action: 'template.submitted',
    resource: { type: 'template', id, version },
  });
  await notifyApprovers(deps.approvers, templateNotice(submitted, deps.approvers.consoleUrl));
  return submitted;
}

/**
 * Approves a submitted version, after which broadcasts may use it.
 * 1. the version must exist (404) and be submitted (409);
 * 2. four-eyes: its author may not approve it (409);
 * 3. the rules run again, in case they tightened since the submit (422);
 * 4. marks it approved by the caller; records `template.approved`.
 */
export async function approveTemplate(
  id: string,
  version: number,
  actor: string,
  deps: ReviewTemplateDeps,
): Promise<TemplateVersion> {
  const template = await versionIn(deps, id, version, 'submitted', 'approved');
  if (template.createdBy === actor) {
    throw new SelfApprovalError(
      `${actor} wrote version ${version} of '${id}' and so cannot approve it: another comms lead must (four-eyes).`,
    );
  }
  assertValid(template);
  const approved = await move(deps, template, {
    status: 'approved',
    approvedBy: actor,
    approvedAt: new Date().toISOString(),
  });
  await recordAudit(deps.audit, {
    actor,
    action: 'template.approved',
    resource: { type: 'template', id, version },
    details: { author: template.createdBy },
  });
  return approved;
}

/**
 * Rejects a submitted version with a reason; the author edits and submits a new version.
 * 1. the version must exist (404) and be submitted (409); its author may reject it (a withdrawal);
 * 2. marks it rejected with the reason; records `template.rejected`.
 */
export async function rejectTemplate(
  id: string,
  version: number,
  reason: string,
  actor: string,
  deps: ReviewTemplateDeps,
): Promise<TemplateVersion> {
  const template = await versionIn(deps, id, version, 'submitted', 'rejected');
  const rejected = await move(deps, template, {
    status: 'rejected',
    rejectedBy: actor,
    rejectedAt: new Date().toISOString(),
    rejectionReason: reason,
  });
  await recordAudit(deps.audit, {
    actor,
    action: 'template.rejected',
    resource: { type: 'template', id, version },
    details: { reason },
  });
  return rejected;
}
