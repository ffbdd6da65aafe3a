import { afterEach, describe, expect, it, vi } from 'vitest';
import { broadcastLines, time } from '#cli/output.ts';
import { displayZone } from '#cli/settings.ts';
import { displayTime, isTimeZone } from '#shared/domain/display-time.ts';

describe('displayTime: 24-hour, with the zone', () => {
  it('shows UTC by default, the afternoon as 14, not 2 PM', () => {
    expect(displayTime('2026-11-23T14:05:09.123Z')).toBe('2026-11-23 14:05 UTC');
    expect(displayTime('2026-11-23T00:30:00+02:00')).toBe('2026-11-22 22:30 UTC');
  });

  it('shows a configured zone with its offset on that day', () => {
    expect(displayTime('2026-11-23T14:05:09Z', 'Europe/Helsinki')).toBe('2026-11-23 16:05 UTC+02:00');
    expect(displayTime('2026-07-01T14:05:09Z', 'Europe/Helsinki')).toBe('2026-07-01 17:05 UTC+03:00');
    expect(displayTime('2026-11-23T14:05:09Z', 'Europe/London')).toBe('2026-11-23 14:05 UTC+00:00');
  });

  it('gives seconds or the clock alone when asked', () => {
    expect(displayTime('2026-11-23T14:05:09Z', 'UTC', { seconds: true })).toBe('2026-11-23 14:05:09 UTC');
    expect(displayTime('2026-11-23T14:05:09Z', 'Asia/Kolkata', { dateless: true })).toBe('19:35 UTC+05:30');
  });

  it('says a missing time is missing and shows an unreadable one as it came', () => {
    expect(displayTime(undefined)).toBe('–');
    expect(displayTime('soon')).toBe('soon');
  });

  it('knows a time zone from a typo', () => {
    expect(isTimeZone('Europe/Helsinki')).toBe(true);
    expect(isTimeZone('Europe/Helsinky')).toBe(false);
  });
});

describe('the CLI prints times in HERALD_TIME_ZONE', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('defaults to UTC and refuses a zone it does not know', () => {
    expect(displayZone({})).toBe('UTC');
    expect(displayZone({ HERALD_TIME_ZONE: 'Europe/Oslo' })).toBe('Europe/Oslo');
    expect(() => displayZone({ HERALD_TIME_ZONE: 'Mars/Olympus' })).toThrow(/HERALD_TIME_ZONE/);
  });

  it("shows a broadcast's times 24-hour with the zone", () => {
    vi.stubEnv('HERALD_TIME_ZONE', 'Europe/Helsinki');
    const lines = broadcastLines({
      id: 'b1',
      incidentId: 'i1',
      templateId: 'strike-disruption',
      templateVersion: 1,
      variables: {},
      channels: ['status'],
      kind: 'initial',
      status: 'completed',
      createdAt: '2026-11-23T13:00:00.000Z',
      createdBy: 'olli.operator',
      completedAt: '2026-11-23T13:07:00.000Z',
      counts: {},
    });
    expect(lines).toContain('Completed at: 2026-11-23 15:07 UTC+02:00');
    expect(time('2026-11-23T13:07:00.000Z', { dateless: true })).toBe('15:07 UTC+02:00');
  });
});
