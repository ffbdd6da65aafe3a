import { describe, expect, it } from 'vitest';
import { createIncident } from '#shared/use-cases/create-incident.ts';
import { resolveIncident } from '#shared/use-cases/resolve-incident.ts';
import { FakeAuditStore, FakeFanout, FakeIncidentStore } from '#test/support/fakes.ts';

describe('the audit log records incidents opened and resolved', () => {
  const open = async () => {
    const deps = {
      incidents: new FakeIncidentStore(),
      audit: new FakeAuditStore(),
      fanout: new FakeFanout(),
    };
    const incident = await createIncident(
      {
        type: 'strike',
        title: 'Ground handling strike at Oslo',
        severity: 'severe',
        window: { start: '2026-11-23T06:00:00+01:00', end: '2026-11-23T18:00:00+01:00' },
        scope: { airports: ['OSL'] },
      },
      'olli.operator',
      deps,
    );
    return { deps, incident };
  };

  it('records who opened an incident, what it is and when', async () => {
    const { deps, incident } = await open();
    expect(deps.audit.entries).toEqual([
      {
        id: expect.any(String),
        at: expect.any(String),
        actor: 'olli.operator',
        action: 'incident.created',
        resource: { type: 'incident', id: incident.id },
        details: { title: 'Ground handling strike at Oslo', type: 'strike', severity: 'severe' },
      },
    ]);
  });

  it('records who resolved it, once: resolving again changes nothing', async () => {
    const { deps, incident } = await open();
    const resolved = await resolveIncident(incident.id, 'aada.admin', deps);
    await resolveIncident(incident.id, 'olli.operator', deps);
    const resolutions = deps.audit.entries.filter((entry) => entry.action === 'incident.resolved');
    expect(resolutions).toEqual([
      expect.objectContaining({
        actor: 'aada.admin',
        resource: { type: 'incident', id: incident.id },
        details: { resolvedAt: resolved.resolvedAt },
      }),
    ]);
  });
});
