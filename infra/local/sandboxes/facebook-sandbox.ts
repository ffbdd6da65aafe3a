/**
 * The Facebook Graph API's page publishing as Herald uses it: `POST /{version}/{page-id}/feed`
 * for a post and `POST /{version}/{object-id}/comments` for a reply in its thread, with
 * Graph's `{ error: { message, type, code, … } }` bodies.
 *
 * Reading back, for a sender that reconciles: `GET` on the same two edges lists what was
 * published, with Graph's `fields` (`id`, `message`, `created_time`; all three by default),
 * `since` / `until` (Unix seconds or a date), `limit` (default 25, at most 100) and the `after`
 * cursor, answering `{ data, paging: { cursors: { before, after }, next? } }`. The feed is
 * newest first; comments are oldest first unless `order=reverse_chronological`, as in Graph.
 * `created_time` has whole seconds (`2026-05-01T10:00:00+0000`).
 */
import { randomBytes } from 'node:crypto';
import type { RunningSandbox, SandboxReply, SandboxRequest } from './sandbox-server.ts';
import { startSandboxServer } from './sandbox-server.ts';

export interface FacebookSandboxOptions {
  /** 0 picks a free port. */
  port: number;
}

interface GraphErrorFields {
  message: string;
  type: string;
  code: number;
  error_subcode?: number;
  is_transient?: boolean;
}

const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 100;
const LISTED_FIELDS = new Set(['id', 'message', 'created_time']);

/** A post or comment this sandbox published. */
interface GraphObject {
  id: string;
  message: string;
  /** Whole seconds, as Graph's created_time. */
  createdTime: Date;
  /** The page (for a feed post) or the object commented on. */
  parentId: string;
}

/** Graph's created_time: ISO 8601 with `+0000`. */
function graphTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '+0000');
}

/** Unix seconds or a date Graph's strtotime would read; undefined when neither. */
function parseTime(value: string): number | undefined {
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

function cursor(id: string): string {
  return Buffer.from(id).toString('base64url');
}

function graphError(status: number, error: GraphErrorFields, headers?: Record<string, string>): SandboxReply {
  return { status, headers, body: { error: { ...error, fbtrace_id: randomBytes(8).toString('base64url') } } };
}

/** Graph takes parameters from the query string, a form body or a JSON body alike. */
function parameter(request: SandboxRequest, name: string): string | undefined {
  const body = request.body;
  if (typeof body === 'object' && body !== null && name in body) {
    const value: unknown = (body as Record<string, unknown>)[name];
    if (typeof value === 'string') return value;
  }
  return request.query.get(name) ?? undefined;
}

function accessToken(request: SandboxRequest): string | undefined {
  const [scheme, token] = (request.headers.authorization ?? '').split(' ');
  if (token && (scheme === 'Bearer' || scheme === 'OAuth')) return token;
  return parameter(request, 'access_token');
}

/**
 * Starts the Graph sandbox. Any page id is accepted; comments need an object this sandbox
 * created, and that history (and what the list edges show) outlives `DELETE /__sandbox/messages`.
 */
export function startFacebookSandbox(options: FacebookSandboxOptions): Promise<RunningSandbox> {
  /** Every object published since start, oldest first, by id. */
  const objects = new Map<string, GraphObject>();
  const feedMessages = new Set<string>();
  let counter = 0;

  function wholeSecondsNow(): Date {
    return new Date(Math.floor(Date.now() / 1000) * 1000);
  }

  /** `GET /{version}/{object-id}/{feed|comments}` (see the file header). */
  function list(request: SandboxRequest): SandboxReply {
    const objectId = request.params.objectId ?? '';
    const edge = request.params.edge;
    const { query } = request;
    if (!accessToken(request)) {
      return graphError(400, {
        message: 'An access token is required to request this resource.',
        type: 'OAuthException',
        code: 104,
      });
    }
    if (edge === 'comments' && !objects.has(objectId)) {
      return graphError(400, {
        message: `Unsupported get request. Object with ID '${objectId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
        type: 'GraphMethodException',
        code: 100,
        error_subcode: 33,
      });
    }
    const fields = (query.get('fields') ?? 'id,message,created_time').split(',').map((name) => name.trim());
    const unknown = fields.find((name) => !LISTED_FIELDS.has(name));
    if (unknown !== undefined) {
      return graphError(400, {
        message: `(#100) Tried accessing nonexisting field (${unknown})`,
        type: 'OAuthException',
        code: 100,
      });
    }
    const limit = Number(query.get('limit') ?? DEFAULT_LIMIT);
    const bounds: { since?: number; until?: number } = {};
    for (const name of ['since', 'until'] as const) {
      const value = query.get(name);
      if (value === null) continue;
      const time = parseTime(value);
      if (time === undefined) {
        return graphError(400, {
          message: `(#100) Invalid ${name}: ${value}`,
          type: 'OAuthException',
          code: 100,
        });
      }
      bounds[name] = time;
    }
    if (!Number.isInteger(limit) || limit < 1) {
      return graphError(400, { message: '(#100) Invalid limit', type: 'OAuthException', code: 100 });
    }

    const oldestFirst = edge === 'comments' && query.get('order') !== 'reverse_chronological';
    const inOrder = [...objects.values()].filter(
      (object) =>
        object.parentId === objectId &&
        (bounds.since === undefined || object.createdTime.getTime() >= bounds.since) &&
        (bounds.until === undefined || object.createdTime.getTime() <= bounds.until),
    );
    if (!oldestFirst) inOrder.reverse();
    const after = query.get('after');
    const afterId = after === null ? undefined : Buffer.from(after, 'base64url').toString('utf8');
    const afterIndex = afterId === undefined ? -1 : inOrder.findIndex((object) => object.id === afterId);
    // A cursor this list does not hold ends the paging rather than starting it over.
    const startIndex = afterId === undefined ? 0 : afterIndex < 0 ? inOrder.length : afterIndex + 1;
    const page = inOrder.slice(startIndex, startIndex + Math.min(limit, MAX_LIMIT));
    const first = page[0];
    const last = page.at(-1);
    if (!first || !last) return { status: 200, body: { data: [] } };

    const nextParams = new URLSearchParams(query);
    nextParams.set('after', cursor(last.id));
    const next = `http://${request.headers.host ?? '127.0.0.1'}${request.path}?${nextParams}`;
    return {
      status: 200,
      body: {
        data: page.map((object) => ({
          ...(fields.includes('message') ? { message: object.message } : {}),
          ...(fields.includes('created_time') ? { created_time: graphTime(object.createdTime) } : {}),
          id: object.id,
        })),
        paging: {
          cursors: { before: cursor(first.id), after: cursor(last.id) },
          ...(startIndex + page.length < inOrder.length ? { next } : {}),
        },
      },
    };
  }

  function publish(request: SandboxRequest): SandboxReply {
    const objectId = request.params.objectId ?? '';
    const edge = request.params.edge;
    if (!accessToken(request)) {
      return graphError(400, {
        message: 'An access token is required to request this resource.',
        type: 'OAuthException',
        code: 104,
      });
    }
    const message = parameter(request, 'message');
    if (!message) {
      return graphError(400, {
        message: '(#100) Missing message or attachment',
        type: 'OAuthException',
        code: 100,
      });
    }

    if (edge === 'comments') {
      if (!objects.has(objectId)) {
        return graphError(400, {
          message: `Unsupported post request. Object with ID '${objectId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
          type: 'GraphMethodException',
          code: 100,
          error_subcode: 33,
        });
      }
      counter += 1;
      // Graph comment ids pair the parent's own number with the comment's.
      const id = `${objectId.split('_').at(-1)}_${counter}`;
      objects.set(id, { id, message, createdTime: wholeSecondsNow(), parentId: objectId });
      return { status: 200, body: { id }, recordAs: id };
    }

    const feedKey = `${objectId}\n${message}`;
    if (feedMessages.has(feedKey)) {
      return graphError(400, {
        message: 'Duplicate status message',
        type: 'OAuthException',
        code: 506,
        error_subcode: 1455006,
        is_transient: false,
      });
    }
    counter += 1;
    const id = `${objectId}_${counter}`;
    objects.set(id, { id, message, createdTime: wholeSecondsNow(), parentId: objectId });
    feedMessages.add(feedKey);
    return { status: 200, body: { id }, recordAs: id };
  }

  return startSandboxServer(
    {
      name: 'Facebook Graph sandbox',
      routes: [
        {
          method: 'POST',
          path: /^\/(?<version>v\d+\.\d+)\/(?<objectId>[^/]+)\/(?<edge>feed|comments)$/,
          handle: publish,
        },
        {
          method: 'GET',
          path: /^\/(?<version>v\d+\.\d+)\/(?<objectId>[^/]+)\/(?<edge>feed|comments)$/,
          handle: list,
        },
      ],
      faults: {
        // Graph's page rate limit; Retry-After is a sandbox convenience so local retries stay short.
        rateLimited: () =>
          graphError(
            429,
            {
              message: '(#32) Page request limit reached',
              type: 'OAuthException',
              code: 32,
              is_transient: true,
            },
            { 'retry-after': '1' },
          ),
        serverError: () =>
          graphError(500, {
            message: 'An unexpected error has occurred. Please retry your request later.',
            type: 'OAuthException',
            code: 2,
            is_transient: true,
          }),
      },
    },
    options.port,
  );
}
