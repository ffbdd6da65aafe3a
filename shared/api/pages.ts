/**
 * How a client reads the API's lists and exports to the end: the console and the CLI share
 * these loops, so both follow the same cursor and the same `Link` header.
 */
import { LIST_PAGE_SIZE } from '#shared/domain/limits.ts';
import type { Page } from '#shared/domain/page.ts';

/**
 * Every item of a list route, following `next` page by page, each page the largest the API
 * gives. `get` fetches a path of the API and returns its JSON.
 */
export async function allPages<T>(path: string, get: (path: string) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  const separator = path.includes('?') ? '&' : '?';
  let next: string | undefined;
  do {
    const cursor = next === undefined ? '' : `&next=${encodeURIComponent(next)}`;
    const page = await get(`${path}${separator}limit=${LIST_PAGE_SIZE.max}${cursor}`);
    items.push(...page.items);
    next = page.next;
  } while (next !== undefined);
  return items;
}

/** One page of a paged text export: its body, and its `Link` header (which names the next page). */
export interface TextPage {
  text: string;
  link: string | null;
}

/** The target of a `Link` header's `rel="next"` (RFC 8288), if it has one. */
export function nextLink(link: string | null): string | undefined {
  for (const value of (link ?? '').split(',')) {
    const match = /^\s*<([^>]*)>\s*;\s*rel="?next"?\s*$/.exec(value);
    if (match) return match[1];
  }
  return undefined;
}

/**
 * Every page of a paged text export (the evidence), in order, following each page's
 * `Link: <…>; rel="next"` until a page has none. `get` fetches a path of the API. Pages are
 * yielded as they come, so a caller writing them out holds one page at a time, whatever the
 * export's size.
 */
export async function* textPages(
  path: string,
  get: (path: string) => Promise<TextPage>,
): AsyncGenerator<string> {
  let next: string | undefined = path;
  while (next !== undefined) {
    const page = await get(next);
    yield page.text;
    next = nextLink(page.link);
  }
}
