import { describe, expect, it } from 'vitest';
import { listPendingApprovals } from '#shared/use-cases/list-pending-approvals.ts';
import { anIncident, aTemplate } from '#test/support/builders.ts';
import { FakeBroadcastStore, FakeIncidentStore, FakeTemplateStore } from '#test/support/fakes.ts';

async function setUp() {
  const incidents = new FakeIncidentStore();
  await incidents.create(anIncident());
  const broadcasts = new FakeBroadcastStore();
  const templates = new FakeTemplateStore();
  return { incidents, broadcasts, templates };
}

describe('listPendingApprovals', () => {
  it('lists the held broadcasts with their incident, requester and counted audience, and nothing else', async () => {
    const deps = await setUp();
    const audienceEstimate = {
      recipients: { sms: 5 },
      smsByLanguage: { fi: 5, sv: 0, en: 0 },
      countedAt: '2026-12-01T06:00:00.000Z',
      complete: true,
    };
    deps.broadcasts.add({ id: 'held', status: 'pending_approval', audienceEstimate });
    deps.broadcasts.add({ id: 'sending', status: 'sending' });
    deps.broadcasts.add({ id: 'cancelled', status: 'cancelled' });

    const pending = await listPendingApprovals(deps);

    expect(pending.broadcasts).toEqual([
      expect.objectContaining({
        id: 'held',
        incidentTitle: 'Strike at Helsinki Airport',
        requestedBy: 'olli.operator',
        audience: audienceEstimate,
      }),
    ]);
  });

  it('marks a held broadcast whose incident is an exercise, and only that one', async () => {
    const deps = await setUp();
    await deps.incidents.create(anIncident({ id: 'rehearsal', exercise: true }));
    deps.broadcasts.add({ id: 'real', status: 'pending_approval' });
    deps.broadcasts.add({ id: 'drill', incidentId: 'rehearsal', status: 'pending_approval' });

    const pending = await listPendingApprovals(deps);

    expect(Object.fromEntries(pending.broadcasts.map(({ id, exercise }) => [id, exercise]))).toEqual({
      real: false,
      drill: true,
    });
  });

  it('lists the templates whose latest version waits for review', async () => {
    const deps = await setUp();
    await deps.templates.put(aTemplate({ id: 'approved' }));
    await deps.templates.put(aTemplate({ id: 'waiting', status: 'submitted' }));
    await deps.templates.put(aTemplate({ id: 'draft', status: 'draft' }));

    const pending = await listPendingApprovals(deps);

    expect(pending.templates.map((template) => template.id)).toEqual(['waiting']);
  });
});
