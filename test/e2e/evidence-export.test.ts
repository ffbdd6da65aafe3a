import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#infra/local/stack.ts';
import { EVIDENCE_COLUMNS } from '#shared/domain/evidence.ts';
import { maskPhone } from '#shared/domain/masking.ts';
import type { Broadcast, Incident } from '#shared/domain/model.ts';
import { csvObjects } from '#test/support/csv.ts';
import { runHeraldAs } from '#test/support/herald-cli.ts';
import {
  apiClient,
  eventually,
  type SandboxMessage,
  sandboxMessages,
  startTestStack,
} from '#test/support/local-stack.ts';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Issue 17, evidence export: a broadcast sent through the whole local stack, exported as CSV (by
 * the `herald` executable) and NDJSON (by the API), and every row checked against what the
 * provider sandboxes received: the same number, the same text, the same message id.
 */
describe('evidence export: GET /incidents/{id}/evidence and herald evidence', () => {
  let stack: LocalStack;
  let incidentId: string;
  let broadcastId: string;
  let texted: SandboxMessage[];

  beforeAll(async () => {
    stack = await startTestStack();
    const operator = apiClient(stack, 'operator');
    const today = new Date().toISOString().slice(0, 10);
    const incident = await operator<Incident>('POST', '/incidents', {
      type: 'strike',
      title: 'Strike at Oslo',
      severity: 'severe',
      window: { start: `${today}T00:00:00Z`, end: `${today}T23:59:59Z` },
      scope: { airports: ['OSL'] },
    });
    incidentId = incident.body.id;
    const broadcast = await operator<{ id: string }>('POST', `/incidents/${incidentId}/broadcasts`, {
      templateId: 'strike-disruption',
    });
    broadcastId = broadcast.body.id;
    // Every SMS ends delivered (the sandbox's signed receipts), so the export has final times.
    await eventually(async () => {
      const { body } = await operator<Broadcast>('GET', `/broadcasts/${broadcastId}`);
      const sms = body.counts.sms;
      return body.status === 'completed' && sms && sms.recipients > 0 && sms.delivered === sms.recipients
        ? body
        : undefined;
    }, 60_000);
    texted = await sandboxMessages(stack.sandboxes.twilio);
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  const keyOf = (role: string) => stack.users.find((user) => user.role === role)?.key ?? '';

  const herald = (args: string[], role = 'comms_lead') => runHeraldAs(stack, role, args);

  const get = (path: string, headers: Record<string, string> = {}, role = 'operator') =>
    fetch(`${stack.apiUrl}${path}`, { headers: { authorization: `Bearer ${keyOf(role)}`, ...headers } });

  /** Every page of an export, following `Link: rel="next"` as the CLI and the console do. */
  async function allPagesOf(path: string): Promise<{ body: string; pages: number }> {
    let body = '';
    let pages = 0;
    let next: string | undefined = path;
    while (next) {
      const response = await get(next);
      expect(response.status).toBe(200);
      body += await response.text();
      pages++;
      next = /<([^>]+)>; rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
    }
    return { body, pages };
  }

  it('gives every SMS as the Twilio sandbox received it: the masked number, the exact text and its SHA-256, the SID', async () => {
    const run = await herald(['evidence', incidentId]);
    expect(run.code, run.stderr).toBe(0);
    const rows = csvObjects(run.stdout);
    const sms = rows.filter((row) => row.channel === 'sms');
    expect(texted.length).toBeGreaterThan(3);
    expect(sms).toHaveLength(texted.length);
    for (const message of texted) {
      const row = sms.find((candidate) => candidate.providerMessageId === message.id);
      const to = String(message.request.body.To);
      const body = String(message.request.body.Body);
      // The number is masked, and a cell starting with + is disarmed against formulas in CSV.
      expect(row).toMatchObject({ recipient: `'${maskPhone(to)}`, text: body, textSha256: sha256(body) });
      expect(row).toMatchObject({
        broadcastId,
        kind: 'initial',
        templateId: 'strike-disruption',
        status: 'delivered',
      });
      expect(row?.bookingRef).toMatch(/^[A-Z0-9]{6}$/);
      expect(row?.flightNumber).toMatch(/^[A-Z0-9]{2}\d+$/);
      expect(Date.parse(row?.deliveredAt ?? '')).toBeGreaterThanOrEqual(Date.parse(row?.queuedAt ?? ''));
    }
    expect(run.stdout).not.toMatch(/\+\d{9,}/);
  });

  it('gives each public post as the X and Facebook sandboxes received it, and the status site’s entry per language', async () => {
    const rows = csvObjects((await allPagesOf(`/incidents/${incidentId}/evidence`)).body);
    for (const [channel, field] of [
      ['x', 'text'],
      ['facebook', 'message'],
    ] as const) {
      const posts = await sandboxMessages(stack.sandboxes[channel]);
      const exported = rows.filter((row) => row.channel === channel);
      expect(exported).toHaveLength(3);
      for (const post of posts) {
        const row = exported.find((candidate) => candidate.providerMessageId === post.id);
        expect(row?.text).toBe(String(post.request.body[field]));
      }
    }
    const status = rows.filter((row) => row.channel === 'status');
    expect(status.map((row) => row.language)).toEqual(['fi', 'sv', 'en']);
    expect(status.find((row) => row.language === 'fi')?.text).toMatch(
      /^Lakko: lentoja häiriintyy \(OSL\)\n\n/,
    );
  });

  it('gives the same rows as NDJSON (Accept: application/x-ndjson), each text exact', async () => {
    const response = await get(`/incidents/${incidentId}/evidence`, { accept: 'application/x-ndjson' });
    expect(response.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const lines = (await response.text()).trimEnd().split('\n');
    const rows = lines.map((line) => JSON.parse(line) as Record<string, string>);
    expect(Object.keys(rows[0] ?? {})).toEqual([...EVIDENCE_COLUMNS]);
    for (const message of texted) {
      const row = rows.find((candidate) => candidate.providerMessageId === message.id);
      expect(row).toMatchObject({
        recipient: maskPhone(String(message.request.body.To)),
        text: String(message.request.body.Body),
      });
    }
    const run = await herald(['evidence', incidentId, '--format', 'ndjson'], 'admin');
    expect(run.stdout.trimEnd().split('\n')).toHaveLength(lines.length);
  });

  it('pages by `limit` with a Link to the next page, the CSV header on the first only, concatenating to the whole', async () => {
    const whole = await (await get(`/incidents/${incidentId}/evidence?format=csv`)).text();
    const paged = await allPagesOf(`/incidents/${incidentId}/evidence?format=csv&limit=2`);
    expect(paged.pages).toBeGreaterThan(3);
    expect(paged.body).toBe(whole);
  });

  it('answers in the format asked: ?format= over Accept, CSV by default, as a download', async () => {
    const csv = await get(`/incidents/${incidentId}/evidence`, { accept: 'text/csv' });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="evidence-${incidentId}.csv"`);
    const ndjson = await get(`/incidents/${incidentId}/evidence?format=ndjson`, { accept: 'text/csv' });
    expect(ndjson.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
  });

  it('lets a console on another origin read the Link header (CORS), as the API does for CloudFront', async () => {
    const response = await get(`/incidents/${incidentId}/evidence?limit=1`, {
      origin: 'http://localhost:5173',
    });
    expect(response.headers.get('link')).toContain('rel="next"');
    expect(response.headers.get('access-control-expose-headers')?.split(/,\s*/)).toContain('link');
  });

  it('refuses an unknown format, a made-up cursor and an unknown incident with problem+json', async () => {
    const badFormat = await get(`/incidents/${incidentId}/evidence?format=xlsx`);
    expect(badFormat.status).toBe(400);
    expect(badFormat.headers.get('content-type')).toBe('application/problem+json');
    expect((await get(`/incidents/${incidentId}/evidence?next=bm9wZQ`)).status).toBe(400);
    expect((await get('/incidents/no-such-incident/evidence')).status).toBe(404);
    const run = await herald(['evidence', 'no-such-incident']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('404');
  });

  it('is not for viewers', async () => {
    expect((await get(`/incidents/${incidentId}/evidence`, {}, 'viewer')).status).toBe(403);
  });
});
