/**
 * Issue 16, items 1, 8 and 9, against the whole local stack: requests over a limit answered 422
 * naming the field and the limit; every list paged with `limit` and an opaque `next` (a changed
 * cursor is a 400); a burst beyond what the server works on at once shed with 429; and
 * GET /broadcasts/{id}/deliveries with the phone numbers masked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#infra/local/stack.ts';
import type { DeliveryLine } from '#shared/api/deliveries.ts';
import {
  LIST_PAGE_SIZE,
  LOCAL_API_REQUESTS_IN_FLIGHT,
  MAX_AREA_POSITIONS,
  MAX_ID_LENGTH,
  MAX_SCOPE_AIRPORTS,
  MAX_SCOPE_CARRIERS,
  MAX_SCOPE_FLIGHTS,
  MAX_WINDOW_DAYS,
} from '#shared/domain/limits.ts';
import type { Broadcast, Incident, IncidentSummary, TemplateSummary } from '#shared/domain/model.ts';
import { demoStrike, demoWindow, expectedDemoPhones } from '#test/support/demo-audience.ts';
import { type ApiResponse, apiClient, eventually, startTestStack } from '#test/support/local-stack.ts';

const DEMO_CUSTOMERS = 40;

interface ProblemBody {
  status: number;
  errors?: { path: string; message: string }[];
}

interface PageBody<T> {
  items: T[];
  next?: string;
}

function expectOverLimit(response: ApiResponse<ProblemBody>, path: string, limit: number) {
  expect(response.status, JSON.stringify(response.body)).toBe(422);
  expect(response.contentType).toBe('application/problem+json');
  expect(response.body.errors).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        path,
        message: expect.stringContaining(String(limit)),
      }),
    ]),
  );
}

describe('bounded requests against the local stack', () => {
  let stack: LocalStack;
  let operator: ReturnType<typeof apiClient>;
  const window = demoWindow();

  /** Every page of a list route, following `next`, with each page's size. */
  async function allPages<T>(path: string, limit: number): Promise<{ items: T[]; sizes: number[] }> {
    const items: T[] = [];
    const sizes: number[] = [];
    let next: string | undefined;
    do {
      const cursor = next === undefined ? '' : `&next=${encodeURIComponent(next)}`;
      const page = await operator<PageBody<T>>('GET', `${path}?limit=${limit}${cursor}`);
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      items.push(...page.body.items);
      sizes.push(page.body.items.length);
      next = page.body.next;
    } while (next !== undefined);
    return { items, sizes };
  }

  beforeAll(async () => {
    stack = await startTestStack({ HERALD_DEMO_CUSTOMERS: String(DEMO_CUSTOMERS) });
    operator = apiClient(stack, 'operator');
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('refuses the window from year 0000 to 9999 (which exhausted the heap) and one over 14 days with 422', async () => {
    const centuries = await operator<ProblemBody>(
      'POST',
      '/incidents',
      demoStrike({
        window: { start: '0000-01-01T00:00:00+00:00', end: '9999-12-31T23:59:59+00:00' },
        scope: {
          area: {
            type: 'Polygon',
            coordinates: [
              [
                [-180, -90],
                [180, -90],
                [180, 90],
                [-180, -90],
              ],
            ],
          },
          includeOverflights: true,
        },
      }),
    );
    const fifteenDays = await operator<ProblemBody>(
      'POST',
      '/incidents',
      demoStrike({
        window: {
          start: window.start,
          end: new Date(Date.parse(window.start) + 15 * 86_400_000).toISOString(),
        },
      }),
    );

    expect(centuries.status).toBe(422);
    expect(centuries.body.errors?.map((error) => error.path)).toEqual(['window.start', 'window.end']);
    expectOverLimit(fifteenDays, 'window.end', MAX_WINDOW_DAYS);
  });

  it('refuses more airports, flights, carriers or area positions than the limits with 422 naming each', async () => {
    const codes = ['HEL', 'ARN', 'OSL', 'CPH'];
    // Codes the API knows, repeated: only their number is over the limit.
    const airports = Array.from(
      { length: MAX_SCOPE_AIRPORTS + 1 },
      (_, index) => codes[index % codes.length] ?? 'HEL',
    );
    const flights = Array.from({ length: MAX_SCOPE_FLIGHTS + 1 }, (_, index) => ({
      flightNumber: `AY${index + 1}`,
      date: window.start.slice(0, 10),
    }));
    const carriers = Array.from({ length: MAX_SCOPE_CARRIERS + 1 }, (_, index) => `A${index % 10}`);
    const ring = Array.from({ length: MAX_AREA_POSITIONS }, (_, index) => [
      24 + index / MAX_AREA_POSITIONS,
      60 + (index % 2) / 10,
    ]);
    ring.push(ring[0] as number[]);

    expectOverLimit(
      await operator('POST', '/incidents', demoStrike({ scope: { airports } })),
      'scope.airports',
      MAX_SCOPE_AIRPORTS,
    );
    expectOverLimit(
      await operator('POST', '/incidents', demoStrike({ scope: { flights } })),
      'scope.flights',
      MAX_SCOPE_FLIGHTS,
    );
    expectOverLimit(
      await operator('POST', '/incidents', demoStrike({ scope: { carriers } })),
      'scope.carriers',
      MAX_SCOPE_CARRIERS,
    );
    expectOverLimit(
      await operator(
        'POST',
        '/incidents',
        demoStrike({ scope: { area: { type: 'Polygon', coordinates: [ring] } } }),
      ),
      'scope.area.coordinates',
      MAX_AREA_POSITIONS,
    );
  });

  it(`refuses ids and an Idempotency-Key over ${MAX_ID_LENGTH} characters with 422 before any store sees them`, async () => {
    const long = 'x'.repeat(MAX_ID_LENGTH + 1);
    const incident = await operator<Incident>('POST', '/incidents', demoStrike());

    expectOverLimit(await operator('GET', `/incidents/${long}`), 'id', MAX_ID_LENGTH);
    expectOverLimit(await operator('GET', `/broadcasts/${long}/deliveries`), 'id', MAX_ID_LENGTH);
    expectOverLimit(
      await operator(
        'POST',
        `/incidents/${incident.body.id}/broadcasts`,
        { templateId: 'strike-disruption' },
        {
          'idempotency-key': long,
        },
      ),
      'Idempotency-Key',
      MAX_ID_LENGTH,
    );
    expectOverLimit(
      await operator('POST', `/incidents/${incident.body.id}/preview`, { templateId: long }),
      'templateId',
      MAX_ID_LENGTH,
    );
  });

  it('pages GET /incidents with lean items, each incident once, and refuses a changed cursor with 400', async () => {
    for (let index = 0; index < 5; index++)
      await operator('POST', '/incidents', demoStrike({ title: `Paged ${index}` }));
    const everything = await operator<PageBody<IncidentSummary>>(
      'GET',
      `/incidents?limit=${LIST_PAGE_SIZE.max}`,
    );

    const paged = await allPages<IncidentSummary>('/incidents', 2);

    expect(paged.sizes.slice(0, -1).every((size) => size === 2)).toBe(true);
    expect(paged.items.map((incident) => incident.id)).toEqual(
      everything.body.items.map((incident) => incident.id),
    );
    expect(new Set(paged.items.map((incident) => incident.id)).size).toBe(paged.items.length);
    expect(paged.items.every((incident) => !('scope' in incident))).toBe(true);
    const first = await operator<PageBody<IncidentSummary>>('GET', '/incidents?limit=2');
    const next = first.body.next ?? '';
    const changed = `${next.slice(0, 8)}${next[8] === 'A' ? 'B' : 'A'}${next.slice(9)}`;
    const tampered = await operator<ProblemBody>(
      'GET',
      `/incidents?limit=2&next=${encodeURIComponent(changed)}`,
    );
    expect(tampered.status).toBe(400);
    expect(tampered.contentType).toBe('application/problem+json');
    expect(tampered.body.errors?.[0]?.path).toBe('next');
    expectOverLimit(
      await operator('GET', `/incidents?limit=${LIST_PAGE_SIZE.max + 1}`),
      'limit',
      LIST_PAGE_SIZE.max,
    );
  });

  it('pages an incident’s broadcasts and lists a broadcast’s deliveries with masked numbers to staff only', async () => {
    const incident = await operator<Incident>('POST', '/incidents', demoStrike({ title: 'Deliveries' }));
    const ids: string[] = [];
    for (const kind of ['initial', 'update', 'update']) {
      // X refuses a post that repeats an earlier one word for word: only the first goes to X, or
      // whichever of the three posted first would leave the others partial.
      const accepted = await operator<{ id: string }>('POST', `/incidents/${incident.body.id}/broadcasts`, {
        templateId: 'strike-disruption',
        channels: kind === 'initial' ? ['sms', 'x'] : ['sms'],
        kind,
      });
      expect(accepted.status).toBe(202);
      ids.push(accepted.body.id);
    }

    const broadcasts = await allPages<Broadcast>(`/incidents/${incident.body.id}/broadcasts`, 2);
    expect(broadcasts.sizes).toEqual([2, 1]);
    expect(broadcasts.items.map((broadcast) => broadcast.id).sort()).toEqual([...ids].sort());

    const [first = ''] = ids;
    const finished = await eventually(async () => {
      const { body } = await operator<Broadcast>('GET', `/broadcasts/${first}`);
      return body.counts.sms?.delivered === body.counts.sms?.recipients && body.status === 'completed'
        ? body
        : undefined;
    }, 60_000);
    const phones = expectedDemoPhones('HEL', window.start, window.end, DEMO_CUSTOMERS);
    expect(finished.counts.sms?.recipients).toBe(phones.length);

    const deliveries = await allPages<DeliveryLine>(`/broadcasts/${first}/deliveries`, 3);
    const sms = deliveries.items.filter((line) => line.channel === 'sms');
    expect(sms).toHaveLength(phones.length);
    expect(
      deliveries.items
        .filter((line) => line.channel === 'x')
        .map((line) => line.recipient)
        .sort(),
    ).toEqual(['en', 'fi', 'sv']);
    for (const line of sms) {
      expect(line.attempts).toBeGreaterThanOrEqual(1);
      expect(line).toMatchObject({
        status: 'delivered',
        customerId: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(line.recipient).toMatch(/^\+\d{5}•+\d{2}$/);
    }
    expect(sms.map((line) => `${line.recipient.slice(0, 6)}${line.recipient.slice(-2)}`).sort()).toEqual(
      phones.map((phone) => `${phone.slice(0, 6)}${phone.slice(-2)}`).sort(),
    );
    expect(JSON.stringify(deliveries.items)).not.toMatch(/\+\d{7,}/);

    const delivered = await operator<PageBody<DeliveryLine>>(
      'GET',
      `/broadcasts/${first}/deliveries?status=delivered&limit=100`,
    );
    expect(delivered.body.items.every((line) => line.status === 'delivered')).toBe(true);
    expect(
      (await operator<PageBody<DeliveryLine>>('GET', `/broadcasts/${first}/deliveries?status=failed`)).body
        .items,
    ).toEqual([]);
    expect((await operator('GET', `/broadcasts/${first}/deliveries?status=lost`)).status).toBe(400);
    expect((await apiClient(stack, 'comms_lead')('GET', `/broadcasts/${first}/deliveries`)).status).toBe(200);
    expect((await apiClient(stack, 'viewer')('GET', `/broadcasts/${first}/deliveries`)).status).toBe(403);
    expect((await operator('GET', '/broadcasts/no-such-broadcast/deliveries')).status).toBe(404);
  }, 90_000);

  it('pages GET /templates and GET /audit (its broadcast.created entries), each item once, and a cursor of one list is refused by another', async () => {
    const templates = await allPages<TemplateSummary>('/templates', 1);
    const all = await operator<PageBody<TemplateSummary>>('GET', '/templates');
    expect(templates.items.length).toBeGreaterThan(1);
    expect(templates.items).toEqual(all.body.items);

    const admin = apiClient(stack, 'admin');
    const audit = await admin<PageBody<{ id: string }>>('GET', '/audit?limit=1');
    expect(audit.body.next).toEqual(expect.any(String));
    const olderAudit = await admin<PageBody<{ id: string }>>(
      'GET',
      `/audit?limit=1&next=${encodeURIComponent(audit.body.next ?? '')}`,
    );
    expect(olderAudit.status).toBe(200);
    expect(olderAudit.body.items[0]?.id).not.toBe(audit.body.items[0]?.id);

    const templateCursor =
      (await operator<PageBody<TemplateSummary>>('GET', '/templates?limit=1')).body.next ?? '';
    expect((await operator('GET', `/incidents?next=${encodeURIComponent(templateCursor)}`)).status).toBe(400);
  });

  it(`sheds a burst beyond ${LOCAL_API_REQUESTS_IN_FLIGHT} requests in flight with 429 and Retry-After, and keeps answering`, async () => {
    const burst = 500;
    const viewerKey = stack.users.find((user) => user.role === 'viewer')?.key;
    const fire = async () => {
      const sent = performance.now();
      const response = await fetch(`${stack.apiUrl}/incidents?limit=${LIST_PAGE_SIZE.max}`, {
        headers: { authorization: `Bearer ${viewerKey}` },
      });
      await response.arrayBuffer();
      return {
        status: response.status,
        contentType: response.headers.get('content-type'),
        retryAfter: response.headers.get('retry-after'),
        ms: performance.now() - sent,
      };
    };
    // The first burst may meet cold function instances, which let requests in slower than they end.
    const every: Awaited<ReturnType<typeof fire>>[] = [];
    let answers: typeof every = [];
    for (let round = 1; round <= 3 && !answers.some((answer) => answer.status === 429); round++) {
      const started = performance.now();
      answers = await Promise.all(Array.from({ length: burst }, fire));
      every.push(...answers);
      const shed = answers.filter((answer) => answer.status === 429).length;
      const ms = answers.map((answer) => answer.ms).sort((a, b) => a - b);
      console.info(
        `[burst ${round}] ${burst} requests: ${burst - shed} × 200, ${shed} × 429; p50 ${Math.round(ms[burst / 2] ?? 0)} ms, ` +
          `p99 ${Math.round(ms[Math.floor(burst * 0.99)] ?? 0)} ms, all in ${Math.round(performance.now() - started)} ms`,
      );
    }
    const shed = answers.filter((answer) => answer.status === 429);

    expect(every.every((answer) => answer.status === 200 || answer.status === 429)).toBe(true);
    expect(shed.length).toBeGreaterThan(0);
    expect(
      shed.every((answer) => answer.retryAfter === '1' && answer.contentType === 'application/problem+json'),
    ).toBe(true);
    expect((await operator('GET', '/me')).status).toBe(200);
  }, 120_000);
});
