/** Every file of the public status site, rendered from the one status document. */
import { LANGUAGES } from '#shared/domain/model.ts';
import { atomFeed, rssFeed } from './atom-rss.ts';
import { type CapOptions, capAlerts, capAlertXml, capPath } from './cap.ts';
import { capIndex } from './cap-index.ts';
import { notFoundPage } from './not-found-page.ts';
import { NOT_FOUND_KEY } from './site-paths.ts';
import type { StatusDocument } from './status-document.ts';
import { statusPage, statusPagePath } from './status-page.ts';

export interface SiteFile {
  /** The object key: the URL path without its leading slash. */
  key: string;
  body: string;
  contentType: string;
}

export interface SiteOptions extends CapOptions {
  /** The site's public origin, without a trailing slash: feeds and CAP need absolute URLs. */
  siteUrl: string;
}

const key = (path: string) => path.replace(/^\//, '');

export function siteFiles(document: StatusDocument, options: SiteOptions): SiteFile[] {
  const alerts = capAlerts(document, options);
  // Alerts first, then what links to them, so no index or page points at a file not yet written;
  // status.json last, so a reader that sees it changed finds every other file changed too.
  return [
    ...alerts.map((alert) => ({
      key: key(capPath(alert.id)),
      body: capAlertXml(alert, options),
      contentType: 'application/cap+xml; charset=utf-8',
    })),
    {
      key: 'feed.atom',
      body: atomFeed(document, options),
      contentType: 'application/atom+xml; charset=utf-8',
    },
    { key: 'feed.rss', body: rssFeed(document, options), contentType: 'application/rss+xml; charset=utf-8' },
    {
      key: 'cap.atom',
      body: capIndex(alerts, document.generatedAt, options),
      contentType: 'application/atom+xml; charset=utf-8',
    },
    ...LANGUAGES.map((language) => ({
      key: key(statusPagePath(language)),
      body: statusPage(document, language),
      contentType: 'text/html; charset=utf-8',
    })),
    { key: NOT_FOUND_KEY, body: notFoundPage(), contentType: 'text/html; charset=utf-8' },
    {
      key: 'status.json',
      body: JSON.stringify(document, null, 2),
      contentType: 'application/json; charset=utf-8',
    },
  ];
}
