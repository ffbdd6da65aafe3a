import { describe, expect, it } from 'vitest';
import { ConflictError, ValidationError } from '#shared/domain/errors.ts';
import { SelfApprovalError } from '#shared/domain/template-rules.ts';
import { type ApproveBroadcastDeps, approveBroadcast } from '#shared/use-cases/approve-broadcast.ts';
import { aTemplate } from '#test/support/builders.ts';
import { FakeAuditStore, FakeBroadcastStore, FakeFanout, FakeTemplateStore } from '#test/support/fakes.ts';

/**
 * A broadcast with free text that kaisa.lead, a comms lead, requested and that waits for approval;
 * the template shows the note on the status page.
 */
async function pendingBroadcast(note = 'Buses leave from door 3') {
  const broadcasts = new FakeBroadcastStore();
  broadcasts.add({
    id: 'b1',
    status: 'pending_approval',
    createdBy: 'kaisa.lead',
    channels: ['sms', 'status'],
    variables: { note },
  });
  const templates = new FakeTemplateStore();
  const template = aTemplate({ freeTextVariables: ['note'] });
  for (const content of Object.values(template.content)) content.statusBody = 'Disrupted. {{vars.note}}';
  await templates.put(template);
  const fanout = new FakeFanout();
  const audit = new FakeAuditStore();
  const deps: ApproveBroadcastDeps = { broadcasts, templates, fanout, audit };
  return { broadcasts, fanout, audit, deps };
}

describe('approveBroadcast', () => {
  it('four-eyes: the comms lead who requested a broadcast cannot approve it, and it stays held', async () => {
    const { broadcasts, fanout, audit, deps } = await pendingBroadcast();

    await expect(approveBroadcast('b1', 'kaisa.lead', deps)).rejects.toThrow(SelfApprovalError);

    expect((await broadcasts.get('b1'))?.status).toBe('pending_approval');
    expect(fanout.published).toEqual([]);
    expect(audit.entries).toEqual([]);
  });

  it('another comms lead approves it: queued, handed to the planner once, and audited with who requested it', async () => {
    const { broadcasts, fanout, audit, deps } = await pendingBroadcast();

    const approved = await approveBroadcast('b1', 'pekka.lead', deps);

    expect(approved.status).toBe('queued');
    expect((await broadcasts.get('b1'))?.status).toBe('queued');
    expect(fanout.published).toEqual([{ target: 'planner', message: { broadcastId: 'b1' } }]);
    expect(audit.entries).toEqual([
      expect.objectContaining({
        actor: 'pekka.lead',
        action: 'broadcast.approved',
        resource: { type: 'broadcast', id: 'b1' },
        details: expect.objectContaining({ requestedBy: 'kaisa.lead' }),
      }),
    ]);
  });

  it('records who approved it and when, for the broadcast page and the CLI', async () => {
    const { broadcasts, deps } = await pendingBroadcast();
    const before = new Date().toISOString();

    const approved = await approveBroadcast('b1', 'pekka.lead', deps);

    const stored = await broadcasts.get('b1');
    expect(stored).toMatchObject({ approvedBy: 'pekka.lead', approvedAt: approved.approvedAt });
    expect(stored?.approvedAt && stored.approvedAt >= before).toBe(true);
  });

  it('of two comms leads approving at once, one hands it to the planner and the other is told it moved on', async () => {
    const { fanout, audit, deps } = await pendingBroadcast();

    const outcomes = await Promise.allSettled([
      approveBroadcast('b1', 'pekka.lead', deps),
      approveBroadcast('b1', 'maija.lead', deps),
    ]);

    expect(outcomes.map(({ status }) => status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(outcomes.find((outcome) => outcome.status === 'rejected')?.reason).toBeInstanceOf(ConflictError);
    expect(fanout.published).toEqual([{ target: 'planner', message: { broadcastId: 'b1' } }]);
    expect(audit.entries).toHaveLength(1);
  });

  it('refuses a held broadcast whose public note carries a phone number (422 on the variable, masked), and keeps it held', async () => {
    const { broadcasts, fanout, audit, deps } = await pendingBroadcast(
      'Questions? Call Aino on +358401234567',
    );

    const refusal = await approveBroadcast('b1', 'pekka.lead', deps).catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(ValidationError);
    expect((refusal as ValidationError).errors).toEqual([
      {
        path: 'variables.note',
        message: 'Contains a phone number (+35840•••••67); public channels never carry personal data.',
      },
    ]);
    expect((await broadcasts.get('b1'))?.status).toBe('pending_approval');
    expect(fanout.published).toEqual([]);
    expect(audit.entries).toEqual([]);
  });

  it('an approval of a cancelled broadcast is refused and publishes nothing', async () => {
    const { broadcasts, fanout, deps } = await pendingBroadcast();
    await broadcasts.setStatus('b1', 'cancelled');

    await expect(approveBroadcast('b1', 'pekka.lead', deps)).rejects.toThrow(ConflictError);

    expect(fanout.published).toEqual([]);
  });
});
