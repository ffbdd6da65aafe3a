/**
 * The local front door: what API Gateway and CloudFront do in AWS. API requests become API
 * Gateway v2 events with the caller's identity in JWT-authorizer form and go to the route's
 * handler; everything else is served from the status bucket's folder.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { API_ROUTES, type ApiRoute } from '#functions/manifest.ts';
import type { Problem } from '#shared/api/problem.ts';
import { DEFAULT_DISPLAY_ZONE } from '#shared/domain/display-time.ts';
import {
  LOCAL_API_REQUESTS_IN_FLIGHT,
  LOCAL_WEBHOOK_REQUESTS_IN_FLIGHT,
  MAX_BODY_BYTES,
  MAX_HEADER_BYTES,
} from '#shared/domain/limits.ts';
import { HttpProblemError, problemResponse, toProblem } from '#shared/http/problem.ts';
import { NOT_FOUND_KEY, statusRedirect } from '#shared/status-site/site-paths.ts';
import type { ApprovalInbox } from './approval-inbox.ts';
import { serveCapacity } from './capacity-endpoint.ts';
import { applyCors } from './cors.ts';
import type { LocalObjectStore } from './object-store.ts';
import { platformLogger } from './platform-log.ts';
import { LambdaStoppedError } from './runtime/local-lambda.ts';
import type { LocalUser } from './users.ts';

/** Invokes a route's function with API Gateway's event (its runtime makes the Lambda context). */
export type ApiHandler = (
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
) => Promise<APIGatewayProxyStructuredResultV2>;

interface CompiledRoute {
  route: ApiRoute;
  method: string;
  pattern: RegExp;
  parameterNames: string[];
}

function compile(route: ApiRoute): CompiledRoute {
  const [method = '', path = ''] = route.routeKey.split(' ');
  const parameterNames: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      const parameter = /^\{(\w+)\}$/.exec(segment)?.[1];
      if (!parameter) return segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      parameterNames.push(parameter);
      return '([^/]+)';
    })
    .join('/');
  return { route, method, pattern: new RegExp(`^${source}$`), parameterNames };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const declared = Number(request.headers['content-length'] ?? 0);
  const tooLarge = () =>
    new HttpProblemError(
      413,
      'Content Too Large',
      `A request body may hold at most ${MAX_BODY_BYTES} bytes.`,
    );
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A path segment decoded as API Gateway and CloudFront would; bad %-encoding is the caller's 400. */
function decodePath(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpProblemError(400, 'Bad Request', 'The path is not valid percent-encoding (UTF-8).');
  }
}

/**
 * The request's URL, parsed against a fixed origin: the path is what routes it. A Host header no
 * URL can be made of is a 400, as RFC 9112 §3.2 asks (it threw outside any try and ended the process).
 */
function requestUrl(request: IncomingMessage): URL {
  const host = request.headers.host;
  if (host === undefined ? request.httpVersion !== '1.0' : !URL.canParse(`http://${host}/`))
    throw new HttpProblemError(400, 'Bad Request', 'Send a valid Host header.');
  try {
    return new URL(request.url ?? '/', 'http://127.0.0.1');
  } catch {
    throw new HttpProblemError(400, 'Bad Request', 'The request target is not a valid URL path.');
  }
}

const STACK_STOPPING: Problem = {
  type: 'about:blank',
  title: 'Service Unavailable',
  status: 503,
  detail: 'The local stack is stopping.',
};

/**
 * The problem+json answer to an error thrown while serving a request: handlers answer their own
 * errors, so what arrives here is the front door's (bad path or URL, body too large) or a fault.
 */
function sendError(response: ServerResponse, error: unknown): void {
  if (response.headersSent) {
    // Half an answer is out: all that can be said now is that it ends here.
    response.destroy();
    return;
  }
  // A request that came in while the stack was closing found its function stopped: no fault.
  const stopping = error instanceof LambdaStoppedError;
  const problem = stopping ? STACK_STOPPING : toProblem(error);
  if (problem.status >= 500 && !stopping) platformLogger.error('Front door failed', { error });
  const result = problemResponse(problem);
  // A body left unread (too large) is not drained: the connection closes with the answer.
  send(response, { ...result, headers: { ...result.headers, connection: 'close' } });
}

/**
 * The answer to a request Node's parser refused before it became one (headers over the limit, a
 * malformed request line or header, a timeout), as raw HTTP/1.1 on the socket, which then closes.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? 431
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' || error.code === 'ERR_HTTP_HEADERS_TIMEOUT'
        ? 408
        : 400;
  const problem: Problem = {
    type: `https://herald.example/problems/${status}`,
    title: STATUS_CODES[status] ?? 'Bad Request',
    status,
    detail:
      status === 431
        ? `The request line and headers may hold at most ${MAX_HEADER_BYTES} bytes.`
        : status === 408
          ? 'The request did not arrive in time.'
          : 'The request is not valid HTTP/1.1.',
  };
  const body = JSON.stringify(problem);
  socket.end(
    `HTTP/1.1 ${status} ${problem.title}\r\ncontent-type: application/problem+json\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

function send(response: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  response
    .writeHead(result.statusCode ?? 200, result.headers as Record<string, string>)
    .end(result.body ?? '');
}

function apiEvent(
  request: IncomingMessage,
  url: URL,
  match: CompiledRoute,
  pathParameters: Record<string, string>,
  user: LocalUser | undefined,
  body: string,
): APIGatewayProxyEventV2WithJWTAuthorizer {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const now = Date.now();
  const claims = user
    ? { sub: user.user, username: user.user, 'cognito:groups': `[${user.role}]` }
    : undefined;
  return {
    version: '2.0',
    routeKey: match.route.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : undefined,
    pathParameters: match.parameterNames.length > 0 ? pathParameters : undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'local',
      http: {
        method: match.method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: match.route.routeKey,
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
      authorizer: {
        principalId: user?.user ?? '',
        integrationLatency: 0,
        jwt: { claims: claims ?? {}, scopes: [] },
      },
    },
    body: body === '' ? undefined : body,
    isBase64Encoded: false,
  } as APIGatewayProxyEventV2WithJWTAuthorizer;
}

export interface HttpServerOptions {
  port: number;
  handlers: Map<string, ApiHandler>;
  users: LocalUser[];
  site: LocalObjectStore;
  /** The built operations console (`npm run build:console`), served at /console/. */
  consoleDir?: string;
  /** The zone the console shows times in (config.json's `timeZone`); default UTC. */
  timeZone?: string;
  /** Served at its path (`/__herald/approval-notices`), beside the capacity report. */
  approvalInbox?: Pick<ApprovalInbox, 'serve'>;
}

const CONSOLE_DIR = resolve(import.meta.dirname, '../../console/dist');
const CONSOLE_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

/**
 * The console's static files, as S3/CloudFront would serve them: /console → /console/, hashed
 * assets cached for good, index.html never (so a rebuild shows at once).
 */
async function serveConsole(
  response: ServerResponse,
  url: URL,
  root: string,
  timeZone: string,
): Promise<boolean> {
  if (url.pathname === '/console') {
    response.writeHead(301, { location: '/console/' }).end();
    return true;
  }
  if (!url.pathname.startsWith('/console/')) return false;
  const relative = decodePath(url.pathname.slice('/console/'.length)) || 'index.html';
  if (relative === 'config.json') {
    // What the CDK deployment writes for Cognito, said for the local stack: same-origin API, API keys.
    response
      .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache' })
      .end(JSON.stringify({ apiUrl: '', auth: { kind: 'api-key' }, timeZone }));
    return true;
  }
  const path = resolve(join(root, relative));
  if (!path.startsWith(root + sep)) return false;
  const body = await readFile(path).catch(() => undefined);
  if (!body) {
    if (relative !== 'index.html') return false;
    response
      .writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
      .end('The console is not built yet: run `npm run build:console` (npm start does it for you).\n');
    return true;
  }
  response
    .writeHead(200, {
      'content-type': CONSOLE_TYPES[extname(path)] ?? 'application/octet-stream',
      'cache-control': relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    })
    .end(body);
  return true;
}

export async function startHttpServer(options: HttpServerOptions): Promise<{ url: string; server: Server }> {
  const routes = API_ROUTES.map(compile);
  const usersByKey = new Map(options.users.map((user) => [user.key, user]));
  // Two budgets, as API Gateway throttles the routes Twilio calls apart from the stage (see webhookThrottle).
  const inFlight = { api: 0, webhooks: 0 };
  const budget = { api: LOCAL_API_REQUESTS_IN_FLIGHT, webhooks: LOCAL_WEBHOOK_REQUESTS_IN_FLIGHT };

  async function serveApi(request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> {
    for (const candidate of routes) {
      const found = candidate.pattern.exec(url.pathname);
      if (!found || candidate.method !== request.method) continue;
      const pathParameters = Object.fromEntries(
        candidate.parameterNames.map((name, index) => [name, decodePath(found[index + 1] ?? '')]),
      );
      const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      const user = bearer ? usersByKey.get(bearer) : undefined;
      if (candidate.route.roles !== 'public' && !user) {
        // As API Gateway's authorizer does: no valid credential, no invocation.
        send(
          response,
          problemResponse({
            type: 'https://herald.example/problems/401',
            title: 'Unauthorized',
            status: 401,
            detail: 'Send a valid API key as a Bearer credential.',
          }),
        );
        return true;
      }
      const group = candidate.route.roles === 'public' ? 'webhooks' : 'api';
      if (inFlight[group] >= budget[group]) {
        // Shed load at once, as API Gateway's stage throttling does, rather than queue into timeouts.
        const result = problemResponse({
          type: 'https://herald.example/problems/429',
          title: 'Too Many Requests',
          status: 429,
          detail: `${budget[group]} API requests are in progress already; try again shortly.`,
        });
        send(response, { ...result, headers: { ...result.headers, 'retry-after': '1' } });
        return true;
      }
      inFlight[group]++;
      try {
        const handler = options.handlers.get(candidate.route.handler);
        if (!handler) throw new Error(`No handler loaded for ${candidate.route.routeKey}`);
        const event = apiEvent(request, url, candidate, pathParameters, user, await readBody(request));
        send(response, await handler(event));
      } finally {
        inFlight[group]--;
      }
      return true;
    }
    return false;
  }

  /**
   * The status site's files, as CloudFront serves them (infra/cdk/constructs/status-site.ts): a
   * page's other spellings redirected to it, and a missing page under /status/ or /cap/ answered
   * with the site's "not found" page (elsewhere a problem, this origin being the API's too).
   */
  async function serveStatic(response: ServerResponse, url: URL): Promise<boolean> {
    const redirect = statusRedirect(url.pathname);
    if (redirect) {
      response.writeHead(301, { location: redirect }).end();
      return true;
    }
    const key = url.pathname === '/' ? 'status' : decodePath(url.pathname.slice(1));
    const object = await options.site.get(key);
    if (object) {
      response
        .writeHead(200, { 'content-type': object.contentType, 'cache-control': 'public, max-age=30' })
        .end(object.body);
      return true;
    }
    const notFound = /^\/(status|cap)\//.test(url.pathname) && (await options.site.get(NOT_FOUND_KEY));
    if (!notFound) return false;
    response
      .writeHead(404, { 'content-type': notFound.contentType, 'cache-control': 'public, max-age=30' })
      .end(notFound.body);
    return true;
  }

  /** Every request ends in an answer, and nothing a request does can end the process. */
  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const url = requestUrl(request);
      if (applyCors(request, response)) return;
      if (serveCapacity(request, response, url)) return;
      if (options.approvalInbox?.serve(request, response, url)) return;
      if (await serveApi(request, response, url)) return;
      if (
        request.method === 'GET' &&
        (await serveConsole(
          response,
          url,
          options.consoleDir ?? CONSOLE_DIR,
          options.timeZone ?? DEFAULT_DISPLAY_ZONE,
        ))
      )
        return;
      if (request.method === 'GET' && (await serveStatic(response, url))) return;
      throw new HttpProblemError(404, 'Not found', `Nothing at ${request.method} ${url.pathname}.`);
    } catch (error) {
      // A client that went away mid-request (aborted) is owed nothing.
      if (request.destroyed && !request.complete) {
        response.destroy();
        return;
      }
      sendError(response, error);
    }
  }

  // Node's own answer to a missing Host is an empty 400; requestUrl gives it as problem+json.
  const server: Server = createServer(
    { maxHeaderSize: MAX_HEADER_BYTES, requireHostHeader: false },
    (request, response) => {
      // A client that goes away mid-request is not an error of the server's.
      request.on('error', () => undefined);
      response.on('error', () => undefined);
      serve(request, response).catch((error: unknown) => {
        platformLogger.error('Front door failed', { error });
        response.destroy();
      });
    },
  );
  server.on('clientError', answerClientError);
  await new Promise<void>((resolve, reject) => {
    // A port in use is a setting to fix, said in one line by main.ts, not an unhandled 'error' event.
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`port ${options.port} is in use (HERALD_PORT)`, { cause: error })
          : error,
      ),
    );
    server.listen(options.port, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server };
}
