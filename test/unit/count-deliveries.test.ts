import { describe, expect, it } from 'vitest';
import type { CountedRecord } from '#shared/domain/channel-counts.ts';
import {
  countDeliveries,
  foldChanges,
  type LedgerChange,
  paddedSequence,
} from '#shared/use-cases/count-deliveries.ts';
import { FakeBroadcastStore } from '#test/support/fakes.ts';

const record = (status: CountedRecord['status'], tallies: Partial<CountedRecord> = {}): CountedRecord => ({
  broadcastId: 'b1',
  channel: 'sms',
  status,
  ...tallies,
});
const change = (sequence: number, before?: CountedRecord, after?: CountedRecord): LedgerChange => ({
  sequence: paddedSequence(String(sequence)),
  ...(before ? { before } : {}),
  ...(after ? { after } : {}),
});

/** One SMS's life in the ledger: planned, claimed, sent after two provider calls, delivered. */
const oneSms = [
  change(1, undefined, record('queued')),
  change(2, record('queued'), record('sending')),
  change(3, record('sending'), record('sent', { calls: 2 })),
  change(4, record('sent', { calls: 2 }), record('delivered', { calls: 2 })),
];

describe('folding ledger changes into counts', () => {
  it('counts a record once as a recipient and in its latest status only, with its provider calls', () => {
    expect(foldChanges(oneSms)).toEqual({ sms: { recipients: 1, delivered: 1, attempts: 2 } });
    expect(foldChanges(oneSms.slice(0, 3))).toEqual({ sms: { recipients: 1, sent: 1, attempts: 2 } });
  });

  it('counts undelivered as failed, opted_out as opted out and the duplicates a record notes', () => {
    const changes = [
      change(1, record('sending'), record('undelivered', { calls: 1 })),
      change(2, record('sending', { channel: 'x' }), { ...record('opted_out'), channel: 'x' }),
      change(3, record('sent'), record('sent', { duplicatesSuspected: 1 })),
    ];
    expect(foldChanges(changes)).toEqual({
      sms: { failed: 1, attempts: 1, duplicatesSuspected: 1 },
      x: { optedOut: 1 },
    });
  });

  it('pads sequence numbers so a later one compares greater as a string', () => {
    expect(paddedSequence('900') < paddedSequence('1000')).toBe(true);
  });
});

describe('countDeliveries', () => {
  async function counted(batches: LedgerChange[][], shard = 'shard-1') {
    const broadcasts = new FakeBroadcastStore();
    broadcasts.add({ id: 'b1', status: 'sending' });
    for (const batch of batches) await countDeliveries(shard, batch, { broadcasts });
    return broadcasts;
  }

  it('counts a batch delivered again (a retried invocation) once', async () => {
    const broadcasts = await counted([oneSms, oneSms]);

    expect((await broadcasts.get('b1'))?.counts.sms).toMatchObject({
      recipients: 1,
      delivered: 1,
      attempts: 2,
    });
  });

  it('counts only the changes not counted yet when a retried batch overlaps the one counted', async () => {
    // The first half counted, then the whole batch again (split differently after a failure).
    const broadcasts = await counted([oneSms.slice(0, 2), oneSms]);

    expect((await broadcasts.get('b1'))?.counts.sms).toMatchObject({
      recipients: 1,
      delivered: 1,
      attempts: 2,
    });
  });

  it('keeps each shard apart: the same sequence numbers on another shard are other changes', async () => {
    const broadcasts = new FakeBroadcastStore();
    broadcasts.add({ id: 'b1', status: 'sending' });
    await countDeliveries('shard-1', [change(1, undefined, record('queued'))], { broadcasts });
    await countDeliveries('shard-2', [change(1, undefined, record('queued'))], { broadcasts });

    expect((await broadcasts.get('b1'))?.counts.sms?.recipients).toBe(2);
  });

  it('settles a planned broadcast once its last delivery is counted, not before', async () => {
    const broadcasts = new FakeBroadcastStore();
    broadcasts.add({ id: 'b1', status: 'sending', plannedAt: new Date().toISOString() });
    await broadcasts.setRecipients('b1', 'sms', 1);

    await countDeliveries('shard-1', oneSms.slice(0, 2), { broadcasts });
    expect((await broadcasts.get('b1'))?.status).toBe('sending');
    await countDeliveries('shard-1', oneSms.slice(2), { broadcasts });
    expect((await broadcasts.get('b1'))?.status).toBe('completed');
  });

  it('counts nothing for a broadcast that does not exist, and goes on with the others', async () => {
    const broadcasts = await counted([
      [change(1, undefined, { ...record('queued'), broadcastId: 'gone' }), ...oneSms],
    ]);

    expect((await broadcasts.get('b1'))?.counts.sms?.recipients).toBe(1);
  });
});
