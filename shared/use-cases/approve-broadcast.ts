import { ConflictError, NotFoundError, ValidationError } from '#shared/domain/errors.ts';
import type { Broadcast } from '#shared/domain/model.ts';
import { publicTextErrors } from '#shared/domain/public-text.ts';
import { SelfApprovalError } from '#shared/domain/template-rules.ts';
import { missingWordingErrors } from '#shared/domain/wording.ts';
import type { AuditStore, BroadcastStore, Fanout, TemplateStore } from '#shared/ports/stores.ts';
import { findTemplate } from './find-template.ts';
import { recordAudit } from './record-audit.ts';

export interface ApproveBroadcastDeps {
  broadcasts: BroadcastStore;
  templates: TemplateStore;
  fanout: Fanout;
  audit: AuditStore;
}

/**
 * Releases a broadcast that waited for approval because it carries free text.
 * 1. the broadcast must exist (404) and be pending_approval (409);
 * 2. four-eyes: whoever requested it may not approve it (409);
 * 3. nothing unfit for the public channels (publicTextErrors) may go out, whoever approves it,
 *    nor a resolution whose version has no resolution wording: a broadcast held since before a
 *    rule was added is refused here (422) and stays held;
 * 4. moves it to queued with who approved it and when, and publishes the planning message, as
 *    createBroadcast does for one that needs no approval; records `broadcast.approved`.
 * Of two approvals racing, the conditional move to queued lets one through; the other gets 409.
 */
export async function approveBroadcast(
  broadcastId: string,
  approver: string,
  deps: ApproveBroadcastDeps,
): Promise<Broadcast> {
  const broadcast = await deps.broadcasts.get(broadcastId);
  if (!broadcast) throw new NotFoundError('Broadcast', broadcastId);
  if (broadcast.status !== 'pending_approval') {
    throw new ConflictError(
      `Broadcast '${broadcastId}' is ${broadcast.status}; only a pending_approval one can be approved.`,
    );
  }
  if (broadcast.createdBy === approver) {
    throw new SelfApprovalError(
      `${approver} requested broadcast '${broadcastId}' and so cannot approve it: a comms lead who did not request it must (four-eyes).`,
    );
  }
  const template = await findTemplate(deps.templates, broadcast.templateId, broadcast.templateVersion);
  // A resolution held since before kinds had wordings, of a version without resolution wording.
  const noWording = missingWordingErrors(template, broadcast.kind);
  if (noWording.length > 0)
    throw new ValidationError('The template has no wording for this kind.', noWording);
  const unfitForPublic = publicTextErrors(template, broadcast);
  if (unfitForPublic.length > 0)
    throw new ValidationError(
      'The broadcast would put text on a public channel that may not go there.',
      unfitForPublic,
    );
  // Conditional, so of two approvals racing only one sends the broadcast to the planner.
  const approval = { approvedBy: approver, approvedAt: new Date().toISOString() };
  if (
    !(await deps.broadcasts.setStatus(broadcastId, 'queued', { from: ['pending_approval'], ...approval }))
  ) {
    throw new ConflictError(`Broadcast '${broadcastId}' was approved or cancelled meanwhile.`);
  }
  await deps.fanout.publish('planner', { broadcastId });
  await recordAudit(deps.audit, {
    actor: approver,
    action: 'broadcast.approved',
    resource: { type: 'broadcast', id: broadcastId },
    details: {
      requestedBy: broadcast.createdBy,
      templateId: broadcast.templateId,
      templateVersion: broadcast.templateVersion,
      variables: broadcast.variables,
    },
  });
  return { ...broadcast, ...approval, status: 'queued' };
}
