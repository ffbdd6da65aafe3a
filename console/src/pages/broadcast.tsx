import { useState } from 'preact/hooks';
import type { BroadcastDetail, BroadcastSummary } from '#shared/api/broadcasts.ts';
import { hasExerciseRecords } from '#shared/domain/exercise.ts';
import type { BroadcastStatus, Channel, ChannelCounts } from '#shared/domain/model.ts';
import { api, type Me, seg } from '../api.ts';
import type { Abilities } from '../app.tsx';
import { CHANNEL_NAMES } from '../channel-names.ts';
import { ConfirmButton } from '../confirm-button.tsx';
import { IncidentCountdown } from '../deadline.tsx';
import { BroadcastExerciseNotice } from '../exercise.tsx';
import {
  Badge,
  ColumnHeads,
  Loading,
  localTime,
  Panel,
  ProblemBox,
  TableScroll,
  useInterval,
  useLoad,
} from '../ui.tsx';
import { BroadcastContent } from './broadcast-review.tsx';
import { FailedDeliveries } from './failed-deliveries.tsx';

export { CHANNEL_NAMES };

const ENDED: ReadonlySet<BroadcastStatus> = new Set(['completed', 'partial', 'cancelled', 'failed']);

const settled = (counts: ChannelCounts) =>
  counts.sent + counts.delivered + counts.failed + counts.optedOut + counts.exercise;

/** Approve (comms lead, not the requester) and cancel (operator) for one broadcast. */
function Actions({
  broadcast,
  me,
  can,
  onChange,
}: {
  broadcast: BroadcastSummary;
  me: Me;
  can: Abilities;
  onChange: () => void;
}) {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const act = async (action: 'approve' | 'cancel') => {
    setBusy(true);
    setError(undefined);
    try {
      await api('POST', `/broadcasts/${seg(broadcast.id)}/${action}`);
      onChange();
    } catch (problem) {
      setError(problem);
    } finally {
      setBusy(false);
    }
  };
  const canApprove = can.review && broadcast.status === 'pending_approval';
  const canCancel = can.operate && !ENDED.has(broadcast.status);
  return (
    <>
      {canApprove &&
        (broadcast.createdBy === me.user ? (
          <span class="muted">Waiting for another comms lead</span>
        ) : (
          <button type="button" disabled={busy} onClick={() => act('approve')}>
            Approve broadcast
          </button>
        ))}
      {canCancel && (
        <ConfirmButton
          label="Cancel broadcast"
          question="Cancel this broadcast?"
          consequence="Nothing more is sent; what was sent stays sent."
          confirmLabel="Cancel broadcast"
          keepLabel="Keep sending"
          danger
          busy={busy}
          onConfirm={() => act('cancel')}
        />
      )}
      <ProblemBox error={error} />
    </>
  );
}

/** An incident's broadcasts, newest first, with their totals. */
export function BroadcastTable({
  broadcasts,
  me,
  can,
  onChange,
}: {
  broadcasts: BroadcastSummary[];
  me: Me;
  can: Abilities;
  onChange: () => void;
}) {
  if (broadcasts.length === 0) return <p>No broadcasts yet.</p>;
  return (
    <TableScroll label="Broadcasts, newest first">
      <table>
        <caption class="visually-hidden">Broadcasts, newest first</caption>
        <ColumnHeads names={['Sent', 'Kind', 'Template', 'Status', 'SMS done', 'By', 'Actions']} />
        <tbody>
          {broadcasts.map((broadcast) => (
            <tr key={broadcast.id}>
              <td>
                <a href={`#/broadcasts/${broadcast.id}`}>{localTime(broadcast.createdAt)}</a>
              </td>
              <td>{broadcast.kind}</td>
              <td>
                {broadcast.templateId} v{broadcast.templateVersion}
              </td>
              <td>
                <Badge value={broadcast.status} />
              </td>
              <td>
                {broadcast.counts.sms
                  ? `${settled(broadcast.counts.sms)}/${broadcast.counts.sms.recipients}`
                  : '–'}
              </td>
              <td>{broadcast.createdBy}</td>
              <td class="actions">
                <Actions broadcast={broadcast} me={me} can={can} onChange={onChange} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** One channel's progress: a bar of settled recipients and the counts behind it. */
function ChannelProgress({
  channel,
  counts,
  cancelled,
  exercise,
}: {
  channel: Channel;
  counts: ChannelCounts;
  cancelled: boolean;
  /** The broadcast recorded recipients as an exercise's: the column that counts them. */
  exercise: boolean;
}) {
  const done = settled(counts);
  const labelId = `progress-${channel}`;
  return (
    <tr>
      <th scope="row" id={labelId}>
        {CHANNEL_NAMES[channel]}
      </th>
      <td>
        <div class="bar-cell">
          <progress aria-labelledby={labelId} max={Math.max(counts.recipients, 1)} value={done} />
          <span class="muted">
            {done}/{counts.recipients}
          </span>
        </div>
      </td>
      <td>{counts.sent}</td>
      <td>{counts.delivered}</td>
      <td class={counts.failed > 0 ? 'bad' : undefined}>{counts.failed}</td>
      <td>{counts.optedOut}</td>
      {exercise && <td>{counts.exercise}</td>}
      <td>{cancelled ? counts.notSent : counts.queued}</td>
    </tr>
  );
}

/** One sentence on where a broadcast stands. */
function summaryOf(broadcast: BroadcastSummary): string {
  const at = (iso: string | undefined) => (iso ? ` at ${localTime(iso)}` : '');
  switch (broadcast.status) {
    case 'pending_approval':
      return 'Waiting for a comms lead to approve it: it carries free text.';
    case 'completed':
      return `Completed${at(broadcast.completedAt)}: every recipient has been handled.`;
    case 'partial':
      return `Ended${at(broadcast.completedAt)} with some deliveries failed: see the failed column.`;
    case 'cancelled': {
      const notSent = Object.values(broadcast.counts).reduce((sum, counts) => sum + counts.notSent, 0);
      return `Cancelled${at(broadcast.cancelledAt)}: ${notSent} never sent. What was sent before stays sent.`;
    }
    case 'failed':
      return `Failed${at(broadcast.completedAt)}: nothing could be delivered.`;
    default:
      return broadcast.estimatedCompletion
        ? `Sending. Expected to finish by ${localTime(broadcast.estimatedCompletion)}.`
        : 'Sending.';
  }
}

/**
 * Live progress of one broadcast, polled every second until it ends and its counts are final
 * (after a cancel, the sends in flight still finish).
 */
export function BroadcastPage({ id, me, can }: { id: string; me: Me; can: Abilities }) {
  const broadcast = useLoad(() => api<BroadcastDetail>('GET', `/broadcasts/${seg(id)}`), [id]);
  const running = broadcast.data
    ? !(ENDED.has(broadcast.data.status) && broadcast.data.countsFinal)
    : !broadcast.error;
  useInterval(broadcast.reload, 1_000, running);
  const data = broadcast.data;
  if (!data)
    return broadcast.error ? <ProblemBox error={broadcast.error} /> : <Loading what="the broadcast" />;
  return (
    <>
      <p>
        <a href={`#/incidents/${data.incidentId}`}>← Incident</a>
      </p>
      <div class="title-row">
        <h1>
          Broadcast: {data.kind} ({data.templateId} v{data.templateVersion})
        </h1>
        <Badge value={data.status} />
      </div>
      <BroadcastExerciseNotice incidentId={data.incidentId} />
      <IncidentCountdown incidentId={data.incidentId} />
      <p aria-live="polite" class="summary">
        {summaryOf(data)}
      </p>
      {(data.status === 'pending_approval' || data.approvedBy) && (
        <BroadcastContent id={data.id} status={data.status} />
      )}
      <Panel title="Progress by channel" id="progress-heading">
        <TableScroll label="Counts by channel">
          <table class="progress-table">
            <ColumnHeads
              names={[
                'Channel',
                'Done',
                'Sent',
                'Delivered',
                'Failed',
                'Opted out',
                ...(hasExerciseRecords(data) ? ['Exercise (not sent)'] : []),
                data.status === 'cancelled' ? 'Not sent' : 'Queued',
              ]}
            />
            <tbody>
              {data.channels.map((channel) => {
                const counts = data.counts[channel];
                return counts ? (
                  <ChannelProgress
                    key={channel}
                    channel={channel}
                    counts={counts}
                    cancelled={data.status === 'cancelled'}
                    exercise={hasExerciseRecords(data)}
                  />
                ) : null;
              })}
            </tbody>
          </table>
        </TableScroll>
        <dl class="facts">
          <dt>Requested</dt>
          <dd>
            {localTime(data.createdAt)} by {data.createdBy}
          </dd>
          {data.approvedBy && (
            <>
              <dt>Approved</dt>
              <dd>
                {localTime(data.approvedAt)} by {data.approvedBy}
              </dd>
            </>
          )}
          <dt>Started</dt>
          <dd>{localTime(data.startedAt)}</dd>
          <dt>Estimated completion</dt>
          <dd>{ENDED.has(data.status) ? '–' : localTime(data.estimatedCompletion)}</dd>
          <dt>Completed</dt>
          <dd>{localTime(data.completedAt)}</dd>
        </dl>
        <div class="row">
          <Actions broadcast={data} me={me} can={can} onChange={broadcast.reload} />
          {can.operate && ENDED.has(data.status) && data.kind !== 'resolution' && (
            <a class="button secondary" href={`#/incidents/${data.incidentId}`}>
              Send an update or resolution
            </a>
          )}
        </div>
      </Panel>
      <FailedDeliveries broadcast={data} can={can} />
    </>
  );
}
