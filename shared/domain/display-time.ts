/**
 * Times as the operations room reads them: 24-hour, with the zone, in one zone for everyone.
 * The ops room works in UTC unless the deployment names another IANA zone
 * (`HERALD_TIME_ZONE`, e.g. `Europe/Helsinki`), so a time read aloud on a call means the
 * same to every listener. Pure: the CLI and the browser console both use it.
 */

/** The zone times are shown in when none is configured. */
export const DEFAULT_DISPLAY_ZONE = 'UTC';

/** Whether `zone` is a time zone this runtime knows (an IANA name such as `Europe/Helsinki`, or `UTC`). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(zone: string, seconds: boolean): Intl.DateTimeFormat {
  const key = `${zone}|${seconds}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      ...(seconds ? { second: '2-digit' } : {}),
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
    formats.set(key, format);
  }
  return format;
}

/** "UTC" in UTC itself; elsewhere the offset, "GMT+02:00" → "UTC+02:00" (ICU writes a zero one as "GMT"). */
function zoneLabel(zone: string, offsetName: string): string {
  if (zone === DEFAULT_DISPLAY_ZONE) return 'UTC';
  return offsetName === 'GMT' ? 'UTC+00:00' : offsetName.replace(/^GMT/, 'UTC');
}

/**
 * "2026-11-23 14:05 UTC" or, in a configured zone, "2026-11-23 16:05 UTC+02:00"; with
 * `seconds`, "14:05:09". A missing time is "–"; an unreadable one is shown as it came.
 */
export function displayTime(
  iso: string | undefined | null,
  zone: string = DEFAULT_DISPLAY_ZONE,
  { seconds = false, dateless = false }: { seconds?: boolean; dateless?: boolean } = {},
): string {
  if (!iso) return '–';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const part = Object.fromEntries(
    formatIn(zone, seconds)
      .formatToParts(date)
      .map(({ type, value }) => [type, value]),
  ) as Record<Intl.DateTimeFormatPartTypes, string>;
  const clock = `${part.hour}:${part.minute}${seconds ? `:${part.second}` : ''}`;
  const day = `${part.year}-${part.month}-${part.day}`;
  return `${dateless ? '' : `${day} `}${clock} ${zoneLabel(zone, part.timeZoneName)}`;
}
