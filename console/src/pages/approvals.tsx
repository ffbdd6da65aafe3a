import { useEffect, useState } from 'preact/hooks';
import type { PendingApprovals } from '#shared/api/approvals.ts';
import { api, type Me, seg } from '../api.ts';
import { ExerciseBadge } from '../exercise.tsx';
import { Loading, localTime, Panel, ProblemBox, useLoad } from '../ui.tsx';

/** "76 SMS recipients, 3 X posts…" as counted when the broadcast was requested. */
function audienceLine(audience: PendingApprovals['broadcasts'][number]['audience']): string {
  if (!audience) return '';
  const sms = audience.recipients.sms;
  return sms === undefined ? '' : ` · ${audience.complete ? '' : 'at least '}${sms} SMS recipients`;
}

/** A comms lead's queue (`GET /approvals`): template versions submitted for review and broadcasts waiting for approval. */
export function ApprovalsPage({ me }: { me: Me }) {
  const pending = useLoad(() => api<PendingApprovals>('GET', '/approvals'), []);
  const data = pending.data;
  return (
    <>
      <h1>Approvals</h1>
      <ProblemBox error={pending.error} />
      {!data && !pending.error && <Loading what="what waits for approval" />}
      {data && (
        <>
          <Panel title="Broadcasts waiting for approval" id="pending-heading">
            {data.broadcasts.length === 0 && <p>No broadcast is waiting.</p>}
            <ul class="approval-list">
              {data.broadcasts.map((broadcast) => (
                <li key={broadcast.id}>
                  {broadcast.exercise && (
                    <>
                      <ExerciseBadge />{' '}
                    </>
                  )}
                  <a href={`#/broadcasts/${seg(broadcast.id)}`}>
                    {broadcast.incidentTitle}: {broadcast.kind} with {broadcast.templateId} v
                    {broadcast.templateVersion}
                  </a>
                  <span class="muted">
                    {' '}
                    requested by {broadcast.requestedBy} at {localTime(broadcast.requestedAt)}
                    {audienceLine(broadcast.audience)}
                    {broadcast.requestedBy === me.user ? ' (yours: another comms lead must approve)' : ''}
                  </span>
                </li>
              ))}
            </ul>
          </Panel>
          <Panel title="Template versions to review" id="review-heading">
            {data.templates.length === 0 && <p>Nothing to review.</p>}
            <ul class="approval-list">
              {data.templates.map((template) => (
                <li key={template.id}>
                  <a href={`#/templates/${seg(template.id)}`}>
                    {template.name} v{template.latestVersion}
                  </a>
                  <span class="muted"> submitted, updated {localTime(template.updatedAt)}</span>
                </li>
              ))}
            </ul>
          </Panel>
        </>
      )}
    </>
  );
}

/**
 * How many items wait for a comms lead, asked again at every navigation (`route`), so the nav's
 * badge follows approvals made meanwhile; undefined until known, or when it cannot be read.
 */
export function usePendingCount(route: string, active: boolean): number | undefined {
  const [count, setCount] = useState<number | undefined>();
  useEffect(() => {
    if (!active) return;
    let live = true;
    api<PendingApprovals>('GET', '/approvals').then(
      (pending) => live && setCount(pending.broadcasts.length + pending.templates.length),
      () => live && setCount(undefined),
    );
    return () => {
      live = false;
    };
  }, [route, active]);
  return count;
}
