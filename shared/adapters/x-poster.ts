/**
 * SocialPoster on X (API v2 `POST /2/tweets`) through `twitter-api-v2`, with OAuth 1.0a user
 * context. A thread continues with `reply.in_reply_to_tweet_id`.
 */
import { Agent } from 'node:http';
import {
  ApiPartialResponseError,
  ApiRequestError,
  ApiResponseError,
  type ITwitterApiClientPlugin,
  TwitterApi,
  type TwitterApiv2,
} from 'twitter-api-v2';
import { PermanentDeliveryError, TransientDeliveryError } from '#shared/domain/errors.ts';
import type { SocialPost, SocialPoster } from '#shared/ports/providers.ts';

export interface XPosterSettings {
  appKey: string;
  appSecret: string;
  accessToken: string;
  accessSecret: string;
  /** Replaces the origin of api.x.com (the local sandbox); X's own hosts when absent. */
  apiBaseUrl?: string;
  /** Per-request timeout; a slow X becomes a TransientDeliveryError. Default 10 s. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * The library hard-codes https://api.x.com and has no default timeout: this plugin runs
 * before the OAuth signature is computed, so the signed URL is the one actually called.
 */
function requestSettingsPlugin(apiBaseUrl: string | undefined, timeoutMs: number): ITwitterApiClientPlugin {
  const origin = apiBaseUrl === undefined ? undefined : new URL(apiBaseUrl).origin;
  return {
    onBeforeRequestConfig({ url, params }) {
      params.timeout ??= timeoutMs;
      if (origin !== undefined) params.url = `${origin}${url.pathname}${url.search}`;
    },
  };
}

/** X's own duplicate signal: v2's 403 detail, or v1.1's error 187 on older paths. */
function isDuplicate(error: ApiResponseError): boolean {
  // `data` is typed as X's error JSON but is whatever the body parsed to (text, or nothing).
  const data: unknown = error.data;
  const detail = typeof data === 'object' && data !== null && 'detail' in data ? data.detail : undefined;
  return (
    error.code === 403 &&
    ((typeof detail === 'string' && detail.includes('duplicate content')) || error.hasErrorCode(187))
  );
}

/** `x-rate-limit-reset` is the epoch second when the window reopens. */
function retryAfterMs(error: ApiResponseError): number | undefined {
  const header = error.headers['x-rate-limit-reset'];
  const reset = error.rateLimit?.reset ?? (typeof header === 'string' ? Number(header) : Number.NaN);
  return Number.isFinite(reset) ? Math.max(0, reset * 1000 - Date.now()) : undefined;
}

function toDeliveryError(error: unknown): unknown {
  if (error instanceof ApiResponseError) {
    if (error.code === 429)
      return new TransientDeliveryError(error.message, retryAfterMs(error), { cause: error });
    if (error.code >= 500) return new TransientDeliveryError(error.message, undefined, { cause: error });
    if (isDuplicate(error)) return new PermanentDeliveryError(error.message, 'duplicate', { cause: error });
    if (error.code === 401)
      return new PermanentDeliveryError(error.message, 'unauthorized', { cause: error });
    return new PermanentDeliveryError(error.message, 'rejected', { cause: error });
  }
  if (error instanceof ApiRequestError || error instanceof ApiPartialResponseError) {
    // The connection failed, timed out or broke mid-answer: X may or may not have posted.
    return new TransientDeliveryError(`X request failed: ${error.message}`, undefined, { cause: error });
  }
  return error;
}

/** Posts to X; construct once per process (see shared/clients/providers.ts). */
export class XPoster implements SocialPoster {
  readonly #client: TwitterApiv2;

  constructor(settings: XPosterSettings) {
    const { appKey, appSecret, accessToken, accessSecret, apiBaseUrl } = settings;
    const plainHttp = apiBaseUrl !== undefined && new URL(apiBaseUrl).protocol === 'http:';
    this.#client = new TwitterApi(
      { appKey, appSecret, accessToken, accessSecret },
      {
        plugins: [requestSettingsPlugin(apiBaseUrl, settings.timeoutMs ?? DEFAULT_TIMEOUT_MS)],
        // The library always calls https.request; Node only lets it speak plain http with an http agent.
        ...(plainHttp ? { httpAgent: new Agent({ keepAlive: true }) } : {}),
      },
    ).v2;
  }

  async post(post: SocialPost): Promise<{ providerId: string }> {
    try {
      const result = await this.#client.tweet(
        post.text,
        post.inReplyTo === undefined ? {} : { reply: { in_reply_to_tweet_id: post.inReplyTo } },
      );
      return { providerId: result.data.id };
    } catch (error) {
      throw toDeliveryError(error);
    }
  }
}
