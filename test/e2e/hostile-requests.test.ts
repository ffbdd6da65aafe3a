/**
 * Issue 16: requests an attacker or a careless client sends, against the whole local stack.
 * Raw HTTP over `node:net` where fetch would refuse to send them (a `Host: [`, bad %-encoding,
 * oversized headers, a malformed request line). Each answers with problem+json, never a 5xx,
 * and the stack keeps answering afterwards.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#infra/local/stack.ts';
import type { Preview } from '#shared/api/broadcasts.ts';
import type { Incident } from '#shared/domain/model.ts';
import { demoStrike, demoWindow, expectedDemoPhones } from '#test/support/demo-audience.ts';
import { apiClient, signedTwilioRequest, startTestStack } from '#test/support/local-stack.ts';

const DEMO_CUSTOMERS = 20;

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A chunked HTTP/1.1 body as its content. */
function dechunk(raw: string): string {
  let body = '';
  for (let rest = raw; ; ) {
    const lineEnd = rest.indexOf('\r\n');
    const size = Number.parseInt(rest.slice(0, lineEnd), 16);
    if (!(size > 0)) return body;
    body += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    rest = rest.slice(lineEnd + 2 + size + 2);
  }
}

/** Writes `request` as it is on a new connection and reads the answer until the server closes it. */
function rawRequest(
  baseUrl: string,
  request: string,
  { abortAfterWrite = false } = {},
): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const headers = Object.fromEntries(
        headerLines.map((line) => {
          const colon = line.indexOf(':');
          return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
        }),
      );
      const raw = rest.join('\r\n\r\n');
      const body = headers['transfer-encoding'] === 'chunked' ? dechunk(raw) : raw;
      resolve({ status: Number(statusLine.split(' ')[1] ?? 0), headers, body });
    });
    socket.write(request, () => {
      if (abortAfterWrite) socket.destroy();
    });
  });
}

/** A GET with the given extra header lines, asking the server to close the connection after it. */
const get = (path: string, ...headerLines: string[]) =>
  [`GET ${path} HTTP/1.1`, 'Host: 127.0.0.1', ...headerLines, 'Connection: close', '', ''].join('\r\n');

function expectProblem(response: RawResponse, status: number) {
  expect(response.status, response.body).toBe(status);
  expect(response.headers['content-type']).toBe('application/problem+json');
  expect(JSON.parse(response.body)).toMatchObject({ status });
}

describe('hostile requests against the local stack', () => {
  let stack: LocalStack;
  let operatorKey: string;

  /** The stack still serves a page and an API route. */
  async function expectStillAnswering() {
    expect((await fetch(`${stack.apiUrl}/status.json`)).status).toBe(200);
    expect((await apiClient(stack, 'viewer')('GET', '/me')).status).toBe(200);
  }

  const twilioPost = (path: string, params: Record<string, string>) =>
    signedTwilioRequest(stack, path, params)();

  beforeAll(async () => {
    stack = await startTestStack({ HERALD_DEMO_CUSTOMERS: String(DEMO_CUSTOMERS) });
    operatorKey = stack.users.find((user) => user.role === 'operator')?.key ?? '';
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answers `Host: [` (which made new URL throw outside the try and killed the process) with a 400 problem', async () => {
    const badHost = (path: string) => get(path).replace('Host: 127.0.0.1', 'Host: [');

    expectProblem(await rawRequest(stack.apiUrl, badHost('/status.json')), 400);
    expectProblem(await rawRequest(stack.apiUrl, badHost('/incidents')), 400);
    expectProblem(
      await rawRequest(stack.apiUrl, 'GET /status.json HTTP/1.1\r\nConnection: close\r\n\r\n'),
      400,
    );
    await expectStillAnswering();
  });

  it('answers a request target no URL can be made of with a 400 problem', async () => {
    expectProblem(await rawRequest(stack.apiUrl, get('//[')), 400);
    await expectStillAnswering();
  });

  it('answers bad %-encoding in a path with a 400 problem, not a URIError', async () => {
    expectProblem(
      await rawRequest(stack.apiUrl, get('/incidents/%ZZ', `Authorization: Bearer ${operatorKey}`)),
      400,
    );
    expectProblem(await rawRequest(stack.apiUrl, get('/%E0%A4%A')), 400);
    expectProblem(await rawRequest(stack.apiUrl, get('/console/%ZZ')), 400);
    await expectStillAnswering();
  });

  it('answers headers over 10 KB with a 431 problem', async () => {
    expectProblem(
      await rawRequest(stack.apiUrl, get('/status.json', `X-Filler: ${'a'.repeat(12_000)}`)),
      431,
    );
    await expectStillAnswering();
  });

  it('answers a malformed request line or header with a 400 problem', async () => {
    expectProblem(await rawRequest(stack.apiUrl, 'NOT HTTP AT ALL\r\n\r\n'), 400);
    expectProblem(await rawRequest(stack.apiUrl, get('/status.json', 'Bad Header Name: x')), 400);
    await expectStillAnswering();
  });

  it('answers a body over Lambda’s 6 MB limit with a 413 problem without reading it', async () => {
    const request = [
      'POST /incidents HTTP/1.1',
      'Host: 127.0.0.1',
      `Authorization: Bearer ${operatorKey}`,
      'Content-Type: application/json',
      `Content-Length: ${7 * 1024 * 1024}`,
      '',
      '{"type":',
    ].join('\r\n');

    expectProblem(await rawRequest(stack.apiUrl, request), 413);
    await expectStillAnswering();
  });

  it('keeps running when clients go away mid-body', async () => {
    const halfSent = [
      'POST /incidents HTTP/1.1',
      'Host: 127.0.0.1',
      `Authorization: Bearer ${operatorKey}`,
      'Content-Type: application/json',
      'Content-Length: 1000',
      '',
      '{"type":"strike"',
    ].join('\r\n');

    await Promise.all(
      Array.from({ length: 20 }, () => rawRequest(stack.apiUrl, halfSent, { abortAfterWrite: true })),
    );
    await expectStillAnswering();
  });

  it('answers ids and keys over DynamoDB’s key size with a 4xx problem, not a 500', async () => {
    const operator = apiClient(stack, 'operator');
    const longId = 'x'.repeat(3_000);

    const incident = await operator('GET', `/incidents/${longId}`);
    const broadcast = await operator('GET', `/broadcasts/${longId}`);

    for (const response of [incident, broadcast]) {
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(response.contentType).toBe('application/problem+json');
    }
  });

  it('answers an incident too large to store with a 4xx problem, not a 500', async () => {
    // About 600 KB as a DynamoDB item: over its 400 KB limit.
    const ring = Array.from({ length: 30_000 }, (_, index) => [24 + index / 30_000, 60.123456789]);
    ring.push([24, 60.123456789]);
    const response = await apiClient(stack, 'operator')('POST', '/incidents', {
      type: 'ash-cloud',
      title: 'Ash',
      severity: 'severe',
      window: { start: '2026-11-23T04:00:00+00:00', end: '2026-11-23T16:00:00+00:00' },
      scope: { area: { type: 'Polygon', coordinates: [ring] } },
    });

    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.contentType).toBe('application/problem+json');
  });

  it('answers 200 to a signed status callback for an unknown broadcast or record, or with MessageStatus=__proto__', async () => {
    const callbacks = [
      { query: 'broadcastId=no-such-broadcast&customerId=C1', status: 'delivered' },
      { query: 'broadcastId=no-such-broadcast&customerId=C1', status: 'undelivered' },
      { query: 'broadcastId=no-such-broadcast&customerId=C1', status: '__proto__' },
      { query: 'broadcastId=no-such-broadcast&customerId=C1', status: 'constructor' },
    ];

    for (const { query, status } of callbacks) {
      const response = await twilioPost(`/webhooks/twilio/status?${query}`, {
        MessageSid: 'SM00000000000000000000000000000001',
        MessageStatus: status,
      });
      expect(response.status, `${query} ${status}`).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/xml');
    }
    await expectStillAnswering();
  });

  it('does not opt a customer back in on a captured START replayed after a later STOP', async () => {
    const operator = apiClient(stack, 'operator');
    const window = demoWindow();
    const [phone] = expectedDemoPhones('HEL', window.start, window.end, DEMO_CUSTOMERS);
    if (!phone) throw new Error('The demo airline has no affected passenger');
    const incident = await operator<Incident>('POST', '/incidents', demoStrike());
    const optedOut = async () =>
      (
        await operator<Preview>('POST', `/incidents/${incident.body.id}/preview`, {
          templateId: 'strike-disruption',
        })
      ).body.excluded.optedOut;
    const start = signedTwilioRequest(stack, '/webhooks/twilio/inbound', {
      From: phone,
      Body: 'START',
      MessageSid: 'SM0000000000000000000000000000start',
    });
    expect((await start()).status).toBe(200);
    const before = await optedOut();
    const stop = await twilioPost('/webhooks/twilio/inbound', {
      From: phone,
      Body: 'STOP',
      MessageSid: 'SM00000000000000000000000000000stop',
    });
    expect(stop.status).toBe(200);
    expect(await optedOut()).toBe(before + 1);

    const replayed = await start();

    expect(replayed.status).toBe(200);
    expect(await optedOut()).toBe(before + 1);
    const audit = await apiClient(stack, 'admin')<{
      items: { action: string; details?: { messageSid?: string } }[];
    }>('GET', '/audit');
    const optChanges = audit.body.items.filter((entry) => entry.action.startsWith('customer.opted'));
    expect(optChanges.map((entry) => [entry.action, entry.details?.messageSid])).toEqual([
      ['customer.opted_out', 'SM00000000000000000000000000000stop'],
      ['customer.opted_in', 'SM0000000000000000000000000000start'],
    ]);
  });

  it('answers a signed STOP from an empty or overlong From with 200, looking nobody up (it was a 400 from DynamoDB’s index)', async () => {
    for (const [index, from] of ['', `+${'1'.repeat(2_100)}`].entries()) {
      const response = await twilioPost('/webhooks/twilio/inbound', {
        From: from,
        Body: 'STOP',
        MessageSid: `SM000000000000000000000000000nofrom${index}`,
      });
      expect(response.status, `From of ${from.length} characters`).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/xml');
    }
    await expectStillAnswering();
  });

  it('refuses a signed inbound message without a MessageSid with a 400 problem', async () => {
    const response = await twilioPost('/webhooks/twilio/inbound', { From: '+358401234567', Body: 'START' });

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  describe('Idempotency-Key', () => {
    const strike = () => ({
      type: 'strike',
      title: 'Strike',
      severity: 'minor',
      window: demoWindow(),
      scope: { airports: ['HEL'] },
    });
    const smsOnly = { templateId: 'strike-disruption', channels: ['sms'] };

    async function openIncident(): Promise<string> {
      return (await apiClient(stack, 'operator')<Incident>('POST', '/incidents', strike())).body.id;
    }
    const send = (role: 'operator' | 'admin', incidentId: string, body: object, key: string) =>
      apiClient(stack, role)<{ id: string; status: string; errors?: { path: string }[] }>(
        'POST',
        `/incidents/${incidentId}/broadcasts`,
        body,
        { 'idempotency-key': key },
      );

    it('answers a retry with the same body with the first broadcast, and another body with a 422', async () => {
      const incidentId = await openIncident();
      const key = crypto.randomUUID();

      const first = await send('operator', incidentId, smsOnly, key);
      const retried = await send('operator', incidentId, smsOnly, key);
      const changed = await send('operator', incidentId, { ...smsOnly, channels: ['sms', 'status'] }, key);

      expect(first.status).toBe(202);
      expect(retried).toMatchObject({ status: 202, body: { id: first.body.id } });
      expect(changed.status).toBe(422);
      expect(changed.contentType).toBe('application/problem+json');
      expect(changed.body.errors?.[0]?.path).toBe('Idempotency-Key');
      const listed = await apiClient(stack, 'operator')<{ items: unknown[] }>(
        'GET',
        `/incidents/${incidentId}/broadcasts`,
      );
      expect(listed.body.items).toHaveLength(1);
    });

    it('scopes a key to the caller and the incident (it was global: another incident got the first broadcast back)', async () => {
      const [incidentA, incidentB] = [await openIncident(), await openIncident()];
      const key = crypto.randomUUID();

      const first = await send('operator', incidentA, smsOnly, key);
      const otherIncident = await send('operator', incidentB, smsOnly, key);
      const otherCaller = await send('admin', incidentA, smsOnly, key);

      expect([first.status, otherIncident.status, otherCaller.status]).toEqual([202, 202, 202]);
      expect(new Set([first.body.id, otherIncident.body.id, otherCaller.body.id]).size).toBe(3);
    });

    it('answers a retry after the incident was resolved with its broadcast, not a 409', async () => {
      const incidentId = await openIncident();
      const key = crypto.randomUUID();
      const first = await send('operator', incidentId, smsOnly, key);
      expect((await apiClient(stack, 'operator')('POST', `/incidents/${incidentId}/resolve`)).status).toBe(
        200,
      );

      const retried = await send('operator', incidentId, smsOnly, key);

      expect(retried).toMatchObject({ status: 202, body: { id: first.body.id } });
    });

    it('answers requests racing with one key with one broadcast', async () => {
      const incidentId = await openIncident();
      const key = crypto.randomUUID();

      const answers = await Promise.all(
        Array.from({ length: 5 }, () => send('operator', incidentId, smsOnly, key)),
      );

      expect(answers.map(({ status }) => status)).toEqual([202, 202, 202, 202, 202]);
      expect(new Set(answers.map(({ body }) => body.id)).size).toBe(1);
    });

    it('refuses a key that is not printable ASCII with a 422 naming the header', async () => {
      const response = await send('operator', await openIncident(), smsOnly, 'caf\u00e9');

      expect(response.status).toBe(422);
      expect(response.body.errors?.[0]?.path).toBe('Idempotency-Key');
    });

    it('lets a console on another local origin send it (CORS preflight)', async () => {
      const preflight = await fetch(`${stack.apiUrl}/incidents/x/broadcasts`, {
        method: 'OPTIONS',
        headers: {
          origin: 'http://localhost:5173',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type, idempotency-key',
        },
      });

      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
      expect(preflight.headers.get('access-control-allow-headers')?.split(/,\s*/)).toContain(
        'idempotency-key',
      );
      const elsewhere = await fetch(`${stack.apiUrl}/incidents`, {
        headers: { origin: 'https://evil.example' },
      });
      expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('personal data on public channels', () => {
    it('refuses a broadcast whose public note holds a phone number with a 422 naming it masked, and warns in the preview', async () => {
      const operator = apiClient(stack, 'operator');
      const incident = await operator<Incident>('POST', '/incidents', demoStrike());
      const body = {
        templateId: 'strike-disruption',
        variables: { note: 'Questions? Call Olli on +358401234567' },
        channels: ['sms', 'status'],
      };

      const preview = await operator<Preview>('POST', `/incidents/${incident.body.id}/preview`, body);
      const refused = await operator<{ errors?: { path: string; message: string }[] }>(
        'POST',
        `/incidents/${incident.body.id}/broadcasts`,
        body,
      );
      const smsOnly = await operator<{ status: string }>(
        'POST',
        `/incidents/${incident.body.id}/broadcasts`,
        {
          ...body,
          channels: ['sms'],
        },
      );

      expect(preview.body.warnings).toContainEqual(
        expect.stringMatching(/^variables\.note: .*\+35840•••••67/),
      );
      expect(refused.status).toBe(422);
      expect(refused.contentType).toBe('application/problem+json');
      expect(refused.body.errors).toEqual([
        { path: 'variables.note', message: expect.stringContaining('a phone number (+35840•••••67)') },
      ]);
      expect(JSON.stringify(refused.body)).not.toContain('+358401234567');
      // The demo template shows the note on the status page only; by SMS it goes nowhere public.
      expect(smsOnly.status).toBe(202);
    });
  });
});
