/**
 * Where the status site's pages are, and the addresses people type for them that are not
 * theirs: a trailing slash, or `/status/en` for the English page (which is `/status`, the
 * others being `/status/fi` and `/status/sv`). Each is answered with a permanent redirect to
 * the page, locally by the front door and in AWS by a CloudFront function built from the same
 * table; any other missing file is the site's own "not found" page.
 */
import { LANGUAGES } from '#shared/domain/model.ts';
import { statusPagePath } from './status-page.ts';

/** The object key of the site's "not found" page (CloudFront's error response names it as `/404.html`). */
export const NOT_FOUND_KEY = '404.html';

/** The path typed → the page it means. */
export const STATUS_REDIRECTS: Readonly<Record<string, string>> = Object.fromEntries([
  ...LANGUAGES.map((language) => [`${statusPagePath(language)}/`, statusPagePath(language)]),
  ['/status/en', statusPagePath('en')],
  ['/status/en/', statusPagePath('en')],
]);

/** The page a path means, when it is one of the site's pages written another way. */
export function statusRedirect(path: string): string | undefined {
  return Object.hasOwn(STATUS_REDIRECTS, path) ? STATUS_REDIRECTS[path] : undefined;
}
