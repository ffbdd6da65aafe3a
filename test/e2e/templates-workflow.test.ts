import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#infra/local/stack.ts';
import type {
  AuditEntry,
  Broadcast,
  Incident,
  TemplateSummary,
  TemplateVersion,
} from '#shared/domain/model.ts';
import {
  apiClient,
  apiClientAs,
  eventually,
  sandboxMessages,
  startTestStack,
} from '#test/support/local-stack.ts';

interface ProblemBody {
  status: number;
  detail?: string;
  errors?: { path: string; message: string }[];
}

const content = (gate: string) => ({
  sms: `Hi {{customer.firstName}}, flight {{flight.number}} now leaves from gate ${gate}{{vars.gate}}.`,
  social: 'Departures from {{incident.airports}} use new gates. Gate {{vars.gate}}.',
  statusTitle: 'Gate change at {{incident.airports}}',
  statusBody: 'New gates at {{incident.airports}}. Gate {{vars.gate}}.',
});
const templateBody = (id: string) => ({
  id,
  name: 'Gate change',
  allowedVariables: ['gate'],
  maxVariableLength: 4,
  content: { fi: content(''), sv: content(''), en: content('') },
});

describe('templates: four-eyes approval, free-text broadcasts and the audit log', () => {
  let stack: LocalStack;
  let cecilia: ReturnType<typeof apiClientAs>;
  let kalle: ReturnType<typeof apiClientAs>;
  const today = new Date().toISOString().slice(0, 10);
  const openIncident = async (airport: string) => {
    const created = await apiClient(stack, 'operator')<Incident>('POST', '/incidents', {
      type: 'strike',
      title: `Strike at ${airport}`,
      severity: 'moderate',
      window: { start: `${today}T00:00:00+00:00`, end: `${today}T23:59:59+00:00` },
      scope: { airports: [airport] },
    });
    expect(created.status).toBe(201);
    return created.body.id;
  };
  const auditActions = async () =>
    (await apiClient(stack, 'admin')<{ items: AuditEntry[] }>('GET', '/audit?limit=500')).body.items;

  beforeAll(async () => {
    stack = await startTestStack();
    cecilia = apiClientAs(stack, 'cecilia.comms');
    kalle = apiClientAs(stack, 'kalle.comms');
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('takes a draft through submit and approval by the other lead, after which it can be broadcast', async () => {
    const created = await cecilia('POST', '/templates', templateBody('gate-change'));
    expect(created).toMatchObject({ status: 201, body: { id: 'gate-change', version: 1, status: 'draft' } });

    const selfApproval = await cecilia<ProblemBody>('POST', '/templates/gate-change/versions/1/approve');
    expect(selfApproval.status).toBe(409);
    expect(selfApproval.body.detail).toMatch(/not approve .*draft|only a submitted version/);

    expect(await cecilia('POST', '/templates/gate-change/versions/1/submit')).toMatchObject({
      status: 200,
      body: { version: 1, status: 'submitted' },
    });
    const own = await cecilia<ProblemBody>('POST', '/templates/gate-change/versions/1/approve');
    expect(own.status).toBe(409);
    expect(own.contentType).toBe('application/problem+json');
    expect(own.body.detail).toBe(
      "cecilia.comms wrote version 1 of 'gate-change' and so cannot approve it: another comms lead must (four-eyes).",
    );
    expect(await kalle('POST', '/templates/gate-change/versions/1/approve')).toMatchObject({
      status: 200,
      body: { status: 'approved' },
    });

    const detail = await apiClient(stack, 'viewer')<{ versions: TemplateVersion[]; approvedVersion: number }>(
      'GET',
      '/templates/gate-change',
    );
    expect(detail.body.approvedVersion).toBe(1);
    expect(detail.body.versions[0]).toMatchObject({
      createdBy: 'cecilia.comms',
      submittedBy: 'cecilia.comms',
      approvedBy: 'kalle.comms',
    });
    const list = await apiClient(stack, 'operator')<{ items: TemplateSummary[] }>('GET', '/templates');
    expect(list.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: 'gate-change',
          latestVersion: 1,
          status: 'approved',
          approvedVersion: 1,
        }),
        expect.objectContaining({ id: 'strike-disruption', status: 'approved' }),
      ]),
    );

    const incidentId = await openIncident('RIX');
    const broadcast = await apiClient(stack, 'operator')<{ id: string; status: string }>(
      'POST',
      `/incidents/${incidentId}/broadcasts`,
      { templateId: 'gate-change', variables: { gate: '12' }, channels: ['x'] },
    );
    expect(broadcast).toMatchObject({ status: 202, body: { status: 'queued' } });
    const stored = await apiClient(stack, 'operator')<Broadcast>('GET', `/broadcasts/${broadcast.body.id}`);
    expect(stored.body).toMatchObject({ templateId: 'gate-change', templateVersion: 1 });
    const tweets = await eventually(async () => {
      const texts = (await sandboxMessages(stack.sandboxes.x)).map((tweet) =>
        String(tweet.request.body.text),
      );
      return texts.some((text) => text.includes('Gate 12.')) ? texts : undefined;
    });
    expect(tweets).toContain('Departures from RIX use new gates. Gate 12.');

    const tooLong = await apiClient(stack, 'operator')<ProblemBody>(
      'POST',
      `/incidents/${incidentId}/broadcasts`,
      {
        templateId: 'gate-change',
        variables: { gate: 'B12-east' },
      },
    );
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.errors?.[0]?.path).toBe('variables.gate');

    const actions = (await auditActions()).filter(
      (entry) => entry.resource.id === 'gate-change' || entry.resource.id === broadcast.body.id,
    );
    expect(actions.map((entry) => [entry.action, entry.actor, entry.resource.version]).reverse()).toEqual([
      ['template.created', 'cecilia.comms', 1],
      ['template.submitted', 'cecilia.comms', 1],
      ['template.approved', 'kalle.comms', 1],
      ['broadcast.created', 'olli.operator', undefined],
    ]);
    expect(actions[0]?.details).toMatchObject({
      templateId: 'gate-change',
      templateVersion: 1,
      status: 'queued',
    });
  });

  it('rejects a version with a reason, keeps drafts out of broadcasts and checks the rules at submit', async () => {
    const edited = await kalle('PUT', '/templates/gate-change', {
      content: { fi: content('A'), sv: content('A'), en: content('A') },
    });
    expect(edited).toMatchObject({ status: 201, body: { id: 'gate-change', version: 2, status: 'draft' } });

    const incidentId = await openIncident('TLL');
    const draft = await apiClient(stack, 'operator')<ProblemBody>(
      'POST',
      `/incidents/${incidentId}/broadcasts`,
      {
        templateId: 'gate-change',
        templateVersion: 2,
      },
    );
    expect(draft.status).toBe(422);
    expect(draft.body.errors).toEqual([
      { path: 'templateVersion', message: "Version 2 of 'gate-change' is draft, not approved." },
    ]);

    expect((await kalle('POST', '/templates/gate-change/versions/2/submit')).status).toBe(200);
    const noReason = await cecilia<ProblemBody>('POST', '/templates/gate-change/versions/2/reject', {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors?.[0]?.path).toBe('reason');
    expect(
      await cecilia('POST', '/templates/gate-change/versions/2/reject', { reason: 'Gate prefix is wrong' }),
    ).toMatchObject({
      status: 200,
      body: { version: 2, status: 'rejected', reason: 'Gate prefix is wrong' },
    });
    expect((await kalle('POST', '/templates/gate-change/versions/2/approve')).status).toBe(409);
    const versions = await cecilia<{ versions: TemplateVersion[]; latestVersion: number }>(
      'GET',
      '/templates/gate-change',
    );
    expect(versions.body.versions.map((version) => [version.version, version.status])).toEqual([
      [2, 'rejected'],
      [1, 'approved'],
    ]);
    expect(versions.body.versions[0]).toMatchObject({
      rejectedBy: 'cecilia.comms',
      rejectionReason: 'Gate prefix is wrong',
    });

    const leaky = await cecilia('PUT', '/templates/gate-change', {
      content: {
        fi: content(''),
        sv: content(''),
        en: { ...content(''), social: 'Hi {{customer.firstName}}, {{vars.terminal}}' },
      },
    });
    expect(leaky.body).toMatchObject({ version: 3 });
    const refused = await cecilia<ProblemBody>('POST', '/templates/gate-change/versions/3/submit');
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([
      {
        path: 'content.en.social',
        message: expect.stringMatching(
          /^Personal variable \{\{customer\.firstName\}\} may only be used in sms/,
        ),
      },
      {
        path: 'content.en.social',
        message:
          "Unknown variable {{vars.terminal}}: declare 'terminal' in allowedVariables or freeTextVariables.",
      },
    ]);

    const incomplete = await cecilia<ProblemBody>('POST', '/templates', {
      ...templateBody('half-done'),
      content: { fi: content(''), en: content('') },
    });
    expect(incomplete.status).toBe(422);
    expect(incomplete.body.errors?.map((error) => error.path)).toEqual([
      'content.sv.sms',
      'content.sv.social',
      'content.sv.statusTitle',
      'content.sv.statusBody',
    ]);
    expect((await cecilia('POST', '/templates', templateBody('gate-change'))).status).toBe(409);
    expect(
      (await apiClient(stack, 'operator')('POST', '/templates', templateBody('by-operator'))).status,
    ).toBe(403);

    const audit = (await auditActions()).filter((entry) => entry.resource.id === 'gate-change');
    expect(audit.find((entry) => entry.action === 'template.rejected')).toMatchObject({
      actor: 'cecilia.comms',
      resource: { type: 'template', id: 'gate-change', version: 2 },
      details: { reason: 'Gate prefix is wrong' },
    });
    expect(
      audit.filter((entry) => entry.action === 'template.updated').map((entry) => entry.resource.version),
    ).toEqual([3, 2]);
  });

  it('holds a broadcast with free text for approval and sends it only once another person approves', async () => {
    const operator = apiClient(stack, 'operator');
    const incidentId = await openIncident('OUL');
    const textsBefore = (await sandboxMessages(stack.sandboxes.twilio)).length;
    const held = await operator<{ id: string; status: string }>(
      'POST',
      `/incidents/${incidentId}/broadcasts`,
      {
        templateId: 'strike-disruption',
        variables: { note: 'Buses replace flights to Helsinki.' },
      },
    );
    expect(held).toMatchObject({ status: 202, body: { status: 'pending_approval' } });

    // Nothing is planned for a held broadcast: give the bus time to prove it.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const waiting = await operator<Broadcast>('GET', `/broadcasts/${held.body.id}`);
    expect(waiting.body.status).toBe('pending_approval');
    expect(await sandboxMessages(stack.sandboxes.twilio)).toHaveLength(textsBefore);

    expect((await operator('POST', `/broadcasts/${held.body.id}/approve`)).status).toBe(403);
    expect(await kalle('POST', `/broadcasts/${held.body.id}/approve`)).toMatchObject({
      status: 200,
      body: { id: held.body.id, status: 'queued' },
    });
    expect((await cecilia('POST', `/broadcasts/${held.body.id}/approve`)).status).toBe(409);

    const done = await eventually(async () => {
      const { body } = await operator<Broadcast>('GET', `/broadcasts/${held.body.id}`);
      return body.status === 'completed' || body.status === 'partial' || body.status === 'failed'
        ? body
        : undefined;
    });
    expect(done.status).toBe('completed');
    // Every recipient is texted once, only now (sent, or delivered once the sandbox calls back).
    const recipients = done.counts.sms?.recipients ?? 0;
    expect(recipients).toBeGreaterThan(0);
    expect(await sandboxMessages(stack.sandboxes.twilio)).toHaveLength(textsBefore + recipients);
    const status = (await (await fetch(`${stack.apiUrl}/status.json`)).json()) as {
      current: { id: string; updates: { texts: Record<string, { body: string }> }[] }[];
    };
    expect(status.current.find((incident) => incident.id === incidentId)?.updates[0]?.texts.en?.body).toBe(
      'Flights at OUL may be delayed or cancelled. Affected passengers are being contacted by SMS. Buses replace flights to Helsinki.',
    );

    const entries = (await auditActions()).filter((entry) => entry.resource.id === held.body.id);
    expect(entries.map((entry) => [entry.action, entry.actor])).toEqual([
      ['broadcast.approved', 'kalle.comms'],
      ['broadcast.created', 'olli.operator'],
    ]);
    expect(entries[1]?.details).toMatchObject({ status: 'pending_approval', freeTextVariables: ['note'] });
  });

  it('shows the audit log to admins only, newest first, page by page, with no way to change it', async () => {
    for (const role of ['operator', 'comms_lead', 'viewer'] as const)
      expect((await apiClient(stack, role)('GET', '/audit')).status).toBe(403);
    expect((await apiClient(stack, 'anonymous')('GET', '/audit')).status).toBe(401);

    const admin = apiClient(stack, 'admin');
    const all = (await admin<{ items: AuditEntry[] }>('GET', '/audit?limit=500')).body.items;
    expect(all.length).toBeGreaterThan(8);
    const times = all.map((entry) => entry.at);
    expect(times).toEqual([...times].sort().reverse());

    const first = await admin<{ items: AuditEntry[]; next?: string }>('GET', '/audit?limit=3');
    expect(first.body.items).toEqual(all.slice(0, 3));
    const second = await admin<{ items: AuditEntry[] }>(
      'GET',
      `/audit?limit=3&next=${encodeURIComponent(first.body.next ?? '')}`,
    );
    expect(second.body.items).toEqual(all.slice(3, 6));
    const future = await admin<{ items: AuditEntry[] }>(
      'GET',
      `/audit?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`,
    );
    expect(future.body.items).toEqual([]);
    expect((await admin('GET', '/audit?from=yesterday')).status).toBe(400);

    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const response = await fetch(`${stack.apiUrl}/audit`, {
        method,
        headers: { authorization: `Bearer ${stack.users.find((user) => user.role === 'admin')?.key}` },
      });
      expect(response.status).toBe(404);
    }
  });
});
