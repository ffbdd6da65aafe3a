import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '#shared/ports/stores.ts';
import { regenerateStatusSite } from '#shared/use-cases/publish-status.ts';
import { validateCap } from '#test/support/cap-schema.ts';
import { FakeIncidentStore } from '#test/support/fakes.ts';
import { IDS, statusFixture } from '#test/support/status-fixtures.ts';

const SITE_URL = 'https://status.airline.example';

/** The status fixture with its strike marked an exercise, regenerated into an in-memory bucket. */
async function regenerated() {
  const incidents = new FakeIncidentStore();
  const timelines = new Map<string, TimelineEntry[]>();
  for (const { incident, timeline } of statusFixture()) {
    await incidents.create({ ...incident, ...(incident.id === IDS.strike ? { exercise: true } : {}) });
    timelines.set(incident.id, timeline);
  }
  const files = new Map<string, string>();
  await regenerateStatusSite({
    incidents,
    timeline: {
      append: async () => undefined,
      entries: async (incidentId) => timelines.get(incidentId) ?? [],
    },
    site: { put: async (key, body) => void files.set(key, body) },
    siteUrl: SITE_URL,
  });
  return files;
}

describe('exercise feed', () => {
  it('keeps an exercise off every public file and lists it in the exercise feed only', async () => {
    const files = await regenerated();

    const publicFiles = [...files].filter(([key]) => !key.startsWith('exercise/'));
    expect(publicFiles.length).toBeGreaterThan(0);
    for (const [key, body] of publicFiles) expect(body, key).not.toContain(IDS.strike);
    expect(files.get('exercise/feed.atom')).toContain(IDS.strike);
    expect(files.get('exercise/feed.rss')).toContain(IDS.strike);
    expect(files.get('exercise/cap.atom')).toContain(`${SITE_URL}/exercise/cap/`);
    expect(files.get('exercise/feed.atom')).not.toContain(IDS.ash);
  });

  it('publishes the exercise as feeds, CAP alerts and JSON only, never a page', async () => {
    const files = await regenerated();

    const exerciseKeys = [...files.keys()].filter((key) => key.startsWith('exercise/'));
    expect(exerciseKeys.filter((key) => !key.startsWith('exercise/cap/')).sort()).toEqual([
      'exercise/cap.atom',
      'exercise/feed.atom',
      'exercise/feed.rss',
      'exercise/status.json',
    ]);
    expect(exerciseKeys.some((key) => key.startsWith('exercise/cap/'))).toBe(true);
  });

  it('gives the exercise CAP alerts status Exercise, valid against the CAP 1.2 schema, and real ones Actual', async () => {
    const files = await regenerated();

    const alerts = [...files].filter(([key]) => key.startsWith('exercise/cap/'));
    for (const [key, xml] of alerts) {
      expect(xml, key).toContain('<status>Exercise</status>');
      expect(validateCap(xml), key).toEqual({ valid: true, errors: '' });
    }
    const real = [...files].filter(([key]) => key.startsWith('cap/'));
    expect(real.length).toBeGreaterThan(0);
    for (const [key, xml] of real) expect(xml, key).toContain('<status>Actual</status>');
  });
});
