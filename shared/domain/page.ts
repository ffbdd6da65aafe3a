/** Lists a page at a time: what a store's list answers, and the body of every list route. */

/** A page of a list route: `limit` items at most, after the `next` cursor of the page before. */
export interface PageRequest {
  limit: number;
  next?: string;
}

/** `next` is set when more items may follow: pass it back as it is for the next page. */
export interface Page<T> {
  items: T[];
  next?: string;
}
