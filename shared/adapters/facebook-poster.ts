/**
 * SocialPoster on a Facebook Page through the Graph API, with plain fetch: Herald needs two
 * edges, not an SDK. A post goes to `/{page-id}/feed`; a continuation of a thread is a
 * comment on the earlier post (`/{object-id}/comments`). `findPosted` reads the same edges back.
 */
import { z } from 'zod';
import { neverReachedProvider } from '#shared/adapters/connection-errors.ts';
import { PermanentDeliveryError, TransientDeliveryError } from '#shared/domain/errors.ts';
import type { PostedQuery, SocialPost, SocialPoster } from '#shared/ports/providers.ts';

export interface FacebookPosterSettings {
  pageId: string;
  /** A Page access token with pages_manage_posts. */
  pageToken: string;
  /** `https://graph.facebook.com`, or the local sandbox. */
  graphBaseUrl: string;
  /** e.g. `v21.0`. */
  graphVersion: string;
  /** Per-request timeout; a slow Graph becomes a TransientDeliveryError. Default 10 s. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** Graph's largest page for feeds and comments. */
const LIST_LIMIT = 100;

/** Graph's throttling codes (app, user, page, custom and business rate limits). */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80001]);
const DUPLICATE_CODE = 506;
const INVALID_TOKEN_CODE = 190;

const createdSchema = z.object({ id: z.string().min(1) });

const listSchema = z.object({
  data: z.array(
    z.object({
      id: z.string().min(1),
      // A post made of a photo alone has none.
      message: z.string().optional(),
      created_time: z.string(),
    }),
  ),
  paging: z.object({ next: z.string().optional() }).optional(),
});

type ListPage = z.infer<typeof listSchema>;

/** Graph's created_time (`2026-05-01T10:00:00+0000`) in milliseconds; `+0000` made ISO's `+00:00` first. */
function graphTimeMs(value: string): number {
  return Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

const graphErrorSchema = z.object({
  error: z.object({
    message: z.string().optional(),
    code: z.number().optional(),
    error_subcode: z.number().optional(),
    is_transient: z.boolean().optional(),
  }),
});

type GraphError = z.infer<typeof graphErrorSchema>['error'];

/** Delta-seconds or HTTP-date, as RFC 9110 allows. */
function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return (await response.json()) as unknown;
  } catch {
    return undefined;
  }
}

function toDeliveryError(response: Response, body: unknown, request: 'post' | 'query' = 'post'): Error {
  const parsed = graphErrorSchema.safeParse(body);
  const graph: GraphError = parsed.success ? parsed.data.error : {};
  const description = `Facebook Graph refused the ${request}: HTTP ${response.status}, code ${graph.code ?? 'none'}${
    graph.message ? ` (${graph.message})` : ''
  }`;
  const throttled = response.status === 429 || (graph.code !== undefined && RATE_LIMIT_CODES.has(graph.code));
  if (throttled || response.status >= 500 || graph.is_transient === true) {
    return new TransientDeliveryError(description, parseRetryAfter(response.headers.get('retry-after')));
  }
  if (graph.code === DUPLICATE_CODE) return new PermanentDeliveryError(description, 'duplicate');
  if (graph.code === INVALID_TOKEN_CODE || response.status === 401) {
    return new PermanentDeliveryError(description, 'unauthorized');
  }
  return new PermanentDeliveryError(description, 'rejected');
}

/** Posts to one Facebook Page; construct once per process (see shared/clients/providers.ts). */
export class FacebookPoster implements SocialPoster {
  readonly #settings: FacebookPosterSettings;
  readonly #versionUrl: string;

  constructor(settings: FacebookPosterSettings) {
    this.#settings = settings;
    this.#versionUrl = `${settings.graphBaseUrl.replace(/\/+$/, '')}/${encodeURIComponent(settings.graphVersion)}`;
  }

  async post(post: SocialPost): Promise<{ providerId: string }> {
    const [objectId, edge] =
      post.inReplyTo === undefined ? [this.#settings.pageId, 'feed'] : [post.inReplyTo, 'comments'];
    const url = `${this.#versionUrl}/${encodeURIComponent(objectId)}/${edge}`;

    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        // In the body rather than the query string, so the token stays out of access logs.
        body: new URLSearchParams({ message: post.text, access_token: this.#settings.pageToken }),
        signal: AbortSignal.timeout(this.#settings.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
    } catch (error) {
      // Timeout or reset connection: Graph may or may not have posted; a refused one it has not.
      const reason = error instanceof Error ? error.name : 'unknown';
      throw new TransientDeliveryError(`Facebook Graph request failed (${reason})`, undefined, {
        cause: error,
        mayHaveBeenAccepted: !neverReachedProvider(error),
      });
    }

    const body = await readJson(response);
    if (!response.ok) throw toDeliveryError(response, body);
    const created = createdSchema.safeParse(body);
    if (!created.success) {
      throw new TransientDeliveryError(`Facebook Graph answered HTTP ${response.status} without a post id`);
    }
    return { providerId: created.data.id };
  }

  /**
   * 1. A post: the page feed from `since` floored to the second (`since`, Unix seconds); a thread
   *    continuation: the comments on `inReplyTo`, newest first (`order=reverse_chronological`).
   * 2. Follow `paging.next` until the pages run out or reach comments older than `since`.
   * 3. Keep the ids whose message is exactly `text` and whose created_time is at or after `since`.
   */
  async findPosted(query: PostedQuery): Promise<string[]> {
    const since = Math.floor(query.since.getTime() / 1000) * 1000;
    const params = new URLSearchParams({ fields: 'id,message,created_time', limit: String(LIST_LIMIT) });
    let path: string;
    if (query.inReplyTo === undefined) {
      params.set('since', String(since / 1000));
      path = `${encodeURIComponent(this.#settings.pageId)}/feed`;
    } else {
      params.set('order', 'reverse_chronological');
      path = `${encodeURIComponent(query.inReplyTo)}/comments`;
    }

    const found: string[] = [];
    let next: string | undefined = `${this.#versionUrl}/${path}?${params}`;
    while (next !== undefined) {
      const page = await this.#list(next);
      let pastSince = false;
      for (const item of page.data) {
        if (graphTimeMs(item.created_time) < since) {
          pastSince = true;
          continue;
        }
        if (item.message === query.text) found.push(item.id);
      }
      next = pastSince || page.paging?.next === undefined ? undefined : this.#sameOrigin(page.paging.next);
    }
    return found;
  }

  async #list(url: string): Promise<ListPage> {
    let response: Response;
    try {
      response = await fetch(url, {
        // In a header rather than the query string, so the token stays out of access logs and paging links.
        headers: { authorization: `Bearer ${this.#settings.pageToken}` },
        signal: AbortSignal.timeout(this.#settings.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.name : 'unknown';
      throw new TransientDeliveryError(`Facebook Graph request failed (${reason})`, undefined, {
        cause: error,
      });
    }
    const body = await readJson(response);
    if (!response.ok) throw toDeliveryError(response, body, 'query');
    const page = listSchema.safeParse(body);
    if (!page.success) {
      throw new TransientDeliveryError(`Facebook Graph answered HTTP ${response.status} without a list`);
    }
    return page.data;
  }

  /** Graph's paging links name its own host: the token goes only to the configured origin (the sandbox, locally). */
  #sameOrigin(link: string): string {
    const target = new URL(link);
    return `${new URL(this.#settings.graphBaseUrl).origin}${target.pathname}${target.search}`;
  }
}
