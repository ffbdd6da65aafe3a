import { describe, expect, it } from 'vitest';
import { statusDocument } from '#shared/status-site/status-document.ts';
import { statusPage } from '#shared/status-site/status-page.ts';
import { IDS, statusFixture } from '#test/support/status-fixtures.ts';

const statusDoc = statusDocument(statusFixture(), '2026-11-23T08:00:00.000Z');

/** The markup alone; test/integration/status-page-browser.test.ts opens the page in Chromium. */
describe('the status page markup', () => {
  it('shows the window in each airport’s local time, grouped by time zone', () => {
    // Intl puts thin spaces around the range's dash.
    const html = statusPage(statusDoc, 'en').replaceAll('\u2009', ' ');

    expect(html).toContain('Mon 23 Nov, 01:00 CET – Tue 24 Nov, 00:59 CET</time> (OSL, CPH)');
    expect(html).toContain('Mon 23 Nov, 02:00 EET – Tue 24 Nov, 01:59 EET</time> (HEL)');
    expect(html).toMatch(/Oslo Lufthavn|Gardermoen/);
  });

  it('puts current disruptions before the history and the latest update first in each incident', () => {
    const html = statusPage(statusDoc, 'fi');

    const current = html.indexOf(`id="incident-${IDS.strike}"`);
    const history = html.indexOf('id="recent"');
    expect(current).toBeGreaterThan(0);
    expect(history).toBeGreaterThan(current);
    expect(html.indexOf('Lakko jatkuu')).toBeLessThan(html.indexOf('Aiemmat tiedotteet (1)'));
    expect(html).toContain('<html lang="fi">');
  });

  it('escapes template text and carries no script', () => {
    const html = statusPage(statusDoc, 'en');

    expect(html).toContain('Strike: flights disrupted &lt;OSL &amp; CPH&gt;');
    expect(html).not.toMatch(/<script/i);
  });

  it('heads each incident with its latest update’s title in the page’s language', () => {
    const heading = (language: 'fi' | 'sv' | 'en') =>
      statusPage(statusDoc, language).match(
        new RegExp(`<h3 id="incident-${IDS.strike}-title">([^<]*)</h3>`),
      )?.[1];

    expect(heading('fi')).toBe('Lakko jatkuu');
    expect(heading('sv')).toBe('Strejken fortsätter');
    expect(heading('en')).toBe('Strike continues');
  });
});
