/** The status page: plain, accessible HTML that needs no JavaScript to read. */
import { LANGUAGES, type Language } from '#shared/domain/model.ts';
import type { StatusDocument, StatusIncident } from './status-document.ts';

const HEADINGS: Record<Language, { title: string; current: string; recent: string; none: string }> = {
  en: {
    title: 'Service status',
    current: 'Current disruptions',
    recent: 'Recent history',
    none: 'No current disruptions.',
  },
  fi: {
    title: 'Palvelun tila',
    current: 'Voimassa olevat häiriöt',
    recent: 'Aiemmat',
    none: 'Ei voimassa olevia häiriöitä.',
  },
  sv: {
    title: 'Trafikstatus',
    current: 'Aktuella störningar',
    recent: 'Tidigare',
    none: 'Inga aktuella störningar.',
  },
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function incidentSection(incident: StatusIncident, language: Language): string {
  const updates = [...incident.updates].reverse().map((update) => {
    const text = update.texts[language] ?? update.texts.en;
    return `<li><time datetime="${escapeHtml(update.publishedAt)}">${escapeHtml(update.publishedAt)}</time>
<h4>${escapeHtml(text?.title ?? '')}</h4><p>${escapeHtml(text?.body ?? '')}</p></li>`;
  });
  return `<article class="incident severity-${incident.severity}" id="incident-${escapeHtml(incident.id)}">
<h3>${escapeHtml(incident.title)}</h3>
<p>${escapeHtml(incident.severity)} · ${escapeHtml(incident.airports.join(', '))} · ${escapeHtml(incident.window.start)} – ${escapeHtml(incident.window.end)}</p>
<ol>${updates.join('\n')}</ol>
</article>`;
}

/** One page per language; `languageHref` gives the link to each language's page. */
export function statusPage(
  document: StatusDocument,
  language: Language,
  languageHref: (language: Language) => string,
): string {
  const text = HEADINGS[language];
  const switcher = LANGUAGES.map((other) =>
    other === language
      ? `<li><a aria-current="page" lang="${other}" href="${languageHref(other)}">${other.toUpperCase()}</a></li>`
      : `<li><a lang="${other}" hreflang="${other}" href="${languageHref(other)}">${other.toUpperCase()}</a></li>`,
  );
  const current = document.current.map((incident) => incidentSection(incident, language));
  return `<!doctype html>
<html lang="${language}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${text.title}</title></head>
<body>
<header><h1>${text.title}</h1><nav aria-label="Language"><ul>${switcher.join('')}</ul></nav></header>
<main>
<section aria-labelledby="current"><h2 id="current">${text.current}</h2>
${current.length > 0 ? current.join('\n') : `<p>${text.none}</p>`}
</section>
<section aria-labelledby="recent"><h2 id="recent">${text.recent}</h2>
${document.recent.map((incident) => incidentSection(incident, language)).join('\n')}
</section>
</main>
<footer><p><a href="/status.json">JSON</a></p><p>Updated <time datetime="${document.generatedAt}">${document.generatedAt}</time></p></footer>
</body>
</html>
`;
}
