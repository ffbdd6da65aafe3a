import { randomUUID } from 'node:crypto';
import { broadcastNotice } from '#shared/domain/approval-notice.ts';
import { ConflictError, NotFoundError, ValidationError } from '#shared/domain/errors.ts';
import {
  IDEMPOTENCY_KEY_TTL_MS,
  IdempotencyKeyReusedError,
  idempotencyKeyErrors,
  requestHash,
} from '#shared/domain/idempotency.ts';
import type { Broadcast, BroadcastKind, Channel } from '#shared/domain/model.ts';
import type { OperatorText } from '#shared/domain/operator-text.ts';
import { publicTextErrors } from '#shared/domain/public-text.ts';
import { freeTextVariables, variableValueErrors } from '#shared/domain/template-rules.ts';
import { missingWordingErrors } from '#shared/domain/wording.ts';
import type { ApproverNotices } from '#shared/ports/notifications.ts';
import type {
  AuditStore,
  BroadcastStore,
  Fanout,
  IdempotencyClaim,
  IncidentStore,
  KeyedBroadcast,
  TemplateStore,
} from '#shared/ports/stores.ts';
import { type EstimateDeps, estimateAudience } from './estimate-audience.ts';
import { findTemplate } from './find-template.ts';
import { notifyApprovers } from './notify-approvers.ts';
import { recordAudit } from './record-audit.ts';

export interface CreateBroadcastInput extends OperatorText {
  templateId: string;
  templateVersion?: number;
  channels: Channel[];
  kind: BroadcastKind;
}

export interface CreateBroadcastDeps extends EstimateDeps {
  incidents: IncidentStore;
  templates: TemplateStore;
  broadcasts: BroadcastStore;
  fanout: Fanout;
  audit: AuditStore;
  approvers: ApproverNotices;
}

/** The key as stored: this caller's, on this incident, with the request's hash, for 24 hours. */
function claimOf(
  key: string,
  incidentId: string,
  input: CreateBroadcastInput,
  user: string,
): IdempotencyClaim {
  return {
    user,
    incidentId,
    key,
    requestHash: requestHash(input),
    expiresAt: new Date(Date.now() + IDEMPOTENCY_KEY_TTL_MS),
  };
}

/** What a live key answers: the broadcast it made, for the same request only. */
function replay(earlier: KeyedBroadcast, claim: IdempotencyClaim): Broadcast {
  if (earlier.requestHash !== claim.requestHash) throw new IdempotencyKeyReusedError();
  return earlier.broadcast;
}

/**
 * Accepts a broadcast for an incident and hands it to the planner.
 * 1. an Idempotency-Key (printable ASCII, 422 otherwise) is the caller's, on this incident, for
 *    24 hours: while it is live, the same request answers the broadcast it made, checked before
 *    anything else (a retry after the incident was resolved, or after a new template version,
 *    still gets its broadcast), and another request is refused (422);
 * 2. the incident must exist and be open;
 * 3. the template version must exist and be approved (the latest approved one unless named),
 *    with a wording for the kind (a resolution never sends the disruption text: 422 on `kind`);
 *    a translated variable needs its English value; no variable, in any language, may be longer
 *    than the template was approved for (422), and nothing unfit for the public channels may
 *    reach them: the unreviewed incident title, or a value holding a
 *    phone number, an e-mail address or a booking reference (422, see publicTextErrors);
 * 4. stores the broadcast with its key in one write (of requests racing with one key, one
 *    stores and the others answer as in 1): queued, or pending_approval when a variable carries
 *    free text (any name outside the template's allowedVariables), with its audience counted
 *    first (estimateAudience: the approver sees whom it would reach); records `broadcast.created`;
 * 5. publishes the planning message for a queued broadcast; audience resolution happens off the
 *    request path. A pending one is published by approveBroadcast, and the comms leads are told
 *    it waits (notifyApprovers).
 */
export async function createBroadcast(
  incidentId: string,
  input: CreateBroadcastInput,
  createdBy: string,
  deps: CreateBroadcastDeps,
  idempotencyKey?: string,
): Promise<Broadcast> {
  const badKey = idempotencyKey === undefined ? [] : idempotencyKeyErrors(idempotencyKey);
  if (badKey.length > 0) throw new ValidationError('The Idempotency-Key is not valid.', badKey);
  const claim =
    idempotencyKey === undefined ? undefined : claimOf(idempotencyKey, incidentId, input, createdBy);
  const earlier = claim && (await deps.broadcasts.findByIdempotencyKey(claim));
  const broadcast =
    earlier && claim ? replay(earlier, claim) : await storeNew(incidentId, input, createdBy, deps, claim);
  // Publishing again for a replayed key is harmless: planning is idempotent per broadcast.
  if (broadcast.status === 'queued') await deps.fanout.publish('planner', { broadcastId: broadcast.id });
  return broadcast;
}

/** Steps 2 to 4 of createBroadcast. */
async function storeNew(
  incidentId: string,
  input: CreateBroadcastInput,
  createdBy: string,
  deps: CreateBroadcastDeps,
  claim: IdempotencyClaim | undefined,
): Promise<Broadcast> {
  const incident = await deps.incidents.get(incidentId);
  if (!incident) throw new NotFoundError('Incident', incidentId);
  if (incident.status !== 'open') throw new ConflictError(`Incident '${incidentId}' is resolved.`);

  const template = await findTemplate(deps.templates, input.templateId, input.templateVersion);
  if (template.status !== 'approved') {
    throw new ValidationError('The template cannot be broadcast.', [
      {
        path: 'templateVersion',
        message: `Version ${template.version} of '${template.id}' is ${template.status}, not approved.`,
      },
    ]);
  }
  const noWording = missingWordingErrors(template, input.kind);
  if (noWording.length > 0)
    throw new ValidationError('The template has no wording for this kind.', noWording);
  const badValues = variableValueErrors(template, input);
  if (badValues.length > 0) throw new ValidationError('A variable does not fit the template.', badValues);
  const unfitForPublic = publicTextErrors(template, input);
  if (unfitForPublic.length > 0)
    throw new ValidationError(
      'The broadcast would put text on a public channel that may not go there.',
      unfitForPublic,
    );
  const freeText = freeTextVariables(template, input.variables);
  const channels = [...new Set(input.channels)];
  const pending = freeText.length > 0;
  const audienceEstimate = pending ? await estimateAudience(incident, channels, deps) : undefined;

  const id = randomUUID();
  const outcome = await deps.broadcasts.create(
    {
      id,
      incidentId,
      templateId: template.id,
      templateVersion: template.version,
      variables: input.variables,
      ...(input.variablesByLanguage ? { variablesByLanguage: input.variablesByLanguage } : {}),
      channels,
      kind: input.kind,
      status: pending ? 'pending_approval' : 'queued',
      createdAt: new Date().toISOString(),
      createdBy,
      counts: {},
      ...(audienceEstimate ? { audienceEstimate } : {}),
    },
    claim,
  );
  if (!outcome.created) return claim ? replay(outcome, claim) : outcome.broadcast;
  await recordAudit(deps.audit, {
    actor: createdBy,
    action: 'broadcast.created',
    resource: { type: 'broadcast', id },
    details: {
      incidentId,
      templateId: template.id,
      templateVersion: template.version,
      status: outcome.broadcast.status,
      ...(pending ? { freeTextVariables: freeText } : {}),
    },
  });
  if (pending)
    await notifyApprovers(
      deps.approvers,
      broadcastNotice(outcome.broadcast, incident, deps.approvers.consoleUrl),
    );
  return outcome.broadcast;
}
