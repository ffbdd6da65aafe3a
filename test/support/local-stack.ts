/** Starts the whole local stack on free ports for a test file, and talks to it as a client would. */

import twilio from 'twilio';
import { LOCAL_TWILIO_AUTH_TOKEN } from '#infra/local/sandboxes/credentials.ts';
import { readLocalSettings } from '#infra/local/settings.ts';
import { type LocalStack, startLocalStack } from '#infra/local/stack.ts';
import type { Role } from '#shared/domain/roles.ts';

export async function startTestStack(overrides: Record<string, string> = {}): Promise<LocalStack> {
  // Tests need no long code's 1 SMS/s; the pacing test sets its own rate.
  process.env.HERALD_SMS_MPS ??= '100';
  process.env.HERALD_X_POSTS_PER_SECOND ??= '50';
  return startLocalStack(
    readLocalSettings({
      HERALD_PORT: '0',
      HERALD_DYNAMODB_PORT: '0',
      HERALD_SANDBOX_TWILIO_PORT: '0',
      HERALD_SANDBOX_X_PORT: '0',
      HERALD_SANDBOX_FACEBOOK_PORT: '0',
      HERALD_SEED: 'demo',
      // Most tests check behaviour, not isolation: they skip the instances' cold starts.
      HERALD_LAMBDA_RUNTIME: 'in-process',
      ...overrides,
    }),
  );
}

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  contentType: string;
  body: T;
}

/** A JSON API client acting as the first demo user with `role`. */
export function apiClient(stack: LocalStack, role: Role | 'anonymous') {
  const key = role === 'anonymous' ? undefined : stack.users.find((user) => user.role === role)?.key;
  return clientWithKey(stack, key);
}

/** A JSON API client acting as the demo user named `userName` (the two comms leads share a role). */
export function apiClientAs(stack: LocalStack, userName: string) {
  const user = stack.users.find((candidate) => candidate.user === userName);
  if (!user) throw new Error(`No demo user ${userName}`);
  return clientWithKey(stack, user.key);
}

/** Sends JSON with `key` as the bearer token (none: anonymous) and reads the JSON answer. */
function clientWithKey(stack: LocalStack, key: string | undefined) {
  return async <T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> => {
    const response = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      body: (await response.json()) as T,
    };
  };
}

/**
 * Opens a strike at Helsinki over `window` and broadcasts the demo strike template by SMS, as the
 * operator `operator` acts; the broadcast must be accepted (202).
 */
export async function smsStrikeAtHelsinki(
  operator: ReturnType<typeof apiClient>,
  window: { start: string; end: string },
): Promise<{ broadcastId: string; incidentTitle: string }> {
  const incidentTitle = 'Strike at Helsinki Airport';
  const incident = await operator<{ id: string }>('POST', '/incidents', {
    type: 'strike',
    title: incidentTitle,
    severity: 'severe',
    window,
    scope: { airports: ['HEL'] },
  });
  const accepted = await operator<{ id: string }>('POST', `/incidents/${incident.body.id}/broadcasts`, {
    templateId: 'strike-disruption',
    channels: ['sms'],
  });
  if (accepted.status !== 202) throw new Error(`The broadcast was not accepted: ${accepted.status}`);
  return { broadcastId: accepted.body.id, incidentTitle };
}

/** The first pause between two polls of `eventually`, doubled after each up to the last. */
const FIRST_POLL_PAUSE_MS = 100;
/**
 * A poll is most often an API call the stack answers: about 16 ms of CPU between Node and
 * DynamoDB Local for GET /broadcasts/{id}. Ten a second for a wait of a minute or more took a
 * sixth of a core from the stack being waited for, on a machine whose two cores run two files.
 */
const LAST_POLL_PAUSE_MS = 500;

/**
 * Polls until `check` returns a value, or fails after `timeoutMs`: at once, then 100, 200 and
 * 400 ms later, then every 500 ms.
 */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let pause = FIRST_POLL_PAUSE_MS; ; pause = Math.min(2 * pause, LAST_POLL_PAUSE_MS)) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

export interface SandboxMessage {
  id: string;
  receivedAt: string;
  request: { method: string; path: string; body: Record<string, unknown> };
}

export async function sandboxMessages(sandboxUrl: string): Promise<SandboxMessage[]> {
  return (await (await fetch(`${sandboxUrl}/__sandbox/messages`)).json()) as SandboxMessage[];
}

/** How many messages a sandbox took per phone number, read from `field` (Twilio's `To`). */
export async function messagesPerPhone(sandboxUrl: string, field = 'To'): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const { request } of await sandboxMessages(sandboxUrl)) {
    const phone = String(request.body[field]);
    counts.set(phone, (counts.get(phone) ?? 0) + 1);
  }
  return counts;
}

/** Sets one of a sandbox's `/__sandbox/*` controls (faults, refused prefixes, …) with a JSON body. */
export function controlSandbox(sandboxUrl: string, control: string, body: unknown): Promise<Response> {
  return fetch(`${sandboxUrl}/__sandbox/${control}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/**
 * A Twilio webhook request to the stack, signed as Twilio signs it (with `token`, the stack's
 * own by default): call it again to replay exactly what an eavesdropper would have captured.
 */
export function signedTwilioRequest(
  stack: Pick<LocalStack, 'apiUrl'>,
  path: string,
  params: Record<string, string>,
  token = LOCAL_TWILIO_AUTH_TOKEN,
): () => Promise<Response> {
  const url = `${stack.apiUrl}${path}`;
  const init = {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilio.getExpectedTwilioSignature(token, url, params),
    },
    body: new URLSearchParams(params).toString(),
  };
  return () => fetch(url, init);
}
