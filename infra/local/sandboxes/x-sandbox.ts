/**
 * X's `POST /2/tweets` as `twitter-api-v2` sees it: JSON in, `{ data: { id, text } }` out,
 * X's problem-shaped errors (duplicate content, replies to unknown posts) and its rate-limit
 * headers on 429.
 */
import { z } from 'zod';
import { type RunningSandbox, type SandboxReply, startSandboxServer } from './sandbox-server.ts';

export interface XSandboxOptions {
  /** 0 picks a free port. */
  port: number;
}

/** X counts weighted characters; plain length is close enough for the sandbox. */
const MAX_TEXT_LENGTH = 280;

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

/** Starts the X sandbox. Its post history (duplicates, reply targets) outlives `DELETE /__sandbox/messages`. */
export function startXSandbox(options: XSandboxOptions): Promise<RunningSandbox> {
  const postedTexts = new Set<string>();
  const postedIds = new Set<string>();
  // Snowflake-sized ids, so code that wrongly treats them as JS numbers loses precision here too.
  let nextId = 1_900_000_000_000_000_000n;

  function createTweet(authorization: string | undefined, body: unknown): SandboxReply {
    if (!/^(OAuth|Bearer) /.test(authorization ?? '')) return xError(401, 'Unauthorized', 'Unauthorized');
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
    return { status: 201, body: { data: { id, text, edit_history_tweet_ids: [id] } }, recordAs: id };
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
