import { LIST_PAGE_SIZE } from '#shared/domain/limits.ts';
import type { Page } from '#shared/ports/stores.ts';

/**
 * Every item of a list route (`GET /incidents`, `/templates`…), following `next` page by page,
 * each page the largest the API gives: the one loop the console and the CLI share. `get` fetches
 * a path of the API and returns its JSON.
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
