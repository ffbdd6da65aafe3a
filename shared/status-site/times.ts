/** Times as the status outputs show them: local to an airport for people, fixed-offset UTC for CAP. */
import type { TimeWindow } from '#shared/domain/model.ts';

/**
 * CAP 1.2's dateTime form, `2026-11-23T06:05:00+00:00`: the schema's pattern rejects both
 * `Z` and fractional seconds.
 */
export function capDateTime(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 19)}+00:00`;
}

function format(locale: string, timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  });
}

/** A window in a time zone, e.g. "Mon 23 Nov, 01:00 – 23:59 CET". */
export function localWindow(window: TimeWindow, timeZone: string, locale: string): string {
  return format(locale, timeZone).formatRange(new Date(window.start), new Date(window.end));
}

/** One instant in a time zone, e.g. "Mon 23 Nov, 07:05 EET". */
export function localInstant(iso: string, timeZone: string, locale: string): string {
  return format(locale, timeZone).format(new Date(iso));
}
