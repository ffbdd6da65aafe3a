/**
 * The status page: mobile-first, accessible HTML that needs no JavaScript (and has none).
 * Current disruptions first — severity, airports by name, the window in each airport's local
 * time, the latest update — then the recent history; a page per language.
 */
import { LANGUAGES, type Language } from '#shared/domain/model.ts';
import { escapeMarkup as e } from './html.ts';
import { LABELS, type SiteLabels } from './labels.ts';
import { type StatusDocument, type StatusIncident, type StatusUpdate, textIn } from './status-document.ts';
import { statusMap } from './status-map.ts';
import { localInstant, localWindow } from './times.ts';

/** Where each language's page lives on the site. */
export function statusPagePath(language: Language): string {
  return language === 'en' ? '/status' : `/status/${language}`;
}

/** The site's one style sheet, inlined in each page (the site's other pages use it too). */
export const STATUS_PAGE_STYLE = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:1rem;line-height:1.5;color:#1a1a1a;background:#f4f5f7}
a{color:#0b4f9c}
a:focus-visible{outline:3px solid #0b4f9c;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem}
.skip:focus{left:.5rem}
.wrap{max-width:46rem;margin:0 auto;padding:0 1rem}
header{background:#0d2a4a;color:#fff;padding:.75rem 0 1rem}
header .wrap{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem}
h1{font-size:1.5rem;margin:0}
nav ul{list-style:none;margin:0;padding:0;display:flex;gap:.25rem}
nav a{display:inline-block;min-width:2.75rem;min-height:2.75rem;padding:.6rem .7rem;color:#fff;text-decoration:none;border:1px solid #8fb3dc;border-radius:.4rem;text-align:center;line-height:1.5}
nav a[aria-current=page]{background:#fff;color:#0d2a4a;font-weight:700}
nav a:focus-visible{outline-color:#fff}
main{padding:1rem 0 2rem}
h2{font-size:1.25rem;margin:1.5rem 0 .75rem}
.incident{background:#fff;border:1px solid #d0d5dd;border-left:.5rem solid #5b6675;border-radius:.4rem;padding:1rem;margin:0 0 1rem}
.incident h3{font-size:1.125rem;margin:0 0 .5rem}
.sev-minor{border-left-color:#1f6feb}.sev-moderate{border-left-color:#b7791f}.sev-severe{border-left-color:#c62828}.sev-extreme{border-left-color:#6a1010}
.badge{display:inline-block;font-weight:700;font-size:.875rem;padding:.1rem .5rem;border-radius:1rem;background:#e8eaed;color:#1a1a1a;margin:0 0 .5rem}
.sev-severe .badge,.sev-extreme .badge{background:#fde7e7;color:#7a1010}
.sev-moderate .badge{background:#fdf1dc;color:#6b4300}
dl{margin:0 0 .75rem}
dt{font-weight:700;font-size:.875rem;color:#3d4654}
dd{margin:0 0 .5rem}
dd ul{margin:0;padding-left:1.1rem}
.map{display:block;width:100%;height:auto;margin:0 0 .75rem;border:1px solid #d0d5dd;border-radius:.3rem}
.update{border-top:1px solid #e3e6ea;padding-top:.5rem;margin-top:.5rem}
.incident h4{font-size:.875rem;margin:.75rem 0 0;color:#3d4654}
.update p{margin:.25rem 0 0}
.meta{font-size:.875rem;color:#4a5260}
details{margin-top:.75rem}
summary{cursor:pointer;color:#0b4f9c;min-height:2.75rem;padding:.6rem 0}
ol.updates{list-style:none;margin:0;padding:0}
footer{border-top:1px solid #d0d5dd;padding:1rem 0 2rem;font-size:.875rem;color:#3d4654}
footer ul{list-style:none;padding:0;margin:.25rem 0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
footer a{display:inline-block;padding:.35rem 0}
@media (min-width:40rem){h1{font-size:1.75rem}}
`;

/** The zone an incident's own times are shown in: its first airport's, else UTC. */
function incidentZone(incident: StatusIncident): string {
  return incident.airports[0]?.timeZone ?? 'UTC';
}

function time(iso: string, timeZone: string, labels: SiteLabels): string {
  return `<time datetime="${e(iso)}">${e(localInstant(iso, timeZone, labels.locale))}</time>`;
}

function updateBlock(update: StatusUpdate, incident: StatusIncident, language: Language): string {
  const labels = LABELS[language];
  const text = textIn(update, language);
  return `<div class="update"><p class="meta">${e(labels.kinds[update.kind])} · ${time(update.publishedAt, incidentZone(incident), labels)}</p>
<p><strong>${e(text.title)}</strong></p><p>${e(text.body)}</p></div>`;
}

/** The window once per distinct local rendering (Oslo and Copenhagen share one), naming its airports. */
function windows(incident: StatusIncident, labels: SiteLabels): string[] {
  const zones = incident.airports.length > 0 ? incident.airports : [{ code: 'UTC', timeZone: 'UTC' }];
  const byText = new Map<string, string[]>();
  for (const { code, timeZone } of zones) {
    const text = localWindow(incident.window, timeZone, labels.locale);
    byText.set(text, [...(byText.get(text) ?? []), code]);
  }
  return [...byText].map(
    ([text, codes]) =>
      `<time datetime="${e(incident.window.start)}">${e(text)}</time>${byText.size > 1 ? ` (${e(codes.join(', '))})` : ''}`,
  );
}

/** A current disruption carries its map; the history stays text. */
function incidentArticle(incident: StatusIncident, language: Language, withMap: boolean): string {
  const labels = LABELS[language];
  const latest = incident.updates.at(-1);
  if (!latest) return '';
  const headingId = `incident-${e(incident.id)}-title`;
  const airports = incident.airports.map(
    (airport) => `<li>${e(airport.name)} (<abbr>${e(airport.code)}</abbr>)</li>`,
  );
  const whens = windows(incident, labels);
  const earlier = incident.updates.slice(0, -1).reverse();
  return `<article class="incident sev-${e(incident.severity)}" id="incident-${e(incident.id)}" aria-labelledby="${headingId}">
<h3 id="${headingId}">${e(incident.titles[language] ?? incident.title)}</h3>
<p class="badge">${e(labels.severity)}: ${e(labels.severities[incident.severity])}</p>
${withMap ? statusMap(incident, language) : ''}
<dl>
${airports.length > 0 ? `<dt>${e(labels.airports)}</dt><dd><ul>${airports.join('')}</ul></dd>` : ''}
<dt>${e(labels.when)}</dt><dd>${whens.length === 1 ? whens[0] : `<ul>${whens.map((w) => `<li>${w}</li>`).join('')}</ul>`}</dd>
${incident.resolvedAt ? `<dt>${e(labels.resolvedAt)}</dt><dd>${time(incident.resolvedAt, incidentZone(incident), labels)}</dd>` : ''}
</dl>
<h4>${e(labels.latest)}</h4>
${updateBlock(latest, incident, language)}
${
  earlier.length > 0
    ? `<details><summary>${e(labels.earlier(earlier.length))}</summary><ol class="updates">${earlier
        .map((update) => `<li>${updateBlock(update, incident, language)}</li>`)
        .join('\n')}</ol></details>`
    : ''
}
</article>`;
}

/** One page per language, linking to the others and to the feeds. */
export function statusPage(document: StatusDocument, language: Language): string {
  const labels = LABELS[language];
  const switcher = LANGUAGES.map(
    (other) =>
      `<li><a lang="${other}" hreflang="${other}" href="${statusPagePath(other)}"${
        other === language ? ' aria-current="page"' : ''
      }>${e(LABELS[other].languageName)}</a></li>`,
  );
  const current = document.current.map((incident) => incidentArticle(incident, language, true));
  const recent = document.recent.map((incident) => incidentArticle(incident, language, false));
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(labels.title)}</title>
<link rel="icon" href="data:,">
<link rel="alternate" type="application/atom+xml" href="/feed.atom" title="Atom">
<link rel="alternate" type="application/rss+xml" href="/feed.rss" title="RSS">
<link rel="alternate" type="application/json" href="/status.json" title="JSON">
${LANGUAGES.filter((other) => other !== language)
  .map((other) => `<link rel="alternate" hreflang="${other}" href="${statusPagePath(other)}">`)
  .join('\n')}
<style>${STATUS_PAGE_STYLE}</style>
</head>
<body>
<a class="skip" href="#main">${e(labels.skip)}</a>
<header><div class="wrap">
<h1>${e(labels.title)}</h1>
<nav aria-label="${e(labels.languageNav)}"><ul>${switcher.join('')}</ul></nav>
</div></header>
<main id="main"><div class="wrap">
<section aria-labelledby="current">
<h2 id="current">${e(labels.current)}</h2>
${current.length > 0 ? current.join('\n') : `<p>${e(labels.none)}</p>`}
</section>
<section aria-labelledby="recent">
<h2 id="recent">${e(labels.recent)}</h2>
${recent.length > 0 ? recent.join('\n') : `<p>${e(labels.noHistory)}</p>`}
</section>
</div></main>
<footer><div class="wrap">
<p>${e(labels.feeds)}:</p>
<ul><li><a href="/status.json">JSON</a></li><li><a href="/feed.atom">Atom</a></li><li><a href="/feed.rss">RSS</a></li><li><a href="/cap.atom">${e(labels.capAlerts)}</a></li></ul>
<p>${e(labels.updated)}: <time datetime="${e(document.generatedAt)}">${e(localInstant(document.generatedAt, 'Europe/Helsinki', labels.locale))}</time></p>
</div></footer>
</body>
</html>
`;
}
