/** The status page's SVG map of each current disruption (shared/status-site/status-map.ts). */
import { describe, expect, it } from 'vitest';
import { escapeMarkup } from '#shared/status-site/html.ts';
import { type StatusIncident, statusDocument } from '#shared/status-site/status-document.ts';
import { statusMap } from '#shared/status-site/status-map.ts';
import { statusPage } from '#shared/status-site/status-page.ts';
import { ASH_CLOUD_AIRPORTS, ASH_CLOUD_ID, europeanAshCloud } from '#test/support/map-fixtures.ts';
import { IDS, statusFixture } from '#test/support/status-fixtures.ts';

const statusDoc = statusDocument([...statusFixture(), europeanAshCloud()], '2026-11-23T08:00:00.000Z');

function current(id: string): StatusIncident {
  const incident = statusDoc.current.find((candidate) => candidate.id === id);
  if (!incident) throw new Error(`${id} is not current`);
  return incident;
}

/** The incident's article on the page. */
function article(html: string, id: string): string {
  const opening = html.split('<article ').find((part) => part.includes(` id="incident-${id}"`));
  return opening?.split('</article>')[0] ?? '';
}

describe('the status page map', () => {
  it('maps a European ash cloud over 50 airports in under 100 kB: the area shaded, every airport marked', () => {
    const svg = statusMap(current(ASH_CLOUD_ID), 'en');

    expect(Buffer.byteLength(svg)).toBeLessThan(100_000);
    expect(svg).toMatch(/<path d="M[^"]+" fill="#c62828" fill-opacity=".25"/);
    for (const code of ASH_CLOUD_AIRPORTS) {
      expect(svg).toMatch(
        new RegExp(`<circle cx="[\\d.]+" cy="[\\d.]+"[^>]*><title>[^<]+\\(${code}\\)</title>`),
      );
    }
    expect(svg).not.toMatch(/<script|\son\w+=/i);
  });

  it('is an image with a title and a description naming the area and each airport', () => {
    const incident = current(ASH_CLOUD_ID);
    const svg = statusMap(incident, 'en');

    const [, labelledBy] = svg.match(/^<svg [^>]*role="img" aria-labelledby="([^"]+)"/) ?? [];
    const [titleId, descId] = labelledBy?.split(' ') ?? [];
    expect(svg).toContain(`<title id="${titleId}">Map of the disruption</title>`);
    const description = svg.match(new RegExp(`<desc id="${descId}">([^<]+)</desc>`))?.[1] ?? '';
    expect(description).toMatch(/^The shaded area is the affected area\. Airports marked on the map: /);
    for (const airport of incident.airports) {
      expect(description).toContain(escapeMarkup(`${airport.name} (${airport.code})`));
    }
  });

  it('speaks the page’s language', () => {
    const svg = statusMap(current(IDS.strike), 'fi');

    expect(svg).toContain('>Häiriön kartta</title>');
    expect(svg).toMatch(/<desc [^>]*>Kartalle merkityt lentoasemat: [^<]*\(HEL\)\.<\/desc>/);
  });

  it('names a few airports on the map itself, and leaves 50 to their tooltips and the list', () => {
    const few = statusMap(current(IDS.strike), 'en');
    const many = statusMap(current(ASH_CLOUD_ID), 'en');

    for (const code of ['OSL', 'CPH', 'HEL']) expect(few).toMatch(new RegExp(`<text [^>]+>${code}</text>`));
    expect(many).not.toContain('<text');
  });

  it('names an airport at the map’s right edge on the marker’s left, so the name stays on the map', () => {
    const { area: _, ...ashCloud } = current(ASH_CLOUD_ID);
    // Keflavík and Helsinki alone span the map from side to side: Helsinki is at its right edge.
    const keflavikAndHelsinki = {
      ...ashCloud,
      airports: ashCloud.airports.filter(({ code }) => code === 'KEF' || code === 'HEL'),
    };

    const svg = statusMap(keflavikAndHelsinki, 'en');

    expect(svg).toMatch(/<text [^>]+dx="8"[^>]+>KEF<\/text>/);
    expect(svg).toMatch(/<text [^>]+dx="-8"[^>]+text-anchor="end"[^>]+>HEL<\/text>/);
  });

  it('describes an area without airports by its area alone', () => {
    const svg = statusMap({ ...current(ASH_CLOUD_ID), airports: [] }, 'sv');

    expect(svg).toMatch(/<desc [^>]*>Det skuggade området är det berörda området\.<\/desc>/);
    expect(svg).not.toContain('<circle');
  });

  it('draws nothing for an incident with neither an area nor a known airport', () => {
    expect(statusMap({ ...current(IDS.strike), airports: [] }, 'en')).toBe('');
  });

  it('sits in each current disruption’s article on every page, and not in the history', () => {
    for (const language of ['en', 'fi', 'sv'] as const) {
      const html = statusPage(statusDoc, language);

      expect(article(html, ASH_CLOUD_ID)).toContain('<svg class="map"');
      expect(article(html, IDS.strike)).toContain('<svg class="map"');
      expect(article(html, IDS.ash)).not.toContain('<svg');
      expect(html).not.toMatch(/<script/i);
    }
  });
});
