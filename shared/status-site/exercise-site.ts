/**
 * The exercise feed (docs/exercises.md): an exercise's status entries as Atom, RSS, CAP alerts
 * with status `Exercise`, their CAP index and status.json, under `/exercise/`. No page of the
 * public site links there and no public file lists an exercise; it has no HTML pages, so no one
 * who finds it mistakes a rehearsal for the airline's status page.
 */
import { EXERCISE_SITE_PREFIX } from '#shared/domain/exercise.ts';
import { type SiteFile, type SiteOptions, siteFiles } from './site-files.ts';
import type { StatusDocument } from './status-document.ts';

/** Machine-readable files only: the pages and the "not found" page stay the public site's. */
const FEED_FILE = /^(cap\/.*|feed\.atom|feed\.rss|cap\.atom|status\.json)$/;

export function exerciseSiteFiles(document: StatusDocument, { siteUrl }: SiteOptions): SiteFile[] {
  return siteFiles(document, { siteUrl: `${siteUrl}/${EXERCISE_SITE_PREFIX}`, capStatus: 'Exercise' })
    .filter((file) => FEED_FILE.test(file.key))
    .map((file) => ({ ...file, key: `${EXERCISE_SITE_PREFIX}/${file.key}` }));
}
