/** Issue 14: a broadcast's delivery records spread over LEDGER_SHARDS partition keys, none hot. */
import { describe, expect, it } from 'vitest';
import {
  LEDGER_SHARDS,
  ledgerKey,
  ledgerPartitions,
  ledgerShard,
} from '#shared/adapters/dynamodb/ledger-keys.ts';

const recipients = (count: number) => Array.from({ length: count }, (_, index) => `C${index}`);

describe('the ledger keys', () => {
  it("put each record under one of its own broadcast's partitions, sorted by channel and recipient", () => {
    const key = ledgerKey({ broadcastId: 'b1', channel: 'sms', recipientId: 'C7' });

    expect(key.sk).toBe('sms#C7');
    expect(ledgerPartitions('b1')).toContain(key.pk);
    expect(ledgerPartitions('b2')).not.toContain(key.pk);
    expect(ledgerPartitions('b1')).toHaveLength(LEDGER_SHARDS);
  });

  it('give a record the same shard on every write and read, whatever the broadcast', () => {
    const shard = (broadcastId: string) =>
      ledgerPartitions(broadcastId).indexOf(ledgerKey({ broadcastId, channel: 'sms', recipientId: 'C7' }).pk);

    expect(shard('b1')).toBe(ledgerShard('sms#C7'));
    expect(shard('b2')).toBe(ledgerShard('sms#C7'));
  });

  it('spread 10,000 recipients evenly: no shard takes more than 10% over its share', () => {
    const perShard = new Array<number>(LEDGER_SHARDS).fill(0);
    for (const recipientId of recipients(10_000)) {
      const shard = ledgerShard(`sms#${recipientId}`);
      perShard[shard] = (perShard[shard] ?? 0) + 1;
    }

    expect(Math.max(...perShard)).toBeLessThan((10_000 / LEDGER_SHARDS) * 1.1);
  });
});
