import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/adapters/aws-clients.ts';
import { tablesConfig } from '#shared/config.ts';
import { InvalidCursorError } from '#shared/domain/errors.ts';
import type { AuditEntry } from '#shared/domain/model.ts';
import type { AuditQuery, AuditStore, Page } from '#shared/ports/stores.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';

/** One partition per UTC day keeps writes spread and lets a reader walk back day by day. */
const auditPk = (day: string) => `AUDIT#${day}`;
/** Sorts by time; the id makes two entries in the same millisecond distinct. */
const auditSk = (entry: Pick<AuditEntry, 'at' | 'id'>) => `${entry.at}#${entry.id}`;
/** Without `from`, a listing looks this far back. */
const DEFAULT_LOOKBACK_DAYS = 31;
/** However old `from` is, a listing reads at most this many day partitions. */
const MAX_LOOKBACK_DAYS = 400;
const DAY_MS = 86_400_000;

/** The sort key a `next` cursor stopped at: the key of the last entry of the page before. */
function cursorSk(next: string): string {
  const { pk, sk } = decodeCursor(next, { attributes: ['pk', 'sk'], partition: {} });
  // The day partitions vary, so the shape cannot name one: the key must at least be an entry's.
  if (typeof sk !== 'string' || pk !== auditPk(sk.slice(0, 10)))
    throw new InvalidCursorError('The `next` cursor belongs to another list.');
  return sk;
}

function toEntry(item: Record<string, unknown>): AuditEntry {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as unknown as AuditEntry;
}

/** The audit log in the herald table: `AUDIT#<yyyy-mm-dd>` / `<iso time>#<uuid>`, written once. */
export class DynamoAuditStore implements AuditStore {
  private readonly table = tablesConfig().herald;

  async append(entry: AuditEntry): Promise<void> {
    const at = new Date(entry.at).toISOString();
    await dynamoDb.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: auditPk(at.slice(0, 10)), sk: auditSk({ at, id: entry.id }), ...entry, at },
        // Append-only: an entry is never overwritten, not even by a retried write.
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  /** Walks the day partitions newest first, from the cursor's (or today's) day back to `from`. */
  async list(query: AuditQuery): Promise<Page<AuditEntry>> {
    const before = query.next === undefined ? undefined : cursorSk(query.next);
    const newest = before ? before.slice(0, 10) : new Date().toISOString().slice(0, 10);
    const lowerBound = query.from
      ? new Date(query.from).toISOString()
      : new Date(Date.parse(newest) - DEFAULT_LOOKBACK_DAYS * DAY_MS).toISOString();
    const oldestDay = Math.max(
      Date.parse(lowerBound.slice(0, 10)),
      Date.parse(newest) - MAX_LOOKBACK_DAYS * DAY_MS,
    );
    const items: AuditEntry[] = [];
    let lastSk: string | undefined;
    for (let day = Date.parse(newest); day >= oldestDay && items.length < query.limit; day -= DAY_MS) {
      const pk = auditPk(new Date(day).toISOString().slice(0, 10));
      let startKey: Record<string, unknown> | undefined;
      do {
        const conditions = ['pk = :pk', 'sk >= :from'];
        const values: Record<string, string> = { ':pk': pk, ':from': lowerBound };
        if (before) {
          conditions[1] = 'sk BETWEEN :from AND :before';
          values[':before'] = before;
        }
        const page = await dynamoDb.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: conditions.join(' AND '),
            ExpressionAttributeValues: values,
            ScanIndexForward: false,
            Limit: query.limit - items.length + 1,
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) {
          // BETWEEN includes the cursor itself, which the previous page already returned.
          if (item.sk === before || items.length >= query.limit) continue;
          items.push(toEntry(item));
          lastSk = String(item.sk);
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey && items.length < query.limit);
    }
    return items.length === query.limit && lastSk
      ? { items, next: encodeCursor({ pk: auditPk(lastSk.slice(0, 10)), sk: lastSk }) }
      : { items };
  }
}
