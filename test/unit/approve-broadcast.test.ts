import { describe, expect, it } from 'vitest';
import { ConflictError } from '#shared/domain/errors.ts';
import { SelfApprovalError } from '#shared/domain/template-rules.ts';
import { type ApproveBroadcastDeps, approveBroadcast } from '#shared/use-cases/approve-broadcast.ts';
import { FakeAuditStore, FakeBroadcastStore, FakeFanout } from '#test/support/fakes.ts';

/** A broadcast with free text that kaisa.lead, a comms lead, requested and that waits for approval. */
function pendingBroadcast() {
  const broadcasts = new FakeBroadcastStore();
  broadcasts.add({
    id: 'b1',
    status: 'pending_approval',
    createdBy: 'kaisa.lead',
    variables: { note: 'Buses leave from door 3' },
  });
  const fanout = new FakeFanout();
  const audit = new FakeAuditStore();
  const deps: ApproveBroadcastDeps = { broadcasts, fanout, audit };
  return { broadcasts, fanout, audit, deps };
}

describe('approveBroadcast', () => {
  it('four-eyes: the comms lead who requested a broadcast cannot approve it, and it stays held', async () => {
    const { broadcasts, fanout, audit, deps } = pendingBroadcast();

    await expect(approveBroadcast('b1', 'kaisa.lead', deps)).rejects.toThrow(SelfApprovalError);

    expect((await broadcasts.get('b1'))?.status).toBe('pending_approval');
    expect(fanout.published).toEqual([]);
    expect(audit.entries).toEqual([]);
  });

  it('another comms lead approves it: queued, handed to the planner once, and audited with who requested it', async () => {
    const { broadcasts, fanout, audit, deps } = pendingBroadcast();

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

  it('of two comms leads approving at once, one hands it to the planner and the other is told it moved on', async () => {
    const { fanout, audit, deps } = pendingBroadcast();

    const outcomes = await Promise.allSettled([
      approveBroadcast('b1', 'pekka.lead', deps),
      approveBroadcast('b1', 'maija.lead', deps),
    ]);

    expect(outcomes.map(({ status }) => status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(outcomes.find((outcome) => outcome.status === 'rejected')?.reason).toBeInstanceOf(ConflictError);
    expect(fanout.published).toEqual([{ target: 'planner', message: { broadcastId: 'b1' } }]);
    expect(audit.entries).toHaveLength(1);
  });

  it('an approval of a cancelled broadcast is refused and publishes nothing', async () => {
    const { broadcasts, fanout, deps } = pendingBroadcast();
    await broadcasts.setStatus('b1', 'cancelled');

    await expect(approveBroadcast('b1', 'pekka.lead', deps)).rejects.toThrow(ConflictError);

    expect(fanout.published).toEqual([]);
  });
});
