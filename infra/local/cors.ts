/**
 * CORS for the local front door, as API Gateway's corsPreflight does it in AWS: a console served
 * from another loopback origin (a dev server on its own port) may call the API with the headers
 * the manifest lists. Other origins get no CORS headers, so their browsers keep the answers from
 * them; the console served by this server is same-origin and needs none.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { API_CORS_EXPOSED_HEADERS, API_CORS_HEADERS } from '#functions/manifest.ts';

const LOOPBACK_ORIGIN = /^https?:\/\/(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?$/;
const PREFLIGHT_MAX_AGE_SECONDS = 3600;

/**
 * Adds the CORS headers an allowed origin needs to every answer, and answers a preflight itself
 * (true: nothing more to do).
 */
export function applyCors(request: IncomingMessage, response: ServerResponse): boolean {
  const origin = request.headers.origin;
  const allowed = origin !== undefined && LOOPBACK_ORIGIN.test(origin);
  if (allowed) {
    response.setHeader('access-control-allow-origin', origin);
    response.setHeader('vary', 'origin');
    response.setHeader('access-control-expose-headers', API_CORS_EXPOSED_HEADERS.join(', '));
  }
  if (request.method !== 'OPTIONS' || request.headers['access-control-request-method'] === undefined)
    return false;
  response
    .writeHead(204, {
      ...(allowed
        ? {
            'access-control-allow-methods': 'GET, POST, PUT',
            'access-control-allow-headers': API_CORS_HEADERS.join(', '),
            'access-control-max-age': String(PREFLIGHT_MAX_AGE_SECONDS),
          }
        : {}),
    })
    .end();
  return true;
}
