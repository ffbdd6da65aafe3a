import { LIST_PAGE_SIZE } from '#shared/domain/limits.ts';
import type { AudienceEstimate, Broadcast } from '#shared/domain/model.ts';
import type { BroadcastStore, IncidentStore, TemplateStore, TemplateSummary } from '#shared/ports/stores.ts';

export interface PendingBroadcast
  extends Pick<Broadcast, 'id' | 'incidentId' | 'kind' | 'templateId' | 'templateVersion' | 'channels'> {
  incidentTitle: string;
  /** Its incident is an exercise (exercise.ts): the comms lead sees it before approving. */
  exercise?: true;
  requestedBy: string;
  requestedAt: string;
  audience?: AudienceEstimate;
}

/** GET /approvals: what waits for a comms lead, oldest first. */
export interface PendingApprovals {
  broadcasts: PendingBroadcast[];
  /** Templates whose latest version is submitted, by id. */
  templates: TemplateSummary[];
}

export interface PendingApprovalsDeps {
  broadcasts: BroadcastStore;
  incidents: IncidentStore;
  templates: TemplateStore;
}

async function submittedTemplates(templates: TemplateStore): Promise<TemplateSummary[]> {
  const submitted: TemplateSummary[] = [];
  let next: string | undefined;
  do {
    const page = await templates.list({ limit: LIST_PAGE_SIZE.max, ...(next ? { next } : {}) });
    submitted.push(...page.items.filter((template) => template.status === 'submitted'));
    next = page.next;
  } while (next !== undefined);
  return submitted;
}

/**
 * The comms leads' queue, what the console's Approvals page and its badge show.
 * 1. broadcasts waiting for approval (a sparse index), each with its incident's title (one read
 *    per incident), whether that is an exercise, and the audience counted when it was requested;
 * 2. templates whose latest version is submitted (the template list, a page at a time).
 */
export async function listPendingApprovals(deps: PendingApprovalsDeps): Promise<PendingApprovals> {
  const waiting: Broadcast[] = [];
  for await (const broadcast of deps.broadcasts.listPendingApproval()) waiting.push(broadcast);
  const incidentIds = [...new Set(waiting.map((broadcast) => broadcast.incidentId))];
  const incidents = new Map(
    await Promise.all(incidentIds.map(async (id) => [id, await deps.incidents.get(id)] as const)),
  );
  return {
    broadcasts: waiting.map((broadcast) => ({
      id: broadcast.id,
      incidentId: broadcast.incidentId,
      incidentTitle: incidents.get(broadcast.incidentId)?.title ?? broadcast.incidentId,
      ...(incidents.get(broadcast.incidentId)?.exercise ? { exercise: true as const } : {}),
      kind: broadcast.kind,
      templateId: broadcast.templateId,
      templateVersion: broadcast.templateVersion,
      channels: broadcast.channels,
      requestedBy: broadcast.createdBy,
      requestedAt: broadcast.createdAt,
      ...(broadcast.audienceEstimate ? { audience: broadcast.audienceEstimate } : {}),
    })),
    templates: await submittedTemplates(deps.templates),
  };
}
