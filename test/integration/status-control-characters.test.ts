/**
 * Issue 16, finding 6: a control character in an operator's text (here U+0008 and U+000B in an
 * incident title stored before the API refused them) made CAP, Atom and RSS invalid XML for
 * every consumer. The status site strips them where it renders its one document.
 */
import { XmlDocument, XmlLibError } from 'libxml2-wasm';
import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '#shared/domain/model.ts';
import { atomFeed, rssFeed } from '#shared/status-site/atom-rss.ts';
import { capAlerts, capAlertXml } from '#shared/status-site/cap.ts';
import { capIndex } from '#shared/status-site/cap-index.ts';
import { statusDocument } from '#shared/status-site/status-document.ts';
import { statusPage } from '#shared/status-site/status-page.ts';
import { validateCap } from '#test/support/cap-schema.ts';
import { IDS, statusFixture } from '#test/support/status-fixtures.ts';

const SITE = { siteUrl: 'https://status.airline.example' };
/** Every character class XML 1.0 forbids: C0 controls, U+FFFE/U+FFFF and a lone surrogate. */
const HOSTILE = '\u0008\u000B\u0000\u000C\u001F\uFFFE\uFFFF\uD800';

/** The fixture with the strike's title, and every text rendered from it, carrying hostile characters. */
function hostileDocument() {
  const incidents = statusFixture();
  const strike = incidents.find(({ incident }) => incident.id === IDS.strike);
  if (!strike) throw new Error('the fixture has no strike');
  strike.incident.title = `Strike\u0008 at Oslo\u000B${HOSTILE}`;
  for (const entry of strike.timeline) {
    for (const language of LANGUAGES) {
      const text = entry.texts[language];
      if (text)
        entry.texts[language] = { title: `${text.title}\u0008\u000B`, body: `${HOSTILE}${text.body}` };
    }
  }
  return statusDocument(incidents, '2026-11-23T08:00:00.000Z');
}

/** libxml2's well-formedness verdict: rss-parser alone reads past these characters. */
function wellFormed(xml: string): string {
  try {
    XmlDocument.fromString(xml).dispose();
    return 'well-formed';
  } catch (error) {
    if (error instanceof XmlLibError) return error.message;
    throw error;
  }
}

describe('control characters in operator text', () => {
  it('strips them from the one status document, keeping the rest of the text', () => {
    const strike = hostileDocument().current.find((incident) => incident.id === IDS.strike);

    // The heading follows the latest update's title, stripped as every title is.
    expect(strike?.title).toBe('Strike continues');
    expect(strike?.updates[0]?.texts.en?.title).toBe('Strike: flights disrupted <OSL & CPH>');
    expect(JSON.stringify(strike)).not.toContain('Strike at Oslo');
  });

  it('yields CAP alerts that validate against the OASIS CAP 1.2 schema', () => {
    const alerts = capAlerts(hostileDocument(), SITE).filter((alert) => alert.incident.id === IDS.strike);

    expect(alerts).toHaveLength(2);
    for (const alert of alerts) {
      expect(validateCap(capAlertXml(alert, SITE)), alert.id).toEqual({ valid: true, errors: '' });
    }
  });

  it('yields Atom, RSS and the CAP index as well-formed XML that rss-parser reads', async () => {
    const document = hostileDocument();
    const feeds = {
      atom: atomFeed(document, SITE),
      rss: rssFeed(document, SITE),
      capIndex: capIndex(capAlerts(document, SITE), document.generatedAt, SITE),
    };

    for (const [name, xml] of Object.entries(feeds)) {
      expect(wellFormed(xml), name).toBe('well-formed');
      const feed = await new Parser().parseString(xml);
      expect(feed.items.map((item) => item.title).join('\n'), name).toMatch(/flights disrupted/);
    }
  });

  it('leaves none of them in the HTML pages or the strings of status.json', () => {
    const document = hostileDocument();
    const strings: string[] = [];
    JSON.stringify(document, (_key, value: unknown) => {
      if (typeof value === 'string') strings.push(value);
      return value;
    });
    const outputs = [...LANGUAGES.map((language) => statusPage(document, language)), ...strings];

    for (const char of HOSTILE) {
      expect(outputs.filter((output) => output.includes(char))).toEqual([]);
    }
  });
});
