/**
 * X's `POST /2/tweets` as `twitter-api-v2` sees it: JSON in, `{ data: { id, text } }` out,
 * X's problem-shaped errors (duplicate content, replies to unknown posts) and its rate-limit
 * headers on 429.
 *
 * Reading back, for a sender that reconciles: `GET /2/users/me` names the one account every
 * token posts as, and `GET /2/users/:id/tweets` lists its posts newest first with X's
 * `start_time`, `end_time`, `max_results` (5–100, default 10), `pagination_token`, `exclude` and
 * `tweet.fields` (`created_at` and `referenced_tweets` only when asked for, as X does), answering
 * `{ data, meta: { result_count, newest_id, oldest_id, next_token? } }`. As at X, `created_at`
 * has whole seconds, and the text comes back with `&`, `<` and `>` escaped and every link (as
 * twitter-text finds them) replaced by a t.co link, listed in `entities.urls` when `entities`
 * is asked for.
 */
import { randomBytes } from 'node:crypto';
import twitterText from 'twitter-text';
import { z } from 'zod';
import { type RunningSandbox, type SandboxReply, startSandboxServer } from './sandbox-server.ts';

export interface XSandboxOptions {
  /** 0 picks a free port. */
  port: number;
}

/** X counts weighted characters; plain length is close enough for the sandbox. */
const MAX_TEXT_LENGTH = 280;

/** The account every token posts as. */
const ACCOUNT = { id: '1800000000000000001', name: 'Herald Sandbox', username: 'herald_sandbox' };
const DEFAULT_MAX_RESULTS = 10;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/;

interface UrlEntity {
  start: number;
  end: number;
  url: string;
  expanded_url: string;
  display_url: string;
}

interface StoredTweet {
  id: string;
  /** As X returns it: escaped, links shortened. */
  text: string;
  urls: UrlEntity[];
  /** Whole seconds, as X's created_at. */
  createdAt: Date;
  repliedTo?: string;
}

const tweetSchema = z.object({
  text: z.string().min(1),
  reply: z.object({ in_reply_to_tweet_id: z.string().min(1) }).optional(),
});

/** X's error body for 4xx/5xx: RFC 7807-like with `about:blank`. */
function xError(
  status: number,
  title: string,
  detail: string,
  headers?: Record<string, string>,
): SandboxReply {
  return { status, headers, body: { detail, type: 'about:blank', title, status } };
}

/** X's 400 for a query parameter it cannot use. */
function invalidParameter(name: string, message: string): SandboxReply {
  return {
    status: 400,
    body: {
      errors: [{ parameters: { [name]: [] }, message }],
      title: 'Invalid Request',
      detail: 'One or more parameters to your request was invalid.',
      type: 'https://api.twitter.com/2/problems/invalid-request',
    },
  };
}

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** The text as X stores it: escaped, each link a t.co link; entity offsets count code points. */
function asStored(posted: string): { text: string; urls: UrlEntity[] } {
  let text = '';
  let last = 0;
  const urls: UrlEntity[] = [];
  for (const { url, indices } of twitterText.extractUrlsWithIndices(posted)) {
    text += escapeHtml(posted.slice(last, indices[0]));
    const short = `https://t.co/${randomBytes(5).toString('hex')}`;
    const start = [...text].length;
    text += short;
    const expanded = /^https?:\/\//i.test(url) ? url : `http://${url}`;
    urls.push({
      start,
      end: start + short.length,
      url: short,
      expanded_url: expanded,
      display_url: expanded.replace(/^https?:\/\/(www\.)?/i, ''),
    });
    last = indices[1];
  }
  return { text: text + escapeHtml(posted.slice(last)), urls };
}

function isAuthorized(authorization: string | undefined): boolean {
  return /^(OAuth|Bearer) /.test(authorization ?? '');
}

/**
 * Starts the X sandbox. Its post history (duplicates, reply targets, the timeline) outlives
 * `DELETE /__sandbox/messages`.
 */
export function startXSandbox(options: XSandboxOptions): Promise<RunningSandbox> {
  const postedTexts = new Set<string>();
  const postedIds = new Set<string>();
  /** Oldest first. */
  const tweets: StoredTweet[] = [];
  // Snowflake-sized ids, so code that wrongly treats them as JS numbers loses precision here too.
  let nextId = 1_900_000_000_000_000_000n;

  function createTweet(authorization: string | undefined, body: unknown): SandboxReply {
    if (!isAuthorized(authorization)) return xError(401, 'Unauthorized', 'Unauthorized');
    const parsed = tweetSchema.safeParse(body);
    if (!parsed.success) {
      return {
        status: 400,
        body: {
          errors: parsed.error.issues.map((issue) => ({
            parameters: { [issue.path.join('.') || 'body']: [] },
            message: issue.message,
          })),
          title: 'Invalid Request',
          detail: 'One or more parameters to your request was invalid.',
          type: 'https://api.twitter.com/2/problems/invalid-request',
        },
      };
    }
    const { text, reply } = parsed.data;
    if ([...text].length > MAX_TEXT_LENGTH) {
      return xError(403, 'Forbidden', 'Your Tweet text is too long.');
    }
    if (postedTexts.has(text)) {
      return xError(403, 'Forbidden', 'You are not allowed to create a Tweet with duplicate content.');
    }
    if (reply && !postedIds.has(reply.in_reply_to_tweet_id)) {
      return xError(
        403,
        'Forbidden',
        'You attempted to reply to a Tweet that is deleted or not visible to you.',
      );
    }
    nextId += 1n;
    const id = String(nextId);
    postedTexts.add(text);
    postedIds.add(id);
    tweets.push({
      id,
      ...asStored(text),
      createdAt: new Date(Math.floor(Date.now() / 1000) * 1000),
      ...(reply ? { repliedTo: reply.in_reply_to_tweet_id } : {}),
    });
    return { status: 201, body: { data: { id, text, edit_history_tweet_ids: [id] } }, recordAs: id };
  }

  /** `GET /2/users/:id/tweets` (see the file header). */
  function userTimeline(
    userId: string,
    authorization: string | undefined,
    query: URLSearchParams,
  ): SandboxReply {
    if (!isAuthorized(authorization)) return xError(401, 'Unauthorized', 'Unauthorized');
    const maxResults = Number(query.get('max_results') ?? DEFAULT_MAX_RESULTS);
    if (!Number.isInteger(maxResults) || maxResults < 5 || maxResults > 100) {
      return invalidParameter(
        'max_results',
        `The \`max_results\` query parameter value [${query.get('max_results')}] is not between 5 and 100`,
      );
    }
    const times: { start_time?: number; end_time?: number } = {};
    for (const name of ['start_time', 'end_time'] as const) {
      const value = query.get(name);
      if (value === null) continue;
      if (!ISO_TIME.test(value)) {
        return invalidParameter(
          name,
          `Invalid '${name}':'${value}'. '${name}' must be a valid RFC 3339 date-time`,
        );
      }
      times[name] = Date.parse(value);
    }
    const token = query.get('pagination_token');
    let before: bigint | undefined;
    if (token !== null) {
      const decoded = Buffer.from(token, 'base64url').toString('utf8');
      if (!/^\d+$/.test(decoded)) return invalidParameter('pagination_token', 'Invalid pagination token');
      before = BigInt(decoded);
    }
    const fields = new Set((query.get('tweet.fields') ?? '').split(',').filter(Boolean));
    const excluded = new Set((query.get('exclude') ?? '').split(',').filter(Boolean));

    const matching =
      userId === ACCOUNT.id
        ? tweets
            .filter(
              (tweet) =>
                (times.start_time === undefined || tweet.createdAt.getTime() >= times.start_time) &&
                // X's end_time is exclusive.
                (times.end_time === undefined || tweet.createdAt.getTime() < times.end_time) &&
                (before === undefined || BigInt(tweet.id) < before) &&
                !(excluded.has('replies') && tweet.repliedTo !== undefined),
            )
            .reverse()
        : [];
    const page = matching.slice(0, maxResults);
    const newest = page[0];
    const oldest = page.at(-1);
    if (!newest || !oldest) return { status: 200, body: { meta: { result_count: 0 } } };
    return {
      status: 200,
      body: {
        data: page.map((tweet) => ({
          id: tweet.id,
          text: tweet.text,
          edit_history_tweet_ids: [tweet.id],
          ...(fields.has('created_at') ? { created_at: tweet.createdAt.toISOString() } : {}),
          ...(fields.has('entities') && tweet.urls.length > 0 ? { entities: { urls: tweet.urls } } : {}),
          ...(fields.has('referenced_tweets') && tweet.repliedTo !== undefined
            ? { referenced_tweets: [{ type: 'replied_to', id: tweet.repliedTo }] }
            : {}),
        })),
        meta: {
          result_count: page.length,
          newest_id: newest.id,
          oldest_id: oldest.id,
          ...(matching.length > page.length
            ? { next_token: Buffer.from(oldest.id).toString('base64url') }
            : {}),
        },
      },
    };
  }

  return startSandboxServer(
    {
      name: 'X sandbox',
      routes: [
        {
          method: 'POST',
          path: /^\/2\/tweets$/,
          handle: ({ headers, body }) => createTweet(headers.authorization, body),
        },
        {
          method: 'GET',
          path: /^\/2\/users\/me$/,
          handle: ({ headers }) =>
            isAuthorized(headers.authorization)
              ? { status: 200, body: { data: ACCOUNT } }
              : xError(401, 'Unauthorized', 'Unauthorized'),
        },
        {
          method: 'GET',
          path: /^\/2\/users\/(?<userId>\d+)\/tweets$/,
          handle: ({ params, headers, query }) =>
            userTimeline(params.userId ?? '', headers.authorization, query),
        },
      ],
      faults: {
        rateLimited: () =>
          xError(429, 'Too Many Requests', 'Too Many Requests', {
            'x-rate-limit-limit': '100',
            'x-rate-limit-remaining': '0',
            // Epoch seconds, rounded up so the window is never already over when the client reads it.
            'x-rate-limit-reset': String(Math.ceil(Date.now() / 1000) + 1),
          }),
        serverError: () => xError(500, 'Internal Server Error', 'Internal Server Error'),
      },
    },
    options.port,
  );
}
