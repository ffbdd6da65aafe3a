/**
 * SocialPoster on X (API v2 `POST /2/tweets`) through `twitter-api-v2`, with OAuth 1.0a user
 * context. A thread continues with `reply.in_reply_to_tweet_id`. `findPosted` reads the
 * account's own timeline (`GET /2/users/:id/tweets` from `start_time`), where X gives links back
 * as t.co links and escapes `&`, `<` and `>`: both are undone before texts are compared.
 */
import { Agent } from 'node:http';
import {
  ApiPartialResponseError,
  ApiRequestError,
  ApiResponseError,
  type ITwitterApiClientPlugin,
  type TweetV2,
  TwitterApi,
  type TwitterApiv2,
} from 'twitter-api-v2';
import twitterText from 'twitter-text';
import { neverReachedProvider } from '#shared/adapters/connection-errors.ts';
import { PermanentDeliveryError, TransientDeliveryError } from '#shared/domain/errors.ts';
import type { PostedQuery, SocialPost, SocialPoster } from '#shared/ports/providers.ts';

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
/** X's largest timeline page. */
const TIMELINE_PAGE_SIZE = 100;

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

/** X's v2 problem `detail` ("You are not allowed to create a Tweet with duplicate content."), if any. */
function problemDetail(error: ApiResponseError): string | undefined {
  // `data` is typed as X's error JSON but is whatever the body parsed to (text, or nothing).
  const data: unknown = error.data;
  const detail = typeof data === 'object' && data !== null && 'detail' in data ? data.detail : undefined;
  return typeof detail === 'string' ? detail : undefined;
}

/** X's own duplicate signal: v2's 403 detail, or v1.1's error 187 on older paths. */
function isDuplicate(error: ApiResponseError): boolean {
  return (
    error.code === 403 && (problemDetail(error)?.includes('duplicate content') || error.hasErrorCode(187))
  );
}

/**
 * The library's message names X's v1.1 errors but not a v2 problem's detail: added, so the
 * record's last error says why (shared/domain/delivery-problems.ts reads it).
 */
function refusal(error: ApiResponseError): string {
  const detail = problemDetail(error);
  return detail === undefined ? error.message : `${error.message}: ${detail}`;
}

/** `x-rate-limit-reset` is the epoch second when the window reopens. */
function retryAfterMs(error: ApiResponseError): number | undefined {
  const header = error.headers['x-rate-limit-reset'];
  const reset = error.rateLimit?.reset ?? (typeof header === 'string' ? Number(header) : Number.NaN);
  return Number.isFinite(reset) ? Math.max(0, reset * 1000 - Date.now()) : undefined;
}

/**
 * The socket's own error behind an ApiRequestError. twitter-api-v2 (1.29) stores it as
 * `_options.error` while its `requestError` getter reads `_options.requestError`.
 */
function socketError(error: ApiRequestError): unknown {
  if (error.requestError !== undefined) return error.requestError;
  const options: unknown = Reflect.get(error, '_options');
  return typeof options === 'object' && options !== null && 'error' in options ? options.error : undefined;
}

/** `request` says whether the failed call could have created a post. */
function toDeliveryError(error: unknown, request: 'post' | 'query'): unknown {
  if (error instanceof ApiResponseError) {
    // X answered, so it did not take the post.
    if (error.code === 429)
      return new TransientDeliveryError(error.message, retryAfterMs(error), { cause: error });
    if (error.code >= 500) return new TransientDeliveryError(error.message, undefined, { cause: error });
    if (isDuplicate(error)) return new PermanentDeliveryError(refusal(error), 'duplicate', { cause: error });
    if (error.code === 401)
      return new PermanentDeliveryError(refusal(error), 'unauthorized', { cause: error });
    return new PermanentDeliveryError(refusal(error), 'rejected', { cause: error });
  }
  if (error instanceof ApiRequestError) {
    // The connection failed or timed out: unless it never connected, X may have posted.
    return new TransientDeliveryError(`X request failed: ${error.message}`, undefined, {
      cause: error,
      mayHaveBeenAccepted: request === 'post' && !neverReachedProvider(socketError(error)),
    });
  }
  if (error instanceof ApiPartialResponseError) {
    // X had begun to answer when the connection broke.
    return new TransientDeliveryError(`X request failed: ${error.message}`, undefined, {
      cause: error,
      mayHaveBeenAccepted: request === 'post',
    });
  }
  return error;
}

/** A link as X may give it back expanded: no scheme (a bare domain gets `http://`), no trailing slash. */
function bareUrl(url: string): string {
  return url.replace(/^https?:\/\//i, '').replace(/\/$/, '');
}

/** The text as posted, its links (found as X finds them, with twitter-text) made bare. */
function comparablePosted(text: string): string {
  let result = '';
  let last = 0;
  for (const { url, indices } of twitterText.extractUrlsWithIndices(text)) {
    result += text.slice(last, indices[0]) + bareUrl(url);
    last = indices[1];
  }
  return result + text.slice(last);
}

/** The text of a post as X returns it, unescaped and with its t.co links expanded and made bare. */
function comparableReturned(tweet: TweetV2): string {
  let text = tweet.text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
  for (const link of tweet.entities?.urls ?? []) text = text.replaceAll(link.url, bareUrl(link.expanded_url));
  return text;
}

/** X's start_time: RFC 3339 with whole seconds. */
function startTime(since: Date): string {
  return new Date(Math.floor(since.getTime() / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Posts to X; construct once per process (see shared/clients/providers.ts). */
export class XPoster implements SocialPoster {
  readonly #client: TwitterApiv2;
  /** The account's own user id, asked for once (`GET /2/users/me`). */
  #userId: Promise<string> | undefined;

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
      throw toDeliveryError(error, 'post');
    }
  }

  /**
   * 1. The account's id from `GET /2/users/me`, once per poster.
   * 2. Its timeline from `since` floored to the second (`start_time`), 100 posts a page, with
   *    created_at, referenced_tweets and entities (the t.co links).
   * 3. Keep the posts whose text is `text` and, for a thread continuation, that reply to `inReplyTo`.
   */
  async findPosted(query: PostedQuery): Promise<string[]> {
    const wanted = comparablePosted(query.text);
    const since = Math.floor(query.since.getTime() / 1000) * 1000;
    const found: string[] = [];
    try {
      let page = await this.#client.userTimeline(await this.#ownUserId(), {
        start_time: startTime(query.since),
        max_results: TIMELINE_PAGE_SIZE,
        'tweet.fields': ['created_at', 'referenced_tweets', 'entities'],
      });
      for (;;) {
        for (const tweet of page.tweets) {
          if (tweet.created_at !== undefined && Date.parse(tweet.created_at) < since) continue;
          if (comparableReturned(tweet) !== wanted) continue;
          const replyTo = tweet.referenced_tweets?.find((reference) => reference.type === 'replied_to')?.id;
          if (query.inReplyTo !== undefined && replyTo !== query.inReplyTo) continue;
          found.push(tweet.id);
        }
        // Each page on its own: the library's iterator stops early, without a word, when its rate-limit count says 0.
        if (page.done) break;
        page = await page.next();
      }
    } catch (error) {
      throw toDeliveryError(error, 'query');
    }
    return found;
  }

  #ownUserId(): Promise<string> {
    this.#userId ??= this.#client.me().then(
      ({ data }) => data.id,
      (error: unknown) => {
        this.#userId = undefined;
        throw error;
      },
    );
    return this.#userId;
  }
}
