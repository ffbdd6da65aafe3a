/**
 * SocialPoster on a Facebook Page through the Graph API, with plain fetch: Herald needs two
 * endpoints, not an SDK. A post goes to `/{page-id}/feed`; a continuation of a thread is a
 * comment on the earlier post (`/{object-id}/comments`).
 */
import { z } from 'zod';
import { PermanentDeliveryError, TransientDeliveryError } from '#shared/domain/errors.ts';
import type { SocialPost, SocialPoster } from '#shared/ports/providers.ts';

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

/** Graph's throttling codes (app, user, page, custom and business rate limits). */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80001]);
const DUPLICATE_CODE = 506;
const INVALID_TOKEN_CODE = 190;

const createdSchema = z.object({ id: z.string().min(1) });

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

function toDeliveryError(response: Response, body: unknown): Error {
  const parsed = graphErrorSchema.safeParse(body);
  const graph: GraphError = parsed.success ? parsed.data.error : {};
  const description = `Facebook Graph refused the post: HTTP ${response.status}, code ${graph.code ?? 'none'}${
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
      // Timeout, refused or reset connection: Graph may or may not have posted.
      const reason = error instanceof Error ? error.name : 'unknown';
      throw new TransientDeliveryError(`Facebook Graph request failed (${reason})`, undefined, {
        cause: error,
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
}
