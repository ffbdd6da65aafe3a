/**
 * The site's answer to an address it has no page for: in its own style, saying so in every
 * language and linking to each language's page, instead of an error in JSON or XML.
 */
import { LANGUAGES } from '#shared/domain/model.ts';
import { escapeMarkup as e } from './html.ts';
import { LABELS } from './labels.ts';
import { STATUS_PAGE_STYLE, statusPagePath } from './status-page.ts';

export function notFoundPage(): string {
  const notices = LANGUAGES.map((language) => {
    const labels = LABELS[language];
    return `<section lang="${language}" aria-labelledby="not-found-${language}">
<h2 id="not-found-${language}">${e(labels.notFound)}</h2>
<p><a href="${statusPagePath(language)}">${e(labels.title)}</a></p>
</section>`;
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${e(LABELS.en.notFound)} – ${e(LABELS.en.title)}</title>
<link rel="icon" href="data:,">
<style>${STATUS_PAGE_STYLE}</style>
</head>
<body>
<header><div class="wrap">
<h1>${e(LABELS.en.title)}</h1>
</div></header>
<main id="main"><div class="wrap">
${notices.join('\n')}
</div></main>
</body>
</html>
`;
}
