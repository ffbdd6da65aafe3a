import { describe, expect, it } from 'vitest';
import { InvalidCursorError, NotFoundError } from '#shared/domain/errors.ts';
import type { LedgerRecord } from '#shared/domain/evidence.ts';
import type { DeliveryLedger } from '#shared/ports/delivery-ledger.ts';
import type { PageRequest, TimelineEntry, TimelineStore } from '#shared/ports/stores.ts';
import { exportEvidencePage } from '#shared/use-cases/export-evidence.ts';
import { aCustomer, anIncident, aTemplate } from '#test/support/builders.ts';
import {
  FakeBroadcastStore,
  FakeCustomerDirectory,
  FakeIncidentStore,
  FakeTemplateStore,
} from '#test/support/fakes.ts';

/** The ledger in key order (channel, then recipient), paged by position; counts what it was asked. */
class FakeLedger implements DeliveryLedger {
  readonly requests: { broadcastId: string; limit: number }[] = [];
  constructor(private readonly all: LedgerRecord[]) {}

  async records(broadcastId: string, { limit, next }: PageRequest) {
    this.requests.push({ broadcastId, limit });
    const mine = this.all
      .filter((record) => record.broadcastId === broadcastId)
      .sort((a, b) => `${a.channel}#${a.recipientId}`.localeCompare(`${b.channel}#${b.recipientId}`));
    const start = next === undefined ? 0 : Number(next);
    const end = start + limit;
    return { items: mine.slice(start, end), ...(end < mine.length ? { next: String(end) } : {}) };
  }
}

const smsRecord = (broadcastId: string, customerId: string): LedgerRecord => ({
  broadcastId,
  channel: 'sms',
  recipientId: customerId,
  status: 'delivered',
  attempts: 1,
  providerId: `SM-${broadcastId}-${customerId}`,
  updatedAt: '2026-12-01T08:00:05.000Z',
  payload: { bookingRef: `R${customerId}`, flightNumber: 'AY1', date: '2026-12-01', language: 'en' },
});

async function anIncidentWithBroadcasts() {
  const incidents = new FakeIncidentStore();
  await incidents.create(anIncident({ id: 'incident-1' }));
  await incidents.create(anIncident({ id: 'incident-2' }));
  const broadcasts = new FakeBroadcastStore();
  const base = { incidentId: 'incident-1', templateId: 'template-1', templateVersion: 1 };
  broadcasts.add({
    ...base,
    id: 'first',
    createdAt: '2026-12-01T08:00:00.000Z',
    channels: ['sms', 'status'],
  });
  broadcasts.add({ ...base, id: 'second', createdAt: '2026-12-01T09:00:00.000Z', kind: 'update' });
  broadcasts.add({
    ...base,
    id: 'elsewhere',
    incidentId: 'incident-2',
    createdAt: '2026-12-01T08:30:00.000Z',
  });
  const templates = new FakeTemplateStore();
  await templates.put(aTemplate());
  const customerIds = ['C1', 'C2', 'C3', 'C4', 'C5'];
  const records = [
    ...customerIds.map((id) => smsRecord('first', id)),
    {
      broadcastId: 'first',
      channel: 'status',
      recipientId: 'site',
      status: 'sent',
      attempts: 1,
      updatedAt: '2026-12-01T08:00:06.000Z',
    },
    ...customerIds.slice(0, 2).map((id) => smsRecord('second', id)),
    smsRecord('elsewhere', 'C1'),
  ] satisfies LedgerRecord[];
  const entries: TimelineEntry[] = [
    {
      incidentId: 'incident-1',
      broadcastId: 'first',
      kind: 'initial',
      publishedAt: '2026-12-01T08:00:06.000Z',
      texts: {
        fi: { title: 'T-fi', body: 'B-fi' },
        sv: { title: 'T-sv', body: 'B-sv' },
        en: { title: 'T-en', body: 'B-en' },
      },
    },
  ];
  let timelineReads = 0;
  const timeline: TimelineStore = {
    append: async () => {},
    entries: async () => {
      timelineReads++;
      return entries;
    },
  };
  const ledger = new FakeLedger(records);
  const deps = {
    incidents,
    broadcasts,
    templates,
    ledger,
    customers: new FakeCustomerDirectory(customerIds.map((id) => aCustomer(id))),
    timeline,
  };
  return { deps, ledger, timelineReads: () => timelineReads };
}

describe('exporting an incident’s evidence', () => {
  it('pages through every broadcast of the incident oldest first, each record once, `limit` records a page', async () => {
    const { deps, ledger } = await anIncidentWithBroadcasts();
    const pages = [];
    let next: string | undefined;
    do {
      const page = await exportEvidencePage('incident-1', { limit: 4, next }, deps);
      pages.push(page.items);
      next = page.next;
    } while (next !== undefined);
    const keys = pages
      .flat()
      .map((row) => `${row.broadcastId}/${row.channel}/${row.customerId || row.language}`);
    expect(keys).toEqual([
      'first/sms/C1',
      'first/sms/C2',
      'first/sms/C3',
      'first/sms/C4',
      'first/sms/C5',
      'first/status/fi',
      'first/status/sv',
      'first/status/en',
      'second/sms/C1',
      'second/sms/C2',
    ]);
    // 4 records, then 1 + the status record + 2 of the next broadcast (so 4 records again), then none left.
    expect(pages.map((rows) => rows.length)).toEqual([4, 6]);
    expect(ledger.requests.every((request) => request.limit <= 4)).toBe(true);
  });

  it('gives each row the kind, template and texts of its own broadcast', async () => {
    const { deps } = await anIncidentWithBroadcasts();
    const { items } = await exportEvidencePage('incident-1', { limit: 100 }, deps);
    expect(items.find((row) => row.broadcastId === 'second')).toMatchObject({
      kind: 'update',
      templateVersion: '1',
    });
    expect(items.find((row) => row.channel === 'status' && row.language === 'sv')?.text).toBe('T-sv\n\nB-sv');
    expect(items.find((row) => row.customerId === 'C3')?.text).toMatch(/^EN Name-C3: AY1 RC3$/);
  });

  it('reads the timeline only for a page holding a status-site record, and then once', async () => {
    const { deps, timelineReads } = await anIncidentWithBroadcasts();
    await exportEvidencePage('incident-1', { limit: 3 }, deps);
    expect(timelineReads()).toBe(0);
    await exportEvidencePage('incident-1', { limit: 100 }, deps);
    expect(timelineReads()).toBe(1);
  });

  it('ends without `next` when the last record fills the page', async () => {
    const { deps } = await anIncidentWithBroadcasts();
    const page = await exportEvidencePage('incident-1', { limit: 8 }, deps);
    expect(page.next).toBeUndefined();
  });

  it('answers an incident without broadcasts with no rows', async () => {
    const { deps } = await anIncidentWithBroadcasts();
    await deps.incidents.create(anIncident({ id: 'quiet' }));
    await expect(exportEvidencePage('quiet', { limit: 10 }, deps)).resolves.toEqual({ items: [] });
  });

  it('refuses an unknown incident', async () => {
    const { deps } = await anIncidentWithBroadcasts();
    await expect(exportEvidencePage('nope', { limit: 10 }, deps)).rejects.toThrow(NotFoundError);
  });

  it('refuses a cursor made up, or one of another incident’s export', async () => {
    const { deps } = await anIncidentWithBroadcasts();
    const fromIncident2 = Buffer.from(JSON.stringify({ broadcastId: 'elsewhere' })).toString('base64url');
    await expect(exportEvidencePage('incident-1', { limit: 10, next: fromIncident2 }, deps)).rejects.toThrow(
      InvalidCursorError,
    );
    await expect(exportEvidencePage('incident-1', { limit: 10, next: 'not-a-cursor' }, deps)).rejects.toThrow(
      InvalidCursorError,
    );
  });
});
