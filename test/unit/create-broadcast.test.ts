import { describe, expect, it, vi } from 'vitest';
import { ConflictError, ValidationError } from '#shared/domain/errors.ts';
import { IdempotencyKeyReusedError } from '#shared/domain/idempotency.ts';
import type { TemplateVersion } from '#shared/domain/model.ts';
import {
  type CreateBroadcastDeps,
  type CreateBroadcastInput,
  createBroadcast,
} from '#shared/use-cases/create-broadcast.ts';
import { aCustomer, anIncident, aSegment, aTemplate } from '#test/support/builders.ts';
import { fakeStores } from '#test/support/fake-stores.ts';
import { FakeApprovalNotifier, type FakeFanout } from '#test/support/fakes.ts';

async function setUp() {
  const stores = await fakeStores({
    template: aTemplate({ allowedVariables: ['gate'] }),
    // A flight from HEL inside the incident's window: two Finnish passengers, one Swede, one without consent.
    segments: ['c1', 'c2', 'c3', 'c4'].map((id) => aSegment(id)),
    customers: [
      aCustomer('c1'),
      aCustomer('c2'),
      aCustomer('c3', { language: 'sv' }),
      aCustomer('c4', { smsConsent: false }),
    ],
  });
  await stores.templates.put(
    aTemplate({ version: 2, status: 'submitted', approvedBy: undefined, approvedAt: undefined }),
  );
  const notifier = new FakeApprovalNotifier();
  const deps: CreateBroadcastDeps = {
    ...stores,
    approvers: { notifier, consoleUrl: 'https://status.example/console/' },
  };
  return { ...stores, notifier, deps };
}

/** The template with its gate shown on X, Facebook and the status page, as well as in the SMS. */
function withPublicGate(template: TemplateVersion): TemplateVersion {
  for (const content of Object.values(template.content)) {
    content.social = 'Departures moved to gate {{vars.gate}}.';
    content.statusBody = 'Gate {{vars.gate}}.';
  }
  return template;
}

const input: CreateBroadcastInput = {
  templateId: 'template-1',
  variables: { gate: 'B12' },
  channels: ['sms', 'x'],
  kind: 'initial',
};
const plannerMessages = (fanout: FakeFanout) => fanout.published.filter(({ target }) => target === 'planner');

describe('createBroadcast', () => {
  it('queues a broadcast of the latest approved version, records who created it and hands it to the planner', async () => {
    const { broadcasts, fanout, audit, deps } = await setUp();

    const broadcast = await createBroadcast('incident-1', input, 'olli.operator', deps);

    expect(broadcast).toMatchObject({ status: 'queued', templateVersion: 1, createdBy: 'olli.operator' });
    expect(broadcasts.items.size).toBe(1);
    expect(plannerMessages(fanout)).toEqual([{ target: 'planner', message: { broadcastId: broadcast.id } }]);
    expect(audit.entries).toEqual([
      expect.objectContaining({
        actor: 'olli.operator',
        action: 'broadcast.created',
        resource: { type: 'broadcast', id: broadcast.id },
      }),
    ]);
  });

  it('an idempotency key replayed answers the same broadcast: one stored, one audited, one planner message', async () => {
    const { broadcasts, fanout, audit, deps } = await setUp();
    const first = await createBroadcast('incident-1', input, 'olli.operator', deps, 'retry-1');
    // The planner has picked it up by the time the client retries.
    await broadcasts.setStatus(first.id, 'sending', { startedAt: new Date().toISOString() });

    const replayed = await createBroadcast('incident-1', input, 'olli.operator', deps, 'retry-1');

    expect(replayed.id).toBe(first.id);
    expect(broadcasts.items.size).toBe(1);
    expect(audit.entries).toHaveLength(1);
    expect(plannerMessages(fanout)).toEqual([{ target: 'planner', message: { broadcastId: first.id } }]);
  });

  it('an idempotency key replayed before planning began publishes the same broadcast again, never a second one', async () => {
    const { broadcasts, fanout, audit, deps } = await setUp();
    const first = await createBroadcast('incident-1', input, 'olli.operator', deps, 'retry-1');

    const replayed = await createBroadcast('incident-1', input, 'olli.operator', deps, 'retry-1');

    expect(replayed.id).toBe(first.id);
    expect(broadcasts.items.size).toBe(1);
    expect(audit.entries).toHaveLength(1);
    // A retry after a crash between storing and publishing is what gets the broadcast planned;
    // the planner is idempotent per broadcast, so a second message for it is harmless.
    const planner = { target: 'planner', message: { broadcastId: first.id } };
    expect(plannerMessages(fanout)).toEqual([planner, planner]);
  });

  it('another idempotency key creates another broadcast', async () => {
    const { broadcasts, deps } = await setUp();

    const first = await createBroadcast('incident-1', input, 'olli.operator', deps, 'key-1');
    const second = await createBroadcast('incident-1', input, 'olli.operator', deps, 'key-2');

    expect(second.id).not.toBe(first.id);
    expect(broadcasts.items.size).toBe(2);
  });

  it('refuses a key replayed with another body (422 on Idempotency-Key), storing and publishing nothing more', async () => {
    const { broadcasts, fanout, audit, deps } = await setUp();
    await createBroadcast('incident-1', input, 'olli.operator', deps, 'retry-1');

    const refusal = await createBroadcast(
      'incident-1',
      { ...input, channels: ['sms'] },
      'olli.operator',
      deps,
      'retry-1',
    ).catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(IdempotencyKeyReusedError);
    expect((refusal as IdempotencyKeyReusedError).errors).toEqual([
      { path: 'Idempotency-Key', message: expect.stringContaining('first sent with another body') },
    ]);
    expect(broadcasts.items.size).toBe(1);
    expect(audit.entries).toHaveLength(1);
    expect(plannerMessages(fanout)).toHaveLength(1);
  });

  it('answers a retry with its broadcast even after the incident was resolved (a resolution broadcast resolves it)', async () => {
    const { incidents, fanout, deps } = await setUp();
    const first = await createBroadcast('incident-1', input, 'olli.operator', deps, 'retry-1');
    await incidents.resolve('incident-1', new Date().toISOString());

    const retried = await createBroadcast('incident-1', input, 'olli.operator', deps, 'retry-1');

    expect(retried.id).toBe(first.id);
    expect(plannerMessages(fanout)).toHaveLength(2);
    await expect(createBroadcast('incident-1', input, 'olli.operator', deps, 'another')).rejects.toThrow(
      ConflictError,
    );
  });

  it('scopes a key to its caller and its incident: the same key elsewhere is another request', async () => {
    const { incidents, broadcasts, deps } = await setUp();
    await incidents.create(anIncident({ id: 'incident-2' }));

    const first = await createBroadcast('incident-1', input, 'olli.operator', deps, 'key-1');
    const otherIncident = await createBroadcast('incident-2', input, 'olli.operator', deps, 'key-1');
    const otherCaller = await createBroadcast('incident-1', input, 'aada.admin', deps, 'key-1');

    expect(new Set([first.id, otherIncident.id, otherCaller.id]).size).toBe(3);
    expect(broadcasts.items.size).toBe(3);
  });

  it('forgets a key after 24 hours, even before the store has deleted it', async () => {
    const { broadcasts, deps } = await setUp();
    vi.useFakeTimers({ now: new Date('2026-12-01T06:00:00Z'), toFake: ['Date'] });
    try {
      const first = await createBroadcast('incident-1', input, 'olli.operator', deps, 'key-1');
      vi.setSystemTime(new Date('2026-12-02T05:59:59Z'));
      const withinADay = await createBroadcast('incident-1', input, 'olli.operator', deps, 'key-1');
      vi.setSystemTime(new Date('2026-12-02T06:00:00Z'));
      const aDayLater = await createBroadcast('incident-1', input, 'olli.operator', deps, 'key-1');

      expect(withinADay.id).toBe(first.id);
      expect(aDayLater.id).not.toBe(first.id);
      expect(broadcasts.items.size).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses a key that is not printable ASCII before anything is read or stored', async () => {
    const { broadcasts, deps } = await setUp();

    for (const key of ['', 'tab\there', 'naïve-key', 'line\nbreak']) {
      const refusal = await createBroadcast('incident-1', input, 'olli.operator', deps, key).catch(
        (error: unknown) => error,
      );
      expect(refusal, JSON.stringify(key)).toBeInstanceOf(ValidationError);
      expect((refusal as ValidationError).errors[0]?.path).toBe('Idempotency-Key');
    }
    expect(broadcasts.items.size).toBe(0);
  });

  it('holds a broadcast with free text for a comms lead: pending_approval, not planned', async () => {
    const { fanout, audit, deps } = await setUp();

    const broadcast = await createBroadcast(
      'incident-1',
      { ...input, variables: { gate: 'B12', note: 'Buses leave from door 3' } },
      'olli.operator',
      deps,
    );

    expect(broadcast.status).toBe('pending_approval');
    expect(plannerMessages(fanout)).toEqual([]);
    expect(audit.entries[0]?.details).toMatchObject({ freeTextVariables: ['note'] });
  });

  it('stores with a held broadcast whom it would reach, counted as the preview counts, for its approver', async () => {
    const { broadcasts, deps } = await setUp();

    const broadcast = await createBroadcast(
      'incident-1',
      { ...input, channels: ['sms', 'x', 'status'], variables: { note: 'Buses leave from door 3' } },
      'olli.operator',
      deps,
    );

    expect(broadcasts.items.get(broadcast.id)?.audienceEstimate).toEqual({
      recipients: { sms: 3, x: 3, status: 1 },
      smsByLanguage: { fi: 2, sv: 1, en: 0 },
      countedAt: expect.any(String),
      complete: true,
    });
  });

  it('counts no audience for a broadcast that needs no approval: the planner counts it at once', async () => {
    const { broadcasts, deps } = await setUp();

    const broadcast = await createBroadcast('incident-1', input, 'olli.operator', deps);

    expect(broadcasts.items.get(broadcast.id)?.audienceEstimate).toBeUndefined();
  });

  it('tells the comms leads a held broadcast waits: ids, the incident title, the requester and a console link', async () => {
    const { notifier, deps } = await setUp();

    const broadcast = await createBroadcast(
      'incident-1',
      { ...input, variables: { note: 'Buses leave from door 3' } },
      'olli.operator',
      deps,
    );
    await createBroadcast('incident-1', input, 'olli.operator', deps);

    expect(notifier.notices).toEqual([
      {
        kind: 'broadcast',
        id: broadcast.id,
        subject: 'Herald: a broadcast waits for approval',
        text: expect.stringContaining('"Strike at Helsinki Airport"'),
        link: `https://status.example/console/#/broadcasts/${broadcast.id}`,
      },
    ]);
    expect(notifier.notices[0]?.text).toContain('Requested by olli.operator');
    // The free text itself (which may hold anything an operator typed) stays in Herald.
    expect(notifier.notices[0]?.text).not.toContain('Buses leave from door 3');
  });

  it('keeps a held broadcast when its notice cannot be published: the console still lists it', async () => {
    const { broadcasts, notifier, deps } = await setUp();
    notifier.failing = true;

    const broadcast = await createBroadcast(
      'incident-1',
      { ...input, variables: { note: 'Buses leave from door 3' } },
      'olli.operator',
      deps,
    );

    expect(broadcast.status).toBe('pending_approval');
    expect(broadcasts.items.has(broadcast.id)).toBe(true);
  });

  it('tells nobody again when a held broadcast is asked for again with its idempotency key', async () => {
    const { notifier, deps } = await setUp();
    const held = { ...input, variables: { note: 'Buses leave from door 3' } };

    await createBroadcast('incident-1', held, 'olli.operator', deps, 'retry-1');
    await createBroadcast('incident-1', held, 'olli.operator', deps, 'retry-1');

    expect(notifier.notices).toHaveLength(1);
  });

  it('refuses a variable shown on a public channel that holds personal data: 422 naming the variable, masked, nothing stored', async () => {
    const { templates, broadcasts, fanout, deps } = await setUp();
    await templates.put(withPublicGate(aTemplate({ id: 'gate-change', allowedVariables: ['gate'] })));

    const refusal = await createBroadcast(
      'incident-1',
      { ...input, templateId: 'gate-change', variables: { gate: 'ask olli@example.com' }, channels: ['x'] },
      'olli.operator',
      deps,
    ).catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(ValidationError);
    expect((refusal as ValidationError).errors).toEqual([
      {
        path: 'variables.gate',
        message: 'Contains an e-mail address (o•••@example.com); public channels never carry personal data.',
      },
    ]);
    expect(broadcasts.items.size).toBe(0);
    expect(fanout.published).toEqual([]);
  });

  it('lets the same value go by SMS only, where the template shows it to the passenger alone', async () => {
    const { templates, deps } = await setUp();
    await templates.put(withPublicGate(aTemplate({ id: 'gate-change', allowedVariables: ['gate'] })));

    const broadcast = await createBroadcast(
      'incident-1',
      { ...input, templateId: 'gate-change', variables: { gate: 'ask olli@example.com' }, channels: ['sms'] },
      'olli.operator',
      deps,
    );

    expect(broadcast.status).toBe('queued');
  });

  it('refuses a version approved before the rule that still puts the incident title on a public channel', async () => {
    const { templates, deps } = await setUp();
    const legacy = aTemplate({ id: 'legacy' });
    for (const content of Object.values(legacy.content)) content.statusTitle = '{{incident.title}}';
    await templates.put(legacy);

    const refusal = await createBroadcast(
      'incident-1',
      { ...input, templateId: 'legacy', variables: {}, channels: ['status'] },
      'olli.operator',
      deps,
    ).catch((error: unknown) => error);

    expect((refusal as ValidationError).errors).toEqual([
      { path: 'templateVersion', message: expect.stringContaining('unreviewed {{incident.title}}') },
    ]);
    await expect(
      createBroadcast(
        'incident-1',
        { ...input, templateId: 'legacy', variables: {}, channels: ['sms'] },
        'olli.operator',
        deps,
      ),
    ).resolves.toMatchObject({ status: 'queued' });
  });

  it('refuses a template version that is not approved, and a resolved incident, storing nothing', async () => {
    const { incidents, broadcasts, fanout, deps } = await setUp();

    await expect(
      createBroadcast('incident-1', { ...input, templateVersion: 2 }, 'olli.operator', deps),
    ).rejects.toThrow(ValidationError);
    await incidents.resolve('incident-1', new Date().toISOString());
    await expect(createBroadcast('incident-1', input, 'olli.operator', deps)).rejects.toThrow(ConflictError);

    expect(broadcasts.items.size).toBe(0);
    expect(fanout.published).toEqual([]);
  });
});
