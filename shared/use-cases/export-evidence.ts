import { InvalidCursorError, NotFoundError } from '#shared/domain/errors.ts';
import {
  type EvidenceRow,
  evidenceRows,
  type LedgerRecord,
  type PublishedStatus,
} from '#shared/domain/evidence.ts';
import { LIST_PAGE_SIZE } from '#shared/domain/limits.ts';
import type { Broadcast, Incident } from '#shared/domain/model.ts';
import type { DeliveryLedger } from '#shared/ports/delivery-ledger.ts';
import type {
  BroadcastStore,
  CustomerDirectory,
  IncidentStore,
  Page,
  PageRequest,
  TemplateStore,
  TimelineStore,
} from '#shared/ports/stores.ts';

export interface ExportEvidenceDeps {
  incidents: IncidentStore;
  broadcasts: BroadcastStore;
  templates: TemplateStore;
  ledger: DeliveryLedger;
  customers: CustomerDirectory;
  timeline: TimelineStore;
  /** Where the sender of a number's SMS names STOP and HELP (the sender pool); none without a pool. */
  replyToFor?: (phone: string) => string | undefined;
}

/** Where a page of the export starts: a broadcast, and the ledger cursor inside it (none: its first record). */
interface Position {
  broadcastId: string;
  after?: string;
}

/**
 * The export's `next`: the position as base64url JSON. The ledger cursor inside is checked by
 * the ledger (its checksum and partition), the broadcast against the incident's own.
 */
function encodePosition(position: Position): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

function decodePosition(cursor: string): Position {
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    position = undefined;
  }
  const valid =
    typeof position === 'object' &&
    position !== null &&
    'broadcastId' in position &&
    typeof position.broadcastId === 'string' &&
    (!('after' in position) || typeof position.after === 'string');
  if (!valid) throw new InvalidCursorError('The `next` cursor is not one Herald issued, or it was changed.');
  return position as Position;
}

/** Every broadcast of the incident, oldest first: the order a reader follows the story in. */
async function broadcastsOldestFirst(incidentId: string, store: BroadcastStore): Promise<Broadcast[]> {
  const newestFirst: Broadcast[] = [];
  let next: string | undefined;
  do {
    const page = await store.listByIncident(incidentId, { limit: LIST_PAGE_SIZE.max, next });
    newestFirst.push(...page.items);
    next = page.next;
  } while (next !== undefined);
  return newestFirst.reverse();
}

/**
 * One page of an incident's evidence: what every broadcast of it sent to each passenger and
 * public channel, and when. Bounded by `limit` delivery records, however large the incident, so a
 * page fits one API response; the client follows `next` and concatenates.
 * 1. checks the incident exists (404 otherwise) and lists its broadcasts, oldest first;
 * 2. from the cursor's broadcast and ledger position (the first broadcast without one), reads
 *    ledger records, moving on to the next broadcast when one ends, until `limit` records;
 * 3. per broadcast read, its template version once; per page, its SMS recipients (one BatchGet)
 *    and, if it holds a status-site record, the incident's timeline, where the published texts are;
 * 4. builds the rows (evidence.ts): the SMS rendered again from the record's payload with the
 *    template version and variables the worker sent it with, posts from the same, the status
 *    site's texts as published;
 * 5. `next` names where the following page starts, absent after the last record.
 */
export async function exportEvidencePage(
  incidentId: string,
  request: PageRequest,
  deps: ExportEvidenceDeps,
): Promise<Page<EvidenceRow>> {
  const incident = await deps.incidents.get(incidentId);
  if (!incident) throw new NotFoundError('Incident', incidentId);
  const broadcasts = await broadcastsOldestFirst(incidentId, deps.broadcasts);
  const start = request.next === undefined ? undefined : decodePosition(request.next);
  let index =
    start === undefined ? 0 : broadcasts.findIndex((broadcast) => broadcast.id === start.broadcastId);
  if (index < 0) throw new InvalidCursorError('The `next` cursor belongs to another incident.');
  let after = start?.after;
  const rows: EvidenceRow[] = [];
  let recordsRead = 0;
  const published = publishedStatuses(incidentId, deps.timeline);
  for (
    let broadcast = broadcasts[index];
    broadcast && recordsRead < request.limit;
    broadcast = broadcasts[index]
  ) {
    const page = await deps.ledger.records(broadcast.id, { limit: request.limit - recordsRead, next: after });
    recordsRead += page.items.length;
    rows.push(...(await rowsOf(page.items, incident, broadcast, deps, published)));
    after = page.next;
    if (after === undefined) index++;
  }
  const following = broadcasts[index];
  return following
    ? { items: rows, next: encodePosition({ broadcastId: following.id, after }) }
    : { items: rows };
}

/** The incident's published status entries by broadcast, read once a page needs them. */
function publishedStatuses(incidentId: string, timeline: TimelineStore) {
  let byBroadcast: Promise<Map<string | undefined, PublishedStatus>> | undefined;
  return async (broadcastId: string) => {
    byBroadcast ??= timeline
      .entries(incidentId)
      .then((entries) => new Map(entries.map((entry) => [entry.broadcastId, entry.texts])));
    return (await byBroadcast).get(broadcastId);
  };
}

async function rowsOf(
  records: LedgerRecord[],
  incident: Incident,
  broadcast: Broadcast,
  deps: Pick<ExportEvidenceDeps, 'templates' | 'customers' | 'replyToFor'>,
  published: (broadcastId: string) => Promise<PublishedStatus | undefined>,
): Promise<EvidenceRow[]> {
  if (records.length === 0) return [];
  const template = await deps.templates.getVersion(broadcast.templateId, broadcast.templateVersion);
  if (!template)
    throw new Error(
      `Template ${broadcast.templateId} v${broadcast.templateVersion} of broadcast ${broadcast.id} is missing`,
    );
  const smsRecipients = records
    .filter((record) => record.channel === 'sms')
    .map((record) => record.recipientId);
  const customers = new Map(
    (await deps.customers.getMany(smsRecipients)).map((customer) => [customer.customerId, customer]),
  );
  const status = records.some((record) => record.channel === 'status')
    ? await published(broadcast.id)
    : undefined;
  const source = { template, incident, broadcast };
  return records.flatMap((record) => {
    const customer = record.channel === 'sms' ? customers.get(record.recipientId) : undefined;
    const replyTo = customer && deps.replyToFor?.(customer.phone);
    return evidenceRows(record, source, {
      ...(customer ? { customer } : {}),
      ...(replyTo ? { replyTo } : {}),
      ...(status ? { published: status } : {}),
    });
  });
}
