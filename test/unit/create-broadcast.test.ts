import { describe, expect, it } from 'vitest';
import { ConflictError, ValidationError } from '#shared/domain/errors.ts';
import {
  type CreateBroadcastDeps,
  type CreateBroadcastInput,
  createBroadcast,
} from '#shared/use-cases/create-broadcast.ts';
import { anIncident, aTemplate } from '#test/support/builders.ts';
import {
  FakeAuditStore,
  FakeBroadcastStore,
  FakeFanout,
  FakeIncidentStore,
  FakeTemplateStore,
} from '#test/support/fakes.ts';

async function setUp() {
  const incidents = new FakeIncidentStore();
  await incidents.create(anIncident());
  const templates = new FakeTemplateStore();
  await templates.put(aTemplate({ allowedVariables: ['gate'] }));
  await templates.put(
    aTemplate({ version: 2, status: 'submitted', approvedBy: undefined, approvedAt: undefined }),
  );
  const broadcasts = new FakeBroadcastStore();
  const fanout = new FakeFanout();
  const audit = new FakeAuditStore();
  const deps: CreateBroadcastDeps = { incidents, templates, broadcasts, fanout, audit };
  return { incidents, broadcasts, fanout, audit, deps };
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
