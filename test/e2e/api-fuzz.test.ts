/**
 * Issue 16's done-when: a property-based fuzz of the whole local stack. Thousands of generated
 * requests (test/support/fuzz-requests.ts) across every route of the manifest, with real and
 * forged credentials, existing and hostile ids, hostile bodies, headers and encodings. None may
 * be answered with a 5xx or a stack trace, every error is problem+json, and the stack still
 * answers afterwards. The seed is fixed so CI is repeatable; HERALD_FUZZ_SEED explores others.
 */
import fc from 'fast-check';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES } from '#functions/manifest.ts';
import { LOCAL_TWILIO_AUTH_TOKEN } from '#infra/local/sandboxes/credentials.ts';
import type { LocalStack } from '#infra/local/stack.ts';
import { IMPORT_KINDS } from '#shared/domain/import-formats.ts';
import type { Role } from '#shared/domain/roles.ts';
import { demoWindow } from '#test/support/demo-audience.ts';
import { type FuzzRequest, fuzzRequest, type IdChoice } from '#test/support/fuzz-requests.ts';
import { apiClient, startTestStack } from '#test/support/local-stack.ts';

/** Requests sent at once: enough to interleave handlers, well below the local server's load shedding. */
const CONCURRENCY = 8;
const RUNS = 260;
const SEED = Number(process.env.HERALD_FUZZ_SEED ?? 16);

/** Ids that exist, by what they name; requests that create something add theirs. */
interface KnownIds {
  incidents: string[];
  broadcasts: string[];
  templates: string[];
}

/** problem.ts's words for DynamoDB refusing a value: the safety net, which no request should reach. */
const STORE_REFUSAL = /A value is too large to store|holds a value that cannot be stored/;

/** A V8 stack frame, as an error's stack prints it: "    at handler (file:///…/handler.ts:12:3)". */
const STACK_TRACE = /\n\s+at [^\n]*\(?(?:file:|node:|\/)[^\n]*:\d+:\d+/;

describe('fuzzing every API route', () => {
  let stack: LocalStack;
  const known: KnownIds = {
    incidents: [],
    broadcasts: [],
    templates: ['strike-disruption', 'ash-cloud-closure'],
  };
  const sentPerRoute = new Map<string, number>();

  beforeAll(async () => {
    stack = await startTestStack({ HERALD_DEMO_CUSTOMERS: '20' });
    const operator = apiClient(stack, 'operator');
    for (const title of ['Strike at HEL', 'Another strike at HEL']) {
      const incident = await operator<{ id: string }>('POST', '/incidents', {
        type: 'strike',
        title,
        severity: 'minor',
        window: demoWindow(),
        scope: { airports: ['HEL'] },
      });
      known.incidents.push(incident.body.id);
    }
    const [first = '', second = ''] = known.incidents;
    const queued = await operator<{ id: string }>('POST', `/incidents/${first}/broadcasts`, {
      templateId: 'strike-disruption',
      channels: ['sms'],
    });
    const held = await operator<{ id: string }>('POST', `/incidents/${second}/broadcasts`, {
      templateId: 'strike-disruption',
      variables: { note: 'Buses replace flights' },
    });
    known.broadcasts.push(queued.body.id, held.body.id);
  });
  afterAll(async () => {
    await stack?.close();
  });

  const pick = <T extends string>(ids: readonly T[], index: number): T | '' => ids[index % ids.length] ?? '';

  /** The segment a path parameter becomes: an existing id of the right kind, or a hostile one encoded. */
  function segment(route: string, name: string, choice: IdChoice): string {
    if (choice.kind === 'raw') return choice.segment;
    if (choice.kind === 'hostile') return encodeURIComponent(choice.value.toWellFormed());
    if (name === 'version') return String((choice.index % 3) + 1);
    if (name === 'kind') return pick(IMPORT_KINDS, choice.index);
    if (route.includes('/broadcasts/{id}')) return encodeURIComponent(pick(known.broadcasts, choice.index));
    if (route.includes('/templates/')) return encodeURIComponent(pick(known.templates, choice.index));
    return encodeURIComponent(pick(known.incidents, choice.index));
  }

  const keyOf = (role: Role) => stack.users.find((user) => user.role === role)?.key ?? '';

  function credentialHeader({ credential, route }: FuzzRequest): string | undefined {
    if (credential.kind === 'none') return undefined;
    if (credential.kind === 'header') return credential.value;
    if (credential.kind === 'role') return `Bearer ${keyOf(credential.role)}`;
    return `Bearer ${keyOf(route.roles === 'public' ? 'viewer' : pick(route.roles, credential.index) || 'viewer')}`;
  }

  /**
   * A signed status callback names a delivery in its query as the SMS worker does: often a known
   * broadcast and a demo customer, so the signature is not the only thing tested.
   */
  function callbackQuery(request: FuzzRequest): [string, string][] {
    if (request.route.handler !== 'twilio-status-webhook' || request.body.kind !== 'form') return [];
    const index = request.query.length + request.extraHeaders.length;
    return [
      ['broadcastId', pick(known.broadcasts, index)],
      ['customerId', `C${String((index % 20) + 1).padStart(4, '0')}`],
    ];
  }

  function concrete(request: FuzzRequest): { url: string; init: RequestInit } {
    const [, template = ''] = request.route.routeKey.split(' ');
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) =>
      segment(template, name, request.pathParameters[name] ?? { kind: 'known', index: 0 }),
    );
    const query = new URLSearchParams(
      [...callbackQuery(request), ...request.query].map(([key, value]): [string, string] => [
        key.toWellFormed(),
        value.toWellFormed(),
      ]),
    );
    const url = `${stack.apiUrl}${path}${query.size > 0 ? `?${query}` : ''}`;
    const headers = new Headers();
    const authorization = credentialHeader(request);
    if (authorization !== undefined) headers.set('authorization', authorization);
    if (request.idempotencyKey !== undefined) headers.set('idempotency-key', request.idempotencyKey);
    for (const [name, value] of request.extraHeaders) headers.set(name, value);
    const init: RequestInit = { method: request.method, headers };
    const { body } = request;
    if (body.kind === 'json') {
      headers.set('content-type', 'application/json');
      init.body = JSON.stringify(body.value) ?? 'null';
    } else if (body.kind === 'text') {
      headers.set('content-type', body.contentType);
      init.body = body.text;
    } else if (body.kind === 'bytes') {
      headers.set('content-type', body.contentType);
      init.body = body.bytes;
    } else if (body.kind === 'form') {
      const params = Object.fromEntries(
        Object.entries(body.params).map(([key, value]) => [key, value.toWellFormed()]),
      );
      headers.set('content-type', 'application/x-www-form-urlencoded');
      if (body.signed)
        headers.set(
          'x-twilio-signature',
          twilio.getExpectedTwilioSignature(LOCAL_TWILIO_AUTH_TOKEN, url, params),
        );
      init.body = new URLSearchParams(params).toString();
    }
    return { url, init };
  }

  /** Sends one request and says what is wrong with the answer, if anything. */
  async function send(request: FuzzRequest): Promise<string | undefined> {
    const { url, init } = concrete(request);
    sentPerRoute.set(request.route.routeKey, (sentPerRoute.get(request.route.routeKey) ?? 0) + 1);
    const response = await fetch(url, init);
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    const said = `${init.method} ${url.slice(0, 300)} → ${response.status} ${contentType}: ${text.slice(0, 300)}`;
    if (response.status >= 500) return `a 5xx: ${said}`;
    if (response.status >= 400) {
      if (STACK_TRACE.test(text)) return `a stack trace: ${said}`;
      if (contentType !== 'application/problem+json') return `an error that is not problem+json: ${said}`;
      const problem = JSON.parse(text) as { status?: unknown; title?: unknown; detail?: unknown };
      if (problem.status !== response.status) return `a problem whose status is not the response's: ${said}`;
      if (STORE_REFUSAL.test(`${problem.title} ${problem.detail}`))
        return `a value only DynamoDB refused (a 4xx all the same, but the edge let it through): ${said}`;
      return undefined;
    }
    if (contentType === 'application/json') remember(request, response.status, text);
    return undefined;
  }

  /** Ids a successful request created, for later requests to act on. */
  function remember(request: FuzzRequest, status: number, text: string): void {
    const created = (JSON.parse(text) as { id?: unknown }).id;
    if (typeof created !== 'string') return;
    if (request.route.routeKey === 'POST /incidents' && status === 201) known.incidents.push(created);
    if (request.route.routeKey === 'POST /incidents/{id}/broadcasts' && status === 202)
      known.broadcasts.push(created);
    if (request.route.routeKey === 'POST /templates' && status === 201) known.templates.push(created);
  }

  it('answers thousands of hostile requests without a 5xx, every error as problem+json, and keeps answering', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fuzzRequest, { minLength: CONCURRENCY, maxLength: CONCURRENCY }),
        async (batch) => {
          const problems = (await Promise.all(batch.map(send))).filter((problem) => problem !== undefined);
          expect(problems).toEqual([]);
        },
      ),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );

    const sent = [...sentPerRoute.values()].reduce((sum, count) => sum + count, 0);
    expect(sent).toBeGreaterThanOrEqual(2_000);
    for (const route of API_ROUTES)
      expect(sentPerRoute.get(route.routeKey), route.routeKey).toBeGreaterThan(40);
    expect((await fetch(`${stack.apiUrl}/status.json`)).status).toBe(200);
    expect((await apiClient(stack, 'viewer')('GET', '/me')).status).toBe(200);
    expect((await apiClient(stack, 'operator')('GET', `/incidents/${known.incidents[0]}`)).status).toBe(200);
  }, 180_000);
});
