/**
 * ISO 8601 with the offset of the clock's own time zone ("2026-11-23T06:00:00+02:00"), as the
 * API wants times: what an operator types in local time, without losing which zone it was.
 * Pure: the CLI and the browser console both use it.
 */
export function isoWithLocalOffset(date: Date): string {
  const pad = (value: number) => String(Math.trunc(Math.abs(value))).padStart(2, '0');
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    `${sign}${pad(offset / 60)}:${pad(offset % 60)}`
  );
}

/** A typed time as ISO with an offset: kept as is when it names one (or Z), else read as local time. */
export function toIsoWithOffset(text: string): string | undefined {
  const trimmed = text.trim();
  if (/(Z|[+-]\d{2}:\d{2})$/i.test(trimmed)) return Number.isNaN(Date.parse(trimmed)) ? undefined : trimmed;
  const match = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(trimmed);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0));
  const date = new Date(year ?? 0, (month ?? 1) - 1, day ?? 1, hour ?? 0, minute ?? 0, second ?? 0);
  return Number.isNaN(date.getTime()) ? undefined : isoWithLocalOffset(date);
}
