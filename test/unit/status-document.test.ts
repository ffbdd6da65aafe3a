import { describe, expect, it } from 'vitest';
import { siteFiles } from '#shared/status-site/site-files.ts';
import { statusDocument, updateId } from '#shared/status-site/status-document.ts';
import { IDS, statusFixture } from '#test/support/status-fixtures.ts';

const SITE = { siteUrl: 'https://status.airline.example' };

describe('the status document', () => {
  it('lists open incidents as current and resolved ones as recent, leaving out incidents never published', () => {
    const document = statusDocument(statusFixture(), '2026-11-23T08:00:00.000Z');

    expect(document.current.map((incident) => incident.id)).toEqual([IDS.strike]);
    expect(document.recent.map((incident) => incident.id)).toEqual([IDS.ash, IDS.byHand]);
  });

  it('names each affected airport with its local time zone and keeps the area and the updates in order', () => {
    const document = statusDocument(statusFixture());
    const [strike] = document.current;
    const ash = document.recent[0];

    expect(strike?.airports.map((airport) => [airport.code, airport.timeZone])).toEqual([
      ['OSL', 'Europe/Oslo'],
      ['CPH', 'Europe/Copenhagen'],
      ['HEL', 'Europe/Helsinki'],
    ]);
    expect(strike?.airports[0]?.name).toMatch(/Gardermoen/);
    expect(strike?.updates.map((update) => update.kind)).toEqual(['initial', 'update']);
    expect(ash?.area?.type).toBe('Polygon');
    expect(ash?.resolvedAt).toBe('2026-11-21T12:00:00.000Z');
  });

  it('heads an incident with its latest approved update in each language, never the operators’ unreviewed title', () => {
    const incidents = statusFixture();
    const strike = incidents.find(({ incident }) => incident.id === IDS.strike);
    if (!strike) throw new Error('the fixture has no strike');
    strike.incident.title = 'Strike: call Olli on +358401234567';

    const document = statusDocument(incidents);
    const [published] = document.current;

    expect(published?.title).toBe('Strike continues');
    expect(published?.titles).toEqual({
      fi: 'Lakko jatkuu',
      sv: 'Strejken fortsätter',
      en: 'Strike continues',
    });
    expect(document.recent.find((incident) => incident.id === IDS.ash)?.title).toBe('Airspace reopened');
    expect(JSON.stringify(siteFiles(document, SITE))).not.toContain('+358401234567');
  });

  it('keeps the heading of the last broadcast over the fixed notice of a resolution by hand', () => {
    const byHand = statusDocument(statusFixture()).recent.find((incident) => incident.id === IDS.byHand);

    expect(byHand?.updates.at(-1)?.texts.en?.title).toBe('Resolved');
    expect(byHand?.title).not.toBe('Resolved');
    expect(byHand?.title).toBe(byHand?.updates[0]?.texts.en?.title);
  });

  it('gives a resolution by hand a stable UUID of its own', () => {
    const first = updateId({ incidentId: IDS.byHand });

    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(updateId({ incidentId: IDS.byHand })).toBe(first);
    expect(updateId({ incidentId: IDS.strike })).not.toBe(first);
    expect(updateId({ incidentId: IDS.byHand, broadcastId: IDS.byHandInitial })).toBe(IDS.byHandInitial);
  });

  it('carries no personal data into any file of the site', () => {
    const files = siteFiles(statusDocument(statusFixture()), SITE);

    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      expect(file.body).not.toContain('olli.operator');
      expect(file.body).not.toContain('createdBy');
    }
  });

  it('writes every output with its content type, the CAP alerts before what links to them and status.json last', () => {
    const files = siteFiles(statusDocument(statusFixture()), SITE);
    const types = Object.fromEntries(files.map((file) => [file.key, file.contentType.split(';')[0]]));

    expect(types).toMatchObject({
      status: 'text/html',
      'status/fi': 'text/html',
      'status/sv': 'text/html',
      'status.json': 'application/json',
      'feed.atom': 'application/atom+xml',
      'feed.rss': 'application/rss+xml',
      'cap.atom': 'application/atom+xml',
      [`cap/${IDS.strikeInitial}.xml`]: 'application/cap+xml',
    });
    const keys = files.map((file) => file.key);
    const lastAlert = Math.max(...keys.map((key, index) => (key.startsWith('cap/') ? index : -1)));
    expect(lastAlert).toBeLessThan(keys.indexOf('cap.atom'));
    expect(lastAlert).toBeLessThan(keys.indexOf('status'));
    expect(keys.at(-1)).toBe('status.json');
  });
});
