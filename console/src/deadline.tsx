/**
 * The notification deadline in the console: a countdown on the incident and broadcast pages and
 * the preview's ETA. The countdown ticks in its own component, so only its text re-renders each
 * second; it says in words whether time is left, never by colour alone.
 */
import { useState } from 'preact/hooks';
import { formatDuration, incidentDeadline, type SmsEta } from '#shared/domain/deadline.ts';
import type { Incident } from '#shared/domain/model.ts';
import { api, seg } from './api.ts';
import { localTime, plural, useInterval, useLoad } from './ui.tsx';

/** "12 min 05 s", "1 h 02 min": to the second while it counts down. */
function clock(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const [hours, minutes, seconds] = [Math.floor(total / 3600), Math.floor(total / 60) % 60, total % 60];
  const two = (value: number) => String(value).padStart(2, '0');
  if (hours > 0) return `${hours} h ${two(minutes)} min`;
  return minutes > 0 ? `${minutes} min ${two(seconds)} s` : `${seconds} s`;
}

/** The deadline and the time left to it (or since it passed), updated every second. */
export function Countdown({ deadline }: { deadline: string }) {
  const [now, setNow] = useState(Date.now());
  useInterval(() => setNow(Date.now()), 1_000, true);
  const left = Date.parse(deadline) - now;
  return (
    <p class={`countdown ${left > 0 ? 'countdown-running' : 'countdown-passed'}`}>
      <span class="countdown-label">Notification deadline</span> {localTime(deadline)}:{' '}
      {/* role=timer is not announced on every tick; the text is there when a reader reaches it. */}
      <strong role="timer" aria-atomic="true">
        {left > 0 ? `${clock(left)} left` : `passed ${clock(left)} ago`}
      </strong>
    </p>
  );
}

/** The countdown of a broadcast's incident while it is open; it loads the incident itself. */
export function IncidentCountdown({ incidentId }: { incidentId: string }) {
  const incident = useLoad(() => api<Incident>('GET', `/incidents/${seg(incidentId)}`), [incidentId]);
  return incident.data?.status === 'open' ? <Countdown deadline={incidentDeadline(incident.data)} /> : null;
}

/** The preview's answer to "is everyone told in time?", in words; the warning itself is among the preview's. */
export function PreviewEta({ eta }: { eta: SmsEta }) {
  const untilLast = formatDuration((Date.parse(eta.lastSmsAt) - Date.now()) / 1000);
  const soon = eta.departingSoon;
  return (
    <dl class="facts eta">
      <dt>Last SMS</dt>
      <dd>
        {localTime(eta.lastSmsAt)} (in {untilLast} at {eta.smsPerSecond} SMS/s,{' '}
        {plural(eta.segments, 'segment')})
      </dd>
      <dt>Deadline</dt>
      <dd>
        {localTime(eta.deadline)}:{' '}
        {eta.late === 0
          ? 'every passenger texted in time'
          : `${eta.late.toLocaleString()} of ${eta.recipients.toLocaleString()} texted after it${
              eta.smsPerSecondNeeded === undefined ? '' : `; ${eta.smsPerSecondNeeded} SMS/s would make it`
            }`}
      </dd>
      <dt>Departing within {soon.hours} h</dt>
      <dd>
        {plural(soon.recipients, 'passenger')}
        {soon.lastReachedAt ? `, texted first: the last of them by ${localTime(soon.lastReachedAt)}` : ''}
      </dd>
    </dl>
  );
}
