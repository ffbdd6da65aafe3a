/**
 * The part every provider sandbox shares: an HTTP server on 127.0.0.1 that routes the
 * provider's real API paths to the sandbox's handlers, records accepted requests, injects
 * faults, and serves the `/__sandbox/*` control endpoints of the contract.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { FieldError } from '#shared/domain/errors.ts';
import { fieldErrorsFromZod } from '#shared/http/problem.ts';
import { FaultInjector, faultSettingsSchema, type LatencyRange } from './faults.ts';
import { parseBody, readBody, sendJson } from './http-io.ts';

export interface SandboxRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed by content type: JSON value, form fields, raw text, or `undefined` when empty. */
  body: unknown;
  /** Named groups of the route's path pattern. */
  params: Record<string, string>;
}

export interface SandboxReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Set when the provider accepted the request: it is recorded as a message under this id. */
  recordAs?: string;
  /** Runs once the reply has been sent (Twilio's status callbacks). */
  afterReply?: () => void;
}

export interface SandboxRoute {
  method: 'GET' | 'POST' | 'DELETE';
  path: RegExp;
  handle(request: SandboxRequest): SandboxReply | Promise<SandboxReply>;
}

/** The provider's own answers for injected faults, so SDKs parse them as they would in production. */
export interface FaultReplies {
  rateLimited(): SandboxReply;
  serverError(): SandboxReply;
  /** The provider's 503; a sandbox without one answers its 500 body with status 503. */
  serviceUnavailable?(): SandboxReply;
}

export interface SandboxDefinition {
  name: string;
  /** The provider's API. Faults and latency apply here only. */
  routes: SandboxRoute[];
  /** Extra `/__sandbox/*` endpoints; their bodies must be JSON. */
  controlRoutes?: SandboxRoute[];
  faults: FaultReplies;
  /** Stops the sandbox's own background work (pending callbacks) on close. */
  onClose?: () => Promise<void>;
}

export interface RunningSandbox {
  /** Origin to hand to an SDK as its base URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  port: number;
  /** Every later API request waits a time drawn from the range (`undefined`: none); control routes never wait. */
  setLatency(range: LatencyRange | undefined): void;
  close(): Promise<void>;
}

/** A phone number as the providers take it. */
export const E164 = /^\+[1-9]\d{1,14}$/;

/**
 * A control route `POST /__sandbox/<name>` whose JSON body `{ <field>: [...] }` replaces the
 * sandbox's set of such values (numbers it cannot deliver to, prefixes it refuses); it answers
 * with the new list.
 */
export function replaceSetRoute(
  name: string,
  field: string,
  item: { pattern: RegExp; example: string },
  values: Set<string>,
): SandboxRoute {
  const schema = z.strictObject({ [field]: z.array(z.string().regex(item.pattern)) });
  return {
    method: 'POST',
    path: new RegExp(`^/__sandbox/${name}$`),
    handle: ({ body }) => {
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        return problem(
          400,
          'Bad Request',
          `Expected { "${field}": [${item.example}, …] }.`,
          fieldErrorsFromZod(parsed.error),
        );
      }
      values.clear();
      for (const value of parsed.data[field] ?? []) values.add(value);
      return { status: 200, body: { [field]: [...values] } };
    },
  };
}

/** `POST /__sandbox/undeliverable`: the numbers whose messages the sandbox reports undelivered. */
export const undeliverableRoute = (numbers: Set<string>): SandboxRoute =>
  replaceSetRoute('undeliverable', 'numbers', { pattern: E164, example: '"+358401234567"' }, numbers);

/** One entry of `GET /__sandbox/messages`. */
export interface RecordedMessage {
  /** The provider id the sandbox answered with (Twilio SID, tweet id, Graph object id). */
  id: string;
  receivedAt: string;
  request: { method: string; path: string; headers: IncomingHttpHeaders; body: unknown };
}

/** How long an idle keep-alive connection stays open, as a provider's load balancer keeps it. */
const IDLE_CONNECTION_MS = 65_000;

/** How long a `timeout` or `lostReply` fault holds a request before dropping the connection unanswered. */
const HOLD_MS = 30_000;

/** An RFC 9457 problem reply, for the sandbox's own endpoints and its own failures. */
export function problem(status: number, title: string, detail?: string, errors?: FieldError[]): SandboxReply {
  return {
    status,
    body: { type: 'about:blank', title, status, detail, errors },
    headers: { 'content-type': 'application/problem+json' },
  };
}

function send(response: ServerResponse, reply: SandboxReply): void {
  sendJson(response, reply.status, reply.body, reply.headers);
}

/**
 * The log is readable by any local process, so credentials are masked: the scheme of the
 * Authorization header and the presence of Graph's access_token are all a test needs.
 */
function redacted(
  headers: IncomingHttpHeaders,
  body: unknown,
): Pick<RecordedMessage['request'], 'headers' | 'body'> {
  const { authorization, ...rest } = headers;
  const maskedHeaders: IncomingHttpHeaders =
    authorization === undefined
      ? rest
      : { ...rest, authorization: `${authorization.split(' ')[0]} [redacted]` };
  const maskedBody =
    typeof body === 'object' && body !== null && 'access_token' in body
      ? { ...body, access_token: '[redacted]' }
      : body;
  return { headers: maskedHeaders, body: maskedBody };
}

/**
 * A timer may fire up to a millisecond early (libuv's clock is whole milliseconds); a latency is
 * a lower bound a test can rely on, so the wait resumes until it has fully passed.
 */
async function waitAtLeast(ms: number): Promise<void> {
  const until = performance.now() + ms;
  for (let left = ms; left > 0; left = until - performance.now()) await sleep(Math.ceil(left));
}

function match(routes: SandboxRoute[], method: string, path: string) {
  for (const route of routes) {
    const found = route.path.exec(path);
    if (found && route.method === method) return { route, params: { ...found.groups } };
  }
  return undefined;
}

/** Starts a sandbox on 127.0.0.1; port 0 picks a free port, reported in the result. */
export async function startSandboxServer(
  definition: SandboxDefinition,
  port: number,
): Promise<RunningSandbox> {
  const messages: RecordedMessage[] = [];
  const faults = new FaultInjector();

  const controlRoutes: SandboxRoute[] = [
    { method: 'GET', path: /^\/__sandbox\/messages$/, handle: () => ({ status: 200, body: messages }) },
    {
      method: 'DELETE',
      path: /^\/__sandbox\/messages$/,
      handle: () => {
        messages.length = 0;
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      path: /^\/__sandbox\/faults$/,
      handle: ({ body }) => {
        const parsed = faultSettingsSchema.safeParse(body ?? {});
        if (!parsed.success) {
          return problem(400, 'Bad Request', 'Invalid fault settings.', fieldErrorsFromZod(parsed.error));
        }
        faults.configure(parsed.data);
        return { status: 200, body: faults.settings };
      },
    },
    ...(definition.controlRoutes ?? []),
  ];

  async function serveControl(request: IncomingMessage, url: URL): Promise<SandboxReply> {
    const method = request.method ?? 'GET';
    const text = await readBody(request);
    const found = match(controlRoutes, method, url.pathname);
    if (!found) return problem(404, 'Not Found', `No sandbox endpoint ${method} ${url.pathname}.`);
    let body: unknown;
    try {
      body = text.length > 0 ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      return problem(400, 'Bad Request', 'The body is not valid JSON.');
    }
    return found.route.handle({
      method,
      path: url.pathname,
      query: url.searchParams,
      headers: request.headers,
      body,
      params: found.params,
    });
  }

  /**
   * Hold without answering, like a provider stuck behind its load balancer: the client's own
   * timeout is what ends it, or the connection is dropped after HOLD_MS.
   */
  function hold(response: ServerResponse): undefined {
    const timer = setTimeout(() => response.destroy(), HOLD_MS);
    timer.unref();
    response.on('close', () => clearTimeout(timer));
    return undefined;
  }

  /** Resolves to `undefined` when a `timeout` or `lostReply` fault holds the request. */
  async function serveProvider(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
  ): Promise<SandboxReply | undefined> {
    const method = request.method ?? 'GET';
    const text = await readBody(request);
    await waitAtLeast(faults.nextDelayMs());

    const fault = faults.next();
    // Held before the provider looked at it: nothing was accepted.
    if (fault === 'timeout') return hold(response);
    if (fault === 'status429') return definition.faults.rateLimited();
    if (fault === 'status500') return definition.faults.serverError();
    if (fault === 'status503') {
      return definition.faults.serviceUnavailable?.() ?? { ...definition.faults.serverError(), status: 503 };
    }

    const reply = await handleProvider(request, url, method, text);
    if (fault === 'lostReply') {
      // Accepted and acted on (recorded, listed, callbacks posted); only the answer is lost.
      reply.afterReply?.();
      return hold(response);
    }
    return reply;
  }

  async function handleProvider(
    request: IncomingMessage,
    url: URL,
    method: string,
    text: string,
  ): Promise<SandboxReply> {
    const found = match(definition.routes, method, url.pathname);
    if (!found) return problem(404, 'Not Found', `${definition.name} has no ${method} ${url.pathname}.`);
    const parsed = parseBody(request.headers['content-type'], text);
    if (!parsed.ok) return problem(400, 'Bad Request', parsed.detail);

    const reply = await found.route.handle({
      method,
      path: url.pathname,
      query: url.searchParams,
      headers: request.headers,
      body: parsed.value,
      params: found.params,
    });
    if (reply.recordAs !== undefined) {
      messages.push({
        id: reply.recordAs,
        receivedAt: new Date().toISOString(),
        request: { method, path: url.pathname, ...redacted(request.headers, parsed.value) },
      });
    }
    return reply;
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const replied = url.pathname.startsWith('/__sandbox/')
      ? serveControl(request, url)
      : serveProvider(request, response, url);
    replied.then(
      (reply) => {
        if (!reply) return;
        send(response, reply);
        reply.afterReply?.();
      },
      (error: unknown) => {
        // A bug in the sandbox itself: answer rather than leave the client hanging.
        const detail = error instanceof Error ? error.message : String(error);
        if (response.headersSent) response.destroy();
        else send(response, problem(500, 'Sandbox error', detail));
      },
    );
  });

  // Providers keep an idle connection open about a minute (AWS's load balancers 60 s): with Node's
  // 5 s, a client reusing a socket the sandbox just closed sees a reset, a send that may have been
  // accepted, which no provider would have caused.
  server.keepAliveTimeout = IDLE_CONNECTION_MS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    setLatency: (range) => faults.setLatencyRange(range),
    async close() {
      await definition.onClose?.();
      const closed = new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
      // The SDKs' keep-alive sockets and held (timeout-faulted) requests would keep it open.
      server.closeAllConnections();
      await closed;
    },
  };
}
