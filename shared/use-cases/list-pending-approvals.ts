import type { PendingApprovals } from '#shared/api/approvals.ts';
import { broadcastRequest } from '#shared/domain/broadcast-review.ts';
import { LIST_PAGE_SIZE } from '#shared/domain/limits.ts';
import type { Broadcast, TemplateSummary } from '#shared/domain/model.ts';
import type { BroadcastStore, IncidentStore, TemplateStore } from '#shared/ports/stores.ts';

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
    broadcasts: waiting.map((broadcast) => broadcastRequest(broadcast, incidents.get(broadcast.incidentId))),
    templates: await submittedTemplates(deps.templates),
  };
}
