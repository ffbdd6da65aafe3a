import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError, ValidationError } from '#shared/domain/errors.ts';
import type { Broadcast, BroadcastKind, Channel } from '#shared/domain/model.ts';
import type { BroadcastStore, Fanout, IncidentStore, TemplateStore } from '#shared/ports/stores.ts';
import { findTemplate } from './find-template.ts';

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
}

/**
 * Accepts a broadcast for an incident and hands it to the planner.
 * 1. the incident must exist and be open;
 * 2. the template version must exist and be approved (the latest approved one unless named);
 * 3. stores the broadcast as queued, once per idempotency key;
 * 4. publishes the planning message; audience resolution happens off the request path.
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

  const broadcast = await deps.broadcasts.create(
    {
      id: randomUUID(),
      incidentId,
      templateId: template.id,
      templateVersion: template.version,
      variables: input.variables,
      channels: [...new Set(input.channels)],
      kind: input.kind,
      status: 'queued',
      createdAt: new Date().toISOString(),
      createdBy,
      counts: {},
    },
    idempotencyKey,
  );
  // Publishing again for a replayed key is harmless: planning is idempotent per broadcast.
  await deps.fanout.publish('planner', { broadcastId: broadcast.id });
  return broadcast;
}
