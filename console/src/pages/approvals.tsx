import type { IncidentSummary, TemplateSummary } from '#shared/ports/stores.ts';
import { apiList, type Me, seg } from '../api.ts';
import { Loading, localTime, Panel, ProblemBox, useLoad } from '../ui.tsx';
import type { BroadcastView } from './broadcast.tsx';

interface Pending {
  incident: IncidentSummary;
  broadcast: BroadcastView;
}

/** Broadcasts waiting for approval, looked up in the open incidents (a handful at any time). */
async function pendingBroadcasts(): Promise<Pending[]> {
  const { items } = await apiList<IncidentSummary>('/incidents');
  const open = items.filter((incident) => incident.status === 'open');
  const lists = await Promise.all(
    open.map(async (incident) => {
      const { items: broadcasts } = await apiList<BroadcastView>(`/incidents/${seg(incident.id)}/broadcasts`);
      return broadcasts
        .filter((broadcast) => broadcast.status === 'pending_approval')
        .map((broadcast) => ({ incident, broadcast }));
    }),
  );
  return lists.flat();
}

/** A comms lead's queue: template versions submitted for review and broadcasts waiting for approval. */
export function ApprovalsPage({ me }: { me: Me }) {
  const templates = useLoad(() => apiList<TemplateSummary>('/templates'), []);
  const broadcasts = useLoad(pendingBroadcasts, []);
  const submitted = (templates.data?.items ?? []).filter((template) => template.status === 'submitted');
  return (
    <>
      <h1>Approvals</h1>
      <Panel title="Template versions to review" id="review-heading">
        <ProblemBox error={templates.error} />
        {templates.loading && !templates.data && <Loading what="templates" />}
        {templates.data && submitted.length === 0 && <p>Nothing to review.</p>}
        <ul>
          {submitted.map((template) => (
            <li key={template.id}>
              <a href={`#/templates/${template.id}`}>
                {template.name} v{template.latestVersion}
              </a>{' '}
              <span class="muted">submitted, updated {localTime(template.updatedAt)}</span>
            </li>
          ))}
        </ul>
      </Panel>
      <Panel title="Broadcasts waiting for approval" id="pending-heading">
        <ProblemBox error={broadcasts.error} />
        {broadcasts.loading && !broadcasts.data && <Loading what="broadcasts" />}
        {broadcasts.data && broadcasts.data.length === 0 && <p>No broadcast is waiting.</p>}
        <ul>
          {(broadcasts.data ?? []).map(({ incident, broadcast }) => (
            <li key={broadcast.id}>
              <a href={`#/broadcasts/${broadcast.id}`}>
                {incident.title}: {broadcast.kind} with {broadcast.templateId} v{broadcast.templateVersion}
              </a>{' '}
              <span class="muted">
                requested by {broadcast.createdBy}
                {broadcast.createdBy === me.user ? ' (you: another comms lead must approve)' : ''}
              </span>
            </li>
          ))}
        </ul>
      </Panel>
    </>
  );
}
