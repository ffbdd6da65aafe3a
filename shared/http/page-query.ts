import { z } from 'zod';

/**
 * The query of a list route: `limit` (default and maximum from shared/domain/limits.ts) and the
 * `next` cursor of the page before, which the store decodes (400 for one it did not issue).
 */
export function pageQuery(size: { default: number; max: number }) {
  return z.object({
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(size.max, `At most ${size.max} items a page.`)
      .default(size.default),
    next: z.string().min(1, 'Pass the `next` value of the previous page.').optional(),
  });
}
