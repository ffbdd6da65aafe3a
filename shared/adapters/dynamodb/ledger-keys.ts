/**
 * The delivery ledger's keys, written once for every adapter of `herald-delivery-ledger`: a
 * record's sort key is `<channel>#<recipientId>`, and its partition key one of its broadcast's
 * LEDGER_SHARDS shards, `<broadcastId>#<shard>`, the shard a stable hash of the sort key
 * (DynamoDB's "write sharding" with a calculated suffix). A record keeps `broadcastId` as a
 * plain attribute, for the change stream's consumer (count-deliveries) and every reader of it.
 */
import { createHash } from 'node:crypto';
import type { DeliveryKey } from '#shared/ports/stores.ts';

/**
 * Partition keys per broadcast. At the ceiling of 1,000 SMS/s a broadcast writes about
 * 3.4 items a second per recipient (planned record, claim, outcome, receipt: docs/capacity.md),
 * ~3,420 writes a second; no partition key should take more than ~300 of them (a third of the
 * 1,000 a DynamoDB partition takes), so at least 3,420 / 300 ≈ 12. 16 leaves room for the
 * hash spreading one second's recipients unevenly (~210 writes a second per shard on average).
 */
export const LEDGER_SHARDS = 16;

export type LedgerKey = { pk: string; sk: string };

const ledgerSortKey = (key: Pick<DeliveryKey, 'channel' | 'recipientId'>): string =>
  `${key.channel}#${key.recipientId}`;

const shardPartition = (broadcastId: string, shard: number) => `${broadcastId}#${shard}`;

/** The shard of a sort key: the same on every write and read of the record, in every process. */
export function ledgerShard(sortKey: string): number {
  return createHash('sha256').update(sortKey).digest().readUInt32BE(0) % LEDGER_SHARDS;
}

/** The primary key of a broadcast's record for one recipient on one channel. */
export function ledgerKey(key: DeliveryKey): LedgerKey {
  const sk = ledgerSortKey(key);
  return { pk: shardPartition(key.broadcastId, ledgerShard(sk)), sk };
}

/** Every partition key of a broadcast's records, in shard order: what a read of all of them queries. */
export function ledgerPartitions(broadcastId: string): string[] {
  return Array.from({ length: LEDGER_SHARDS }, (_, shard) => shardPartition(broadcastId, shard));
}

/** A stored item without its key attributes: the record as the ports know it. */
export function withoutKey(item: Record<string, unknown>): Record<string, unknown> {
  const { pk: _pk, sk: _sk, ...record } = item;
  return record;
}
