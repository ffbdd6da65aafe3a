import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboxNotice } from '#infra/local/approval-inbox.ts';
import type { LocalStack } from '#infra/local/stack.ts';
import type { PendingApprovals } from '#shared/api/approvals.ts';
import type { Preview } from '#shared/api/broadcasts.ts';
import type { BroadcastReview } from '#shared/domain/broadcast-review.ts';
import type { Broadcast, Incident } from '#shared/domain/model.ts';
import { runHeraldAs } from '#test/support/herald-cli.ts';
import { apiClientAs, eventually, startTestStack } from '#test/support/local-stack.ts';

const NOTE = 'Buses to the terminal leave from door 3.';

/**
 * Approving with content, end to end on the local stack: an operator's free-text broadcast is
 * held, the comms leads are told (the approvals topic's inbox), and the approval view and
 * `herald broadcast status` show its texts with the free text marked, its recipients counted
 * when it was requested, and who asked; once approved, who approved it and when.
 */
describe('approval with content and the pending-approval notice', () => {
  let stack: LocalStack;
  const today = new Date().toISOString().slice(0, 10);

  const as = (userName: string) => apiClientAs(stack, userName);
  const herald = (userName: string, args: string[]) => runHeraldAs(stack, userName, args);

  let incidentId: string;
  let broadcastId: string;
  let preview: Preview;

  beforeAll(async () => {
    stack = await startTestStack();
    const olli = as('olli.operator');
    const incident = await olli<Incident>('POST', '/incidents', {
      type: 'strike',
      title: 'Ground handling strike at Oslo',
      severity: 'severe',
      window: { start: `${today}T00:00:00+00:00`, end: `${today}T23:59:59+00:00` },
      scope: { airports: ['OSL'] },
    });
    incidentId = incident.body.id;
    const request = { templateId: 'strike-disruption', variables: { note: NOTE } };
    preview = (await olli<Preview>('POST', `/incidents/${incidentId}/preview`, request)).body;
    const created = await olli<{ id: string; status: string }>(
      'POST',
      `/incidents/${incidentId}/broadcasts`,
      request,
    );
    expect(created).toMatchObject({ status: 202, body: { status: 'pending_approval' } });
    broadcastId = created.body.id;
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('tells the comms leads on the approvals topic: ids, the title, the requester and a console link, not the free text', async () => {
    const notice = await eventually(async () =>
      stack.approvalNotices.find((candidate) => candidate.text.includes(broadcastId)),
    );

    expect(notice.kind).toBe('broadcast');
    expect(notice.text).toContain('"Ground handling strike at Oslo"');
    expect(notice.text).toContain('Requested by olli.operator');
    expect(notice.text).toContain(`${stack.apiUrl}/console/#/broadcasts/${broadcastId}`);
    expect(notice.text).not.toContain(NOTE);
    const inbox = (await (await fetch(`${stack.apiUrl}/__herald/approval-notices`)).json()) as InboxNotice[];
    expect(inbox.map((item) => item.text)).toContain(notice.text);
  });

  it('the approval view: every text per channel and language, the free text marked, counts as the preview counted them', async () => {
    const review = await as('kalle.comms')<BroadcastReview>('GET', `/broadcasts/${broadcastId}/review`);

    expect(review.status).toBe(200);
    expect(review.body).toMatchObject({
      status: 'pending_approval',
      requestedBy: 'olli.operator',
      incidentTitle: 'Ground handling strike at Oslo',
      freeTextVariables: ['note'],
    });
    expect(review.body.audience).toMatchObject({
      recipients: { sms: preview.recipients.sms, x: 3, facebook: 3, status: 1 },
      smsByLanguage: preview.recipients.byLanguage,
      complete: true,
    });
    expect(preview.recipients.sms).toBeGreaterThan(0);
    for (const language of ['fi', 'sv', 'en'] as const) {
      const body = review.body.messages.status?.[language]?.body ?? [];
      expect(body).toContainEqual({ text: NOTE, freeText: 'note' });
      // The parts joined are what the status page will carry: the preview's text.
      expect(body.map((part) => part.text).join('')).toBe(preview.messages.status?.[language]?.body);
      expect(review.body.messages.sms?.[language]?.some((part) => part.personal)).toBe(true);
    }
  });

  it('lists the held broadcast in the comms leads’ queue with its counts', async () => {
    const pending = await as('cecilia.comms')<PendingApprovals>('GET', '/approvals');

    expect(pending.body.broadcasts).toContainEqual(
      expect.objectContaining({
        id: broadcastId,
        incidentTitle: 'Ground handling strike at Oslo',
        requestedBy: 'olli.operator',
        audience: expect.objectContaining({
          recipients: expect.objectContaining({ sms: preview.recipients.sms }),
        }),
      }),
    );
  });

  it('herald broadcast status prints the texts with the free text marked, the counts and the requester', async () => {
    const run = await herald('kalle.comms', ['broadcast', 'status', broadcastId]);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('pending_approval');
    expect(run.stdout).toContain('Requested by olli.operator at');
    expect(run.stdout).toContain(`«${NOTE}»`);
    expect(run.stdout).toMatch(new RegExp(`^sms\\s+${preview.recipients.sms}\\s`, 'm'));
    expect(run.stdout).toMatch(/^x\s+3\s/m);
    for (const language of ['fi', 'sv', 'en']) expect(run.stdout).toContain(`  ${language}: `);
    const asJson = await herald('kalle.comms', ['--json', 'broadcast', 'status', broadcastId]);
    expect(JSON.parse(asJson.stdout)).toMatchObject({
      id: broadcastId,
      review: { requestedBy: 'olli.operator' },
    });
  });

  it('once approved: who approved it and when, and the queue no longer holds it', async () => {
    const approved = await as('kalle.comms')('POST', `/broadcasts/${broadcastId}/approve`);
    expect(approved.status).toBe(200);

    const broadcast = await as('vera.viewer')<Broadcast>('GET', `/broadcasts/${broadcastId}`);
    expect(broadcast.body.approvedBy).toBe('kalle.comms');
    expect(Date.parse(broadcast.body.approvedAt ?? '')).toBeGreaterThanOrEqual(
      Date.parse(broadcast.body.createdAt),
    );
    const pending = await as('cecilia.comms')<PendingApprovals>('GET', '/approvals');
    expect(pending.body.broadcasts.map((item) => item.id)).not.toContain(broadcastId);
    const run = await herald('olli.operator', ['broadcast', 'status', broadcastId]);
    expect(run.stdout).toMatch(/Approved by kalle\.comms at \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
  });

  it('a template version submitted for review is announced too, and waits in the queue', async () => {
    const cecilia = as('cecilia.comms');
    const detail = await cecilia<{ versions: { content: unknown; name: string }[] }>(
      'GET',
      '/templates/strike-disruption',
    );
    const latest = detail.body.versions[0];
    const draft = await cecilia<{ version: number }>('PUT', '/templates/strike-disruption', {
      name: latest?.name,
      freeTextVariables: ['note'],
      content: latest?.content,
    });
    expect(draft.status).toBe(201);

    await cecilia('POST', `/templates/strike-disruption/versions/${draft.body.version}/submit`);

    const notice = await eventually(async () =>
      stack.approvalNotices.find((candidate) => candidate.kind === 'template'),
    );
    expect(notice.text).toContain(`Version ${draft.body.version} of template`);
    expect(notice.text).toContain(`${stack.apiUrl}/console/#/templates/strike-disruption`);
    const pending = await cecilia<PendingApprovals>('GET', '/approvals');
    expect(pending.body.templates.map((template) => template.id)).toContain('strike-disruption');
  });
});
