/**
 * The broadcast page's failures: each failed or undelivered message with the provider's code and
 * a readable reason, a page at a time ("Load more"), for the staff who may read delivery records.
 */
import { useEffect, useState } from 'preact/hooks';
import type { BroadcastDetail } from '#shared/api/broadcasts.ts';
import type { DeliveryLine } from '#shared/api/deliveries.ts';
import type { DeliveryStatus } from '#shared/domain/model.ts';
import type { Page } from '#shared/domain/page.ts';
import { api, seg } from '../api.ts';
import type { Abilities } from '../app.tsx';
import { CHANNEL_NAMES } from '../channel-names.ts';
import { Badge, ColumnHeads, Loading, localTime, Panel, ProblemBox, TableScroll } from '../ui.tsx';

/** What the channels' `failed` counts: refused or given up (failed), or refused by the handset's network (undelivered). */
const FAILURE_STATUSES: readonly DeliveryStatus[] = ['failed', 'undelivered'];
const PAGE_SIZE = 25;

/** Where the list goes on: which of the statuses, and the cursor within it. */
interface Cursor {
  status: number;
  next?: string;
}

/** Where the list goes on after a page: further in its status, else at the next status, else nowhere. */
function following(at: Cursor, next: string | undefined): Cursor | undefined {
  if (next !== undefined) return { status: at.status, next };
  return at.status + 1 < FAILURE_STATUSES.length ? { status: at.status + 1 } : undefined;
}

/** Reads on from `cursor` until a page brings a record or the statuses run out. */
async function nextRecords(
  broadcastId: string,
  cursor: Cursor,
): Promise<{ items: DeliveryLine[]; cursor?: Cursor }> {
  let at: Cursor | undefined = cursor;
  const items: DeliveryLine[] = [];
  while (at && items.length === 0) {
    const after = at.next ? `&next=${encodeURIComponent(at.next)}` : '';
    const page: Page<DeliveryLine> = await api<Page<DeliveryLine>>(
      'GET',
      `/broadcasts/${seg(broadcastId)}/deliveries?status=${FAILURE_STATUSES[at.status]}&limit=${PAGE_SIZE}${after}`,
    );
    items.push(...page.items);
    at = following(at, page.next);
  }
  return { items, ...(at ? { cursor: at } : {}) };
}

const failedTotal = (broadcast: BroadcastDetail) =>
  Object.values(broadcast.counts).reduce((sum, counts) => sum + counts.failed, 0);

/**
 * Shown once a message has failed; its first page is read again whenever the failed count moves,
 * until the reader loads more (then their place is kept).
 */
export function FailedDeliveries({ broadcast, can }: { broadcast: BroadcastDetail; can: Abilities }) {
  const total = failedTotal(broadcast);
  const [items, setItems] = useState<DeliveryLine[]>([]);
  const [cursor, setCursor] = useState<Cursor | undefined>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(false);
  const [loadedMore, setLoadedMore] = useState(false);

  const load = async (from: Cursor, previous: DeliveryLine[]) => {
    setLoading(true);
    setError(undefined);
    try {
      const found = await nextRecords(broadcast.id, from);
      setItems([...previous, ...found.items]);
      setCursor(found.cursor);
    } catch (problem) {
      setError(problem);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    if (can.lookUp && total > 0 && !loadedMore) void load({ status: 0 }, []);
  }, [broadcast.id, total, can.lookUp, loadedMore]);

  if (!can.lookUp || total === 0) return null;
  return (
    <Panel title="Failed messages" id="failed-heading">
      <ProblemBox error={error} />
      {items.length === 0 && loading && <Loading what="the failed messages" />}
      {items.length > 0 && (
        <TableScroll label="Failed messages with their reasons">
          <table>
            <ColumnHeads names={['Channel', 'Recipient', 'Status', 'Code', 'Reason', 'When']} />
            <tbody>
              {items.map((line) => (
                <tr key={`${line.channel}#${line.customerId ?? line.recipient}`}>
                  <td>{CHANNEL_NAMES[line.channel]}</td>
                  <td>
                    {line.customerId ? (
                      <a href={`#/passengers/customerId/${seg(line.customerId)}`}>{line.recipient}</a>
                    ) : (
                      line.recipient
                    )}
                  </td>
                  <td>
                    <Badge value={line.status} />
                  </td>
                  <td>
                    <code>{line.errorCode ?? '–'}</code>
                  </td>
                  <td>{line.reason ?? ''}</td>
                  <td>{localTime(line.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {cursor && (
        <button
          type="button"
          class="secondary"
          disabled={loading}
          onClick={() => {
            setLoadedMore(true);
            void load(cursor, items);
          }}
        >
          Load more
        </button>
      )}
    </Panel>
  );
}
