/**
 * The notification deadline and whether an SMS broadcast meets it. The US DOT gives carriers 30
 * minutes from learning of a cancellation or a delay to tell passengers (14 CFR 259.8), and EU
 * Regulation 261/2004 makes them prove when each one was told. Pure: the preview, the delivery
 * list and the console share it.
 */
import type { FieldError } from './errors.ts';
import { NOTIFICATION_DEADLINE_MINUTES } from './limits.ts';
import type { DeliveryStatus, Incident } from './model.ts';

/** The regulatory default: an airline may configure another, an incident may set its own. */
export const DEFAULT_DEADLINE_MINUTES = 30;
/** Passengers departing within this many hours are the preview's priority: they are texted first. */
export const PRIORITY_HOURS = 2;

const MINUTE_MS = 60_000;

/** How an incident's opener may set its deadline: a time, or minutes after the opening; neither means the default. */
export interface DeadlineRequest {
  notificationDeadline?: string;
  deadlineMinutes?: number;
}

const { min, max } = NOTIFICATION_DEADLINE_MINUTES;
const bounds = `between ${min} minute and ${max / 60 / 24} days after the incident is opened`;

/** What is wrong with a requested deadline: both forms at once, or a time outside the bounds after `openedAt`. */
export function deadlineErrors(openedAt: string, request: DeadlineRequest): FieldError[] {
  if (request.notificationDeadline !== undefined && request.deadlineMinutes !== undefined)
    return [{ path: 'deadlineMinutes', message: 'Give notificationDeadline or deadlineMinutes, not both.' }];
  if (request.deadlineMinutes !== undefined) {
    const minutes = request.deadlineMinutes;
    return minutes >= min && minutes <= max
      ? []
      : [{ path: 'deadlineMinutes', message: `The deadline must fall ${bounds}.` }];
  }
  if (request.notificationDeadline !== undefined) {
    const minutes = (Date.parse(request.notificationDeadline) - Date.parse(openedAt)) / MINUTE_MS;
    return minutes >= min && minutes <= max
      ? []
      : [{ path: 'notificationDeadline', message: `The deadline must fall ${bounds}.` }];
  }
  return [];
}

/** The deadline of an incident opened at `openedAt`: the requested one (validated), else `defaultMinutes` after. */
export function notificationDeadline(
  openedAt: string,
  request: DeadlineRequest,
  defaultMinutes: number,
): string {
  if (request.notificationDeadline !== undefined)
    return new Date(Date.parse(request.notificationDeadline)).toISOString();
  const minutes = request.deadlineMinutes ?? defaultMinutes;
  return new Date(Date.parse(openedAt) + minutes * MINUTE_MS).toISOString();
}

/** An incident's deadline; one opened before deadlines were stored has the regulatory default. */
export function incidentDeadline(incident: Pick<Incident, 'createdAt' | 'notificationDeadline'>): string {
  return (
    incident.notificationDeadline ?? notificationDeadline(incident.createdAt, {}, DEFAULT_DEADLINE_MINUTES)
  );
}

/** What an SMS broadcast would send: recipients, and the segments their messages take in all. */
export interface SmsLoad {
  recipients: number;
  /** Twilio paces a sender by segment: a two-segment SMS takes two of its messages per second. */
  segments: number;
}

/** The preview's answer to "will the last passenger be told in time?". */
export interface SmsEta {
  deadline: string;
  /** Segments per second the broadcast's SMS go out at. */
  smsPerSecond: number;
  recipients: number;
  segments: number;
  /** When the last SMS would go, sent now. */
  lastSmsAt: string;
  /** Recipients whose SMS would go after the deadline: the latest departures, as the soonest go first. */
  late: number;
  /** The rate that would reach every recipient by the deadline; only while some would be late and it has not passed. */
  smsPerSecondNeeded?: number;
  /** Those departing within PRIORITY_HOURS (or whose departure has passed): the first texted. */
  departingSoon: { hours: number; recipients: number; lastReachedAt?: string };
}

const seconds = (segments: number, smsPerSecond: number) => segments / smsPerSecond;
const at = (now: number, afterSeconds: number) =>
  new Date(now + Math.ceil(afterSeconds * 1000)).toISOString();

/**
 * When the last SMS of `all` would go at `smsPerSecond` from `now`, how many recipients the
 * deadline would miss and what rate would make it; `soon`, the first of them in sending order,
 * is dated too. A recipient's segments are taken as the average: order is by departure, not size.
 */
export function smsEta(
  { all, soon }: { all: SmsLoad; soon: SmsLoad },
  deadline: string,
  smsPerSecond: number,
  now: number,
): SmsEta {
  const secondsLeft = (Date.parse(deadline) - now) / 1000;
  const segmentsInTime = Math.max(0, secondsLeft * smsPerSecond);
  const averageSegments = all.recipients > 0 ? all.segments / all.recipients : 1;
  const late =
    segmentsInTime >= all.segments
      ? 0
      : all.recipients - Math.min(all.recipients, Math.floor(segmentsInTime / averageSegments));
  return {
    deadline,
    smsPerSecond,
    recipients: all.recipients,
    segments: all.segments,
    lastSmsAt: at(now, seconds(all.segments, smsPerSecond)),
    late,
    ...(late > 0 && secondsLeft > 0
      ? { smsPerSecondNeeded: Math.ceil((all.segments / secondsLeft) * 10) / 10 }
      : {}),
    departingSoon: {
      hours: PRIORITY_HOURS,
      recipients: soon.recipients,
      ...(soon.recipients > 0 ? { lastReachedAt: at(now, seconds(soon.segments, smsPerSecond)) } : {}),
    },
  };
}

/** "45 s", "3.3 min", "5.6 h": the worked example in docs/api.md (the deadline clock) reads the same. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, totalSeconds);
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${(s / 60).toFixed(1)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

const count = (n: number) => n.toLocaleString('en');
const rate = (perSecond: number) => `${count(perSecond)} SMS/s`;

/**
 * The preview's warning when the last SMS would go after the deadline, naming how many would be
 * late and the rate that would reach them all; undefined when every recipient is reached in time.
 */
export function deadlineWarning(eta: SmsEta, now: number): string | undefined {
  if (eta.late === 0) return undefined;
  const untilLast = formatDuration((Date.parse(eta.lastSmsAt) - now) / 1000);
  const overrun = formatDuration((Date.parse(eta.lastSmsAt) - Date.parse(eta.deadline)) / 1000);
  const lateness = `${count(eta.late)} of ${count(eta.recipients)} passengers would be texted after it`;
  if (eta.smsPerSecondNeeded === undefined)
    return `The notification deadline has passed: ${lateness}; the last SMS would go in ${untilLast} at ${rate(eta.smsPerSecond)}.`;
  return `The last SMS would go in ${untilLast} at ${rate(eta.smsPerSecond)} (${count(eta.segments)} segments), ${overrun} after the notification deadline: ${lateness}. ${rate(eta.smsPerSecondNeeded)} would reach them all in time.`;
}

/** Statuses in which the provider has taken the SMS: the passenger was reached when the record got there. */
const REACHED: ReadonlySet<DeliveryStatus> = new Set(['sent', 'delivered']);

/**
 * Whether an SMS reached its passenger by the deadline, from the record's status and the time it
 * was first sent (or, on a record older than that stamp, its latest move's time; read, never
 * stored: no write per recipient). True when sent or delivered by then;
 * false when that came after it, or it has not come and the deadline has passed; undefined while
 * not reached and the deadline is still ahead, and for an exercise's record (never to be sent).
 */
export function reachedBeforeDeadline(
  record: { status: DeliveryStatus; updatedAt: string; sentAt?: string },
  deadline: string,
  now: number,
): boolean | undefined {
  if (record.status === 'exercise') return undefined;
  const due = Date.parse(deadline);
  if (REACHED.has(record.status)) return Date.parse(record.sentAt ?? record.updatedAt) <= due;
  return now > due ? false : undefined;
}
