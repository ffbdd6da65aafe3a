import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError, ValidationError } from '#shared/domain/errors.ts';
import type { Broadcast, BroadcastKind, Channel } from '#shared/domain/model.ts';
import { freeTextVariables, variableValueErrors } from '#shared/domain/template-rules.ts';
import type {
  AuditStore,
  BroadcastStore,
  Fanout,
  IncidentStore,
  TemplateStore,
} from '#shared/ports/stores.ts';
import { findTemplate } from './find-template.ts';
import { recordAudit } from './record-audit.ts';

export interface CreateBroadcastInput {
  templateId: string;
  templateVersion?: number;
  variables: Record<string, string>;
  channels: Channel[];
  kind: BroadcastKind;
}

export interface CreateBroadcastDeps {
  incidents: IncidentStore;
  templates: TemplateStore;
  broadcasts: BroadcastStore;
  fanout: Fanout;
  audit: AuditStore;
}

/**
 * Accepts a broadcast for an incident and hands it to the planner.
 * 1. the incident must exist and be open;
 * 2. the template version must exist and be approved (the latest approved one unless named);
 *    no variable may be longer than the template was approved for (422);
 * 3. stores the broadcast, once per idempotency key: queued, or pending_approval when a variable
 *    carries free text (any name outside the template's allowedVariables); records
 *    `broadcast.created`;
 * 4. publishes the planning message for a queued broadcast; audience resolution happens off the
 *    request path. A pending one is published by approveBroadcast.
 */
export async function createBroadcast(
  incidentId: string,
  input: CreateBroadcastInput,
  createdBy: string,
  deps: CreateBroadcastDeps,
  idempotencyKey?: string,
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
  const badValues = variableValueErrors(template, input.variables);
  if (badValues.length > 0) throw new ValidationError('A variable does not fit the template.', badValues);
  const freeText = freeTextVariables(template, input.variables);

  const id = randomUUID();
  const broadcast = await deps.broadcasts.create(
    {
      id,
      incidentId,
      templateId: template.id,
      templateVersion: template.version,
      variables: input.variables,
      channels: [...new Set(input.channels)],
      kind: input.kind,
      status: freeText.length > 0 ? 'pending_approval' : 'queued',
      createdAt: new Date().toISOString(),
      createdBy,
      counts: {},
    },
    idempotencyKey,
  );
  if (broadcast.id === id) {
    await recordAudit(deps.audit, {
      actor: createdBy,
      action: 'broadcast.created',
      resource: { type: 'broadcast', id },
      details: {
        incidentId,
        templateId: template.id,
        templateVersion: template.version,
        status: broadcast.status,
        ...(freeText.length > 0 ? { freeTextVariables: freeText } : {}),
      },
    });
  }
  // Publishing again for a replayed key is harmless: planning is idempotent per broadcast.
  if (broadcast.status === 'queued') await deps.fanout.publish('planner', { broadcastId: broadcast.id });
  return broadcast;
}
