/**
 * The Facebook Graph API's page publishing as Herald uses it: `POST /{version}/{page-id}/feed`
 * for a post and `POST /{version}/{object-id}/comments` for a reply in its thread, with
 * Graph's `{ error: { message, type, code, … } }` bodies.
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
 * created, and that history outlives `DELETE /__sandbox/messages`.
 */
export function startFacebookSandbox(options: FacebookSandboxOptions): Promise<RunningSandbox> {
  const objects = new Set<string>();
  const feedMessages = new Set<string>();
  let counter = 0;

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
      objects.add(id);
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
    objects.add(id);
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
