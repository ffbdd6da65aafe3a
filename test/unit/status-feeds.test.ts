import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import { atomFeed, rssFeed } from '#shared/status-site/atom-rss.ts';
import { capAlerts } from '#shared/status-site/cap.ts';
import { capIndex } from '#shared/status-site/cap-index.ts';
import { statusDocument } from '#shared/status-site/status-document.ts';
import { IDS, statusFixture } from '#test/support/status-fixtures.ts';

const SITE = { siteUrl: 'https://status.airline.example' };
const parser = new Parser();

describe('the Atom and RSS feeds', () => {
  const document = statusDocument(statusFixture(), '2026-11-23T08:00:00.000Z');

  it('has one Atom entry per published update, newest first, each with its own id and a link', async () => {
    const feed = await parser.parseString(atomFeed(document, SITE));

    expect(feed.title).toBe('Travel disruptions');
    expect(feed.items).toHaveLength(7);
    expect(feed.items[0]).toMatchObject({
      title: 'Update: Strike continues',
      id: `urn:uuid:${IDS.strikeUpdate}`,
      link: `https://status.airline.example/status#incident-${IDS.strike}`,
    });
    expect(feed.items.map((item) => item.title)).toContain('Resolved: Airspace reopened');
    const dates = feed.items.map((item) => Date.parse(item.isoDate ?? ''));
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
  });

  it('has the same entries in RSS, with guids and publication dates', async () => {
    const feed = await parser.parseString(rssFeed(document, SITE));

    expect(feed.items).toHaveLength(7);
    expect(feed.items[0]?.guid).toBe(`urn:uuid:${IDS.strikeUpdate}`);
    expect(feed.items[0]?.pubDate).toBe('Mon, 23 Nov 2026 07:30:00 GMT');
    expect(feed.items.at(-1)?.title).toBe('Disruption: Snow delays flights at Tallinn');
    expect(feed.items.find((item) => item.guid === `urn:uuid:${IDS.strikeInitial}`)?.title).toBe(
      'Disruption: Strike: flights disrupted &lt;OSL &amp; CPH&gt;',
    );
  });

  it('indexes every CAP alert in cap.atom, linking to its XML', async () => {
    const alerts = capAlerts(document, SITE);
    const feed = await parser.parseString(capIndex(alerts, document.generatedAt, SITE));

    expect(feed.items).toHaveLength(alerts.length);
    expect(feed.items.map((item) => item.link)).toContain(
      `https://status.airline.example/cap/${IDS.ashResolution}.xml`,
    );
    expect(feed.items.find((item) => item.id === `urn:uuid:${IDS.ashResolution}`)?.title).toBe(
      'Cancel: Airspace reopened',
    );
  });
});
