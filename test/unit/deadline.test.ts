import { describe, expect, it } from 'vitest';
import { readLocalSettings } from '#infra/local/settings.ts';
import type { DeliveryLine } from '#shared/api/deliveries.ts';
import { measureSms } from '#shared/domain/channel-limits.ts';
import {
  deadlineErrors,
  deadlineWarning,
  formatDuration,
  incidentDeadline,
  notificationDeadline,
  reachedBeforeDeadline,
  smsEta,
} from '#shared/domain/deadline.ts';
import { ValidationError } from '#shared/domain/errors.ts';
import { evidenceRows } from '#shared/domain/evidence.ts';
import type { DeliveryStatus } from '#shared/domain/model.ts';
import { parseSmsSenderPool } from '#shared/domain/sms-senders.ts';
import { type CreateIncidentInput, createIncident } from '#shared/use-cases/create-incident.ts';
import { listDeliveries } from '#shared/use-cases/list-deliveries.ts';
import { planBroadcast, queuedDelivery } from '#shared/use-cases/plan-broadcast.ts';
import { previewBroadcast } from '#shared/use-cases/preview-broadcast.ts';
import { aCustomer, aFlight, anIncident, aSegment, aTemplate } from '#test/support/builders.ts';
import { fakeStores } from '#test/support/fake-stores.ts';
import { FakeAuditStore, FakeBroadcastStore, FakeIncidentStore } from '#test/support/fakes.ts';

const NOW = Date.parse('2026-11-23T06:00:00Z');
const minutesFromNow = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString();
const load = (recipients: number, segmentsEach = 1) => ({ recipients, segments: recipients * segmentsEach });
const nobodySoon = { recipients: 0, segments: 0 };
const secondsUntil = (iso: string) => (Date.parse(iso) - NOW) / 1000;

describe('the ETA of the last SMS', () => {
  it('reads as the worked example in docs/api.md: 20,000 passengers take 5.6 h on one long code, 3.3 min on a 100 SMS/s short code', () => {
    const deadline = minutesFromNow(30);

    const longCode = smsEta({ all: load(20_000), soon: nobodySoon }, deadline, 1, NOW);
    const shortCode = smsEta({ all: load(20_000), soon: nobodySoon }, deadline, 100, NOW);

    expect(secondsUntil(longCode.lastSmsAt)).toBe(20_000);
    expect(formatDuration(secondsUntil(longCode.lastSmsAt))).toBe('5.6 h');
    expect(secondsUntil(shortCode.lastSmsAt)).toBe(200);
    expect(formatDuration(secondsUntil(shortCode.lastSmsAt))).toBe('3.3 min');
  });

  it('counts segments, not messages: Twilio paces a two-segment SMS as two', () => {
    const eta = smsEta({ all: load(1_000, 2), soon: nobodySoon }, minutesFromNow(60), 10, NOW);

    expect(eta.segments).toBe(2_000);
    expect(secondsUntil(eta.lastSmsAt)).toBe(200);
  });

  it('a UCS-2 message takes more segments than the same length in GSM-7', () => {
    const gsm = measureSms('a'.repeat(100));
    const ucs2 = measureSms(`${'a'.repeat(99)}✈`);

    expect(gsm).toEqual({ encoding: 'GSM-7', segments: 1 });
    expect(ucs2).toEqual({ encoding: 'UCS-2', segments: 2 });
  });

  it('counts the recipients past the deadline and the rate that would reach them all', () => {
    const eta = smsEta({ all: load(20_000), soon: nobodySoon }, minutesFromNow(30), 1, NOW);

    // 1,800 s to the deadline at 1 SMS/s: the first 1,800 are in time.
    expect(eta.late).toBe(18_200);
    expect(eta.smsPerSecondNeeded).toBe(11.2); // 20,000 / 1,800 = 11.11…, rounded up
  });

  it('with two segments each, half as many are reached in time', () => {
    const eta = smsEta({ all: load(10_000, 2), soon: nobodySoon }, minutesFromNow(30), 1, NOW);

    expect(eta.late).toBe(10_000 - 900);
    expect(eta.smsPerSecondNeeded).toBe(11.2);
  });

  it('nobody is late and no rate is asked for when the last SMS goes by the deadline', () => {
    const eta = smsEta({ all: load(20_000), soon: nobodySoon }, minutesFromNow(30), 100, NOW);

    expect(eta.late).toBe(0);
    expect(eta.smsPerSecondNeeded).toBeUndefined();
    expect(deadlineWarning(eta, NOW)).toBeUndefined();
  });

  it('past the deadline, everyone is late and no rate can make it', () => {
    const eta = smsEta({ all: load(50), soon: nobodySoon }, minutesFromNow(-5), 100, NOW);

    expect(eta.late).toBe(50);
    expect(eta.smsPerSecondNeeded).toBeUndefined();
    expect(deadlineWarning(eta, NOW)).toBe(
      'The notification deadline has passed: 50 of 50 passengers would be texted after it; the last SMS would go in 1 s at 100 SMS/s.',
    );
  });

  it('dates the last of those departing soon, who are texted first', () => {
    const eta = smsEta({ all: load(20_000), soon: load(120, 2) }, minutesFromNow(30), 1, NOW);

    expect(eta.departingSoon).toEqual({ hours: 2, recipients: 120, lastReachedAt: minutesFromNow(4) });
  });

  it('warns with the numbers: when the last SMS goes, how far past the deadline, how many late, the rate needed', () => {
    const eta = smsEta({ all: load(20_000), soon: nobodySoon }, minutesFromNow(30), 1, NOW);

    expect(deadlineWarning(eta, NOW)).toBe(
      'The last SMS would go in 5.6 h at 1 SMS/s (20,000 segments), 5.1 h after the notification deadline: 18,200 of 20,000 passengers would be texted after it. 11.2 SMS/s would reach them all in time.',
    );
  });
});

describe('the notification deadline of an incident', () => {
  const opened = '2026-11-23T06:00:00.000Z';

  it('is the default minutes after the opening unless the incident sets its own', () => {
    expect(notificationDeadline(opened, {}, 30)).toBe('2026-11-23T06:30:00.000Z');
    expect(notificationDeadline(opened, { deadlineMinutes: 15 }, 30)).toBe('2026-11-23T06:15:00.000Z');
    expect(notificationDeadline(opened, { notificationDeadline: '2026-11-23T09:00:00+02:00' }, 30)).toBe(
      '2026-11-23T07:00:00.000Z',
    );
  });

  it('must fall after the opening and within the bounds, given one way', () => {
    expect(deadlineErrors(opened, { notificationDeadline: '2026-11-23T06:00:00Z' })).toEqual([
      { path: 'notificationDeadline', message: expect.stringContaining('between 1 minute and 14 days') },
    ]);
    expect(deadlineErrors(opened, { notificationDeadline: '2026-12-08T06:00:00Z' })).toHaveLength(1);
    expect(deadlineErrors(opened, { deadlineMinutes: 0 })).toEqual([
      { path: 'deadlineMinutes', message: expect.stringContaining('between 1 minute') },
    ]);
    expect(deadlineErrors(opened, { deadlineMinutes: 20_161 })).toHaveLength(1);
    expect(deadlineErrors(opened, { deadlineMinutes: 20_160 })).toEqual([]);
    expect(deadlineErrors(opened, { deadlineMinutes: 1 })).toEqual([]);
    expect(
      deadlineErrors(opened, { deadlineMinutes: 10, notificationDeadline: '2026-11-23T07:00:00Z' }),
    ).toEqual([
      { path: 'deadlineMinutes', message: 'Give notificationDeadline or deadlineMinutes, not both.' },
    ]);
  });

  it("the airline's default is checked as the local stack starts, naming the variable", () => {
    expect(() => readLocalSettings({ HERALD_NOTIFICATION_DEADLINE_MINUTES: '0' })).toThrow(
      /HERALD_NOTIFICATION_DEADLINE_MINUTES/,
    );
    expect(readLocalSettings({ HERALD_NOTIFICATION_DEADLINE_MINUTES: '45' })).toMatchObject({
      HERALD_NOTIFICATION_DEADLINE_MINUTES: 45,
    });
  });

  it('of an incident stored before deadlines were, is 30 minutes after its opening', () => {
    expect(incidentDeadline({ createdAt: opened })).toBe('2026-11-23T06:30:00.000Z');
  });

  const strike = (deadline: Partial<CreateIncidentInput> = {}): CreateIncidentInput => ({
    type: 'strike',
    title: 'Ground handling strike at Helsinki Airport',
    severity: 'severe',
    window: { start: '2026-11-23T04:00:00+00:00', end: '2026-11-23T16:00:00+00:00' },
    scope: { airports: ['HEL'] },
    ...deadline,
  });
  const deps = (defaultDeadlineMinutes?: number) => ({
    incidents: new FakeIncidentStore(),
    audit: new FakeAuditStore(),
    ...(defaultDeadlineMinutes ? { defaultDeadlineMinutes } : {}),
  });
  const minutesAfterOpening = (incident: { createdAt: string; notificationDeadline?: string }) =>
    (Date.parse(incident.notificationDeadline ?? '') - Date.parse(incident.createdAt)) / 60_000;

  it("is stored on the incident opened: the airline's default, else 30 minutes, else the incident's own", async () => {
    expect(minutesAfterOpening(await createIncident(strike(), 'olli', deps()))).toBe(30);
    expect(minutesAfterOpening(await createIncident(strike(), 'olli', deps(45)))).toBe(45);
    const own = await createIncident(strike({ deadlineMinutes: 10 }), 'olli', deps(45));
    expect(minutesAfterOpening(own)).toBe(10);
    expect(own).not.toHaveProperty('deadlineMinutes');
  });

  it('refuses an incident whose deadline falls before its opening, with a 422 naming the field', async () => {
    const store = deps();

    const refused = createIncident(strike({ notificationDeadline: '2026-01-01T00:00:00Z' }), 'olli', store);

    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expect(refused).rejects.toMatchObject({ errors: [{ path: 'notificationDeadline' }] });
    expect(await store.incidents.list(10)).toEqual([]);
  });
});

describe('whether a passenger was reached before the deadline', () => {
  const deadline = '2026-11-23T06:30:00Z';
  const before = '2026-11-23T06:29:59Z';
  const after = '2026-11-23T06:30:01Z';

  it('is the time the record was sent or delivered, against the deadline', () => {
    expect(reachedBeforeDeadline({ status: 'sent', updatedAt: before }, deadline, NOW)).toBe(true);
    expect(reachedBeforeDeadline({ status: 'delivered', updatedAt: before }, deadline, NOW)).toBe(true);
    expect(reachedBeforeDeadline({ status: 'delivered', updatedAt: after }, deadline, NOW)).toBe(false);
  });

  it('is the time it was first sent when the record kept it, however late its receipt came', () => {
    const receipted = { status: 'delivered' as const, updatedAt: after, sentAt: before };
    expect(reachedBeforeDeadline(receipted, deadline, NOW)).toBe(true);
  });

  it('not reached is undecided while the deadline is ahead and false once it has passed', () => {
    const later = Date.parse(after);
    expect(reachedBeforeDeadline({ status: 'queued', updatedAt: before }, deadline, NOW)).toBeUndefined();
    expect(reachedBeforeDeadline({ status: 'queued', updatedAt: before }, deadline, later)).toBe(false);
    expect(reachedBeforeDeadline({ status: 'failed', updatedAt: before }, deadline, later)).toBe(false);
  });
});

describe('GET /broadcasts/{id}/deliveries', () => {
  const deadline = '2026-11-23T06:30:00.000Z';

  async function smsRecords() {
    const { broadcasts, incidents, deliveries, customers } = await fakeStores({
      incident: anIncident({ id: 'incident-1', notificationDeadline: deadline }),
      customers: ['C1', 'C2', 'C3'].map((id) => aCustomer(id)),
    });
    broadcasts.add({ id: 'b1', incidentId: 'incident-1', channels: ['sms', 'x'] });
    await deliveries.createMany(
      ['C1', 'C2', 'C3'].map((id) => queuedDelivery('b1', 'sms', id)).concat(queuedDelivery('b1', 'x', 'en')),
    );
    const settle = (recipientId: string, status: DeliveryStatus, updatedAt: string) =>
      Object.assign(deliveries.record({ broadcastId: 'b1', channel: 'sms', recipientId }) ?? {}, {
        status,
        updatedAt,
      });
    settle('C1', 'sent', '2026-11-23T06:10:00.000Z');
    settle('C2', 'delivered', '2026-11-23T06:45:00.000Z');
    return (now: string) => ({ broadcasts, deliveries, customers, incidents, now: () => Date.parse(now) });
  }
  const inTime = (lines: DeliveryLine[]) =>
    Object.fromEntries(lines.map((line) => [line.customerId ?? line.recipient, line.reachedBeforeDeadline]));

  it('says of each SMS whether it reached its passenger by the deadline; of one not reached, only once the deadline has passed', async () => {
    const at = await smsRecords();

    const during = await listDeliveries('b1', { limit: 10 }, at('2026-11-23T06:20:00Z'));
    const after = await listDeliveries('b1', { limit: 10 }, at('2026-11-23T06:50:00Z'));

    expect(inTime(during.items)).toEqual({ C1: true, C2: false, C3: undefined, en: undefined });
    expect(during.items.find((line) => line.customerId === 'C3')).not.toHaveProperty('reachedBeforeDeadline');
    expect(inTime(after.items)).toEqual({ C1: true, C2: false, C3: false, en: undefined });
    // The sent time it was judged by, here an older record's latest move while it is `sent`.
    expect(after.items.find((line) => line.customerId === 'C1')?.sentAt).toBe('2026-11-23T06:10:00.000Z');
    expect(after.items.find((line) => line.customerId === 'C3')).not.toHaveProperty('sentAt');
  });
});

describe('the preview against the deadline', () => {
  const opened = Date.parse('2026-12-01T05:00:00Z');

  /**
   * Deadline 05:30. AY1 departs 06:00 with three Finnish passengers; AY2 departs 12:00 with three
   * Finnish and two English ones, whose SMS takes two segments (UCS-2): 10 segments in all.
   */
  async function setUp(smsPerSecond: number) {
    const template = aTemplate();
    const english = template.content.en;
    if (!english) throw new Error('aTemplate has English');
    english.sms = `EN ✈ {{customer.firstName}} ${'x'.repeat(70)}`;
    const soon = aFlight({ flightNumber: 'AY1', departure: '2026-12-01T06:00:00Z' });
    const later = aFlight({ flightNumber: 'AY2', departure: '2026-12-01T12:00:00Z' });
    const passengers = [
      ...['F1', 'F2', 'F3'].map((id) => ({ id, flight: soon })),
      ...['F4', 'F5', 'F6', 'E1', 'E2'].map((id) => ({ id, flight: later })),
    ];
    const stores = await fakeStores({
      incident: anIncident({
        createdAt: '2026-12-01T05:00:00Z',
        notificationDeadline: '2026-12-01T05:30:00.000Z',
      }),
      template,
      flights: [soon, later],
      segments: passengers.map(({ id, flight }) => aSegment(id, flight)),
      customers: passengers.map(({ id }) => aCustomer(id, { language: id.startsWith('E') ? 'en' : 'fi' })),
    });
    return { ...stores, smsPerSecond, now: () => opened };
  }
  const request = {
    templateId: 'template-1',
    variables: {},
    channels: ['sms' as const],
    kind: 'initial' as const,
  };

  it('dates the last SMS from recipients, segments and rate, and warns that it falls after the deadline, with the numbers', async () => {
    const preview = await previewBroadcast('incident-1', request, await setUp(1 / 200));

    expect(preview.messages.sms?.en?.segments).toBe(2);
    expect(preview.eta).toEqual({
      deadline: '2026-12-01T05:30:00.000Z',
      smsPerSecond: 0.005,
      recipients: 8,
      segments: 10,
      lastSmsAt: '2026-12-01T05:33:20.000Z',
      late: 1,
      smsPerSecondNeeded: 0.1,
      departingSoon: { hours: 2, recipients: 3, lastReachedAt: '2026-12-01T05:10:00.000Z' },
    });
    expect(preview.warnings).toContainEqual(
      expect.stringMatching(
        /^The last SMS would go in 33\.3 min at 0\.005 SMS\/s .* 1 of 8 passengers would be texted after it\. 0\.1 SMS\/s would reach them all in time\.$/,
      ),
    );
  });

  it('at a rate that makes the deadline, dates the SMS without a warning', async () => {
    const preview = await previewBroadcast('incident-1', request, await setUp(1));

    expect(preview.eta).toMatchObject({ late: 0, lastSmsAt: '2026-12-01T05:00:10.000Z' });
    expect(preview.warnings.join(' ')).not.toMatch(/deadline/);
  });

  it("with a sender pool, dates the SMS at the rate of the senders that serve these passengers, not the whole pool's", async () => {
    const pool = parseSmsSenderPool({
      defaultSender: 'world',
      senders: [
        { id: 'world', messagingServiceSid: `MG${'0'.repeat(32)}`, perSecond: 100 },
        { id: 'finland', prefixes: ['+358'], shortCode: '13579', perSecond: 0.25 },
      ],
    });
    if ('problems' in pool) throw new Error(pool.problems.join('; '));

    // Every passenger's number is Finnish: 10 segments at the Finnish sender's 0.25/s take 40 s.
    const preview = await previewBroadcast('incident-1', request, {
      ...(await setUp(100.25)),
      smsSenders: pool.pool,
    });

    expect(preview.eta).toMatchObject({ smsPerSecond: 0.25, lastSmsAt: '2026-12-01T05:00:40.000Z' });
  });

  it('has no ETA for a broadcast without SMS', async () => {
    const preview = await previewBroadcast(
      'incident-1',
      { ...request, channels: ['status'] },
      await setUp(1),
    );

    expect(preview).not.toHaveProperty('eta');
  });
});

describe('priority: passengers departing soonest are texted first', () => {
  it('the planner publishes the SMS batches in departure order, whatever order the flights are stored in', async () => {
    const evening = aFlight({ flightNumber: 'AY900', departure: '2026-12-01T18:00:00+02:00' });
    const morning = aFlight({ flightNumber: 'AY100', departure: '2026-12-01T07:00:00+02:00' });
    const noon = aFlight({ flightNumber: 'AY500', departure: '2026-12-01T12:00:00+02:00' });
    const onFlight = [
      { flight: evening, ids: ['e1', 'e2'] },
      { flight: morning, ids: ['m1', 'm2', 'm3'] },
      { flight: noon, ids: ['n1'] },
    ];
    const stores = await fakeStores({
      flights: [evening, morning, noon],
      segments: onFlight.flatMap(({ flight, ids }) => ids.map((id) => aSegment(id, flight))),
      customers: onFlight.flatMap(({ ids }) => ids.map((id) => aCustomer(id))),
    });
    stores.broadcasts.add({ id: 'b1', status: 'queued', channels: ['sms'] });

    await planBroadcast(
      { broadcastId: 'b1' },
      { ...stores, smsBatchSize: 2 },
      { remainingMs: () => 450_000 },
    );

    expect(
      stores.fanout.published.filter(({ target }) => target === 'sms').map(({ message }) => message),
    ).toEqual([
      { broadcastId: 'b1', customerIds: ['m1', 'm2'] },
      { broadcastId: 'b1', customerIds: ['m3', 'n1'] },
      { broadcastId: 'b1', customerIds: ['e1', 'e2'] },
    ]);
  });
});

describe('the evidence export', () => {
  const deadline = '2026-12-01T06:30:00.000Z';
  const source = {
    template: aTemplate(),
    incident: anIncident({ notificationDeadline: deadline }),
    broadcast: new FakeBroadcastStore().add({ id: 'b1', channels: ['sms', 'x'] }),
  };
  const sms = (status: DeliveryStatus, updatedAt: string) => ({
    ...queuedDelivery('b1', 'sms', 'C1', { bookingRef: 'BK1', language: 'en' }),
    status,
    updatedAt,
  });
  const rowOf = (record: ReturnType<typeof sms>, now: string) =>
    evidenceRows(record, source, { customer: aCustomer('C1'), now: Date.parse(now) })[0];

  it("names the incident's deadline and whether each SMS reached its passenger by it", () => {
    const during = '2026-12-01T06:20:00Z';
    const after = '2026-12-01T07:00:00Z';

    expect(rowOf(sms('sent', '2026-12-01T06:10:00.000Z'), after)).toMatchObject({
      notificationDeadline: deadline,
      reachedBeforeDeadline: 'true',
    });
    expect(rowOf(sms('delivered', '2026-12-01T06:31:00.000Z'), after)?.reachedBeforeDeadline).toBe('false');
    expect(rowOf(sms('queued', '2026-12-01T06:00:00.000Z'), during)?.reachedBeforeDeadline).toBe('');
    expect(rowOf(sms('queued', '2026-12-01T06:00:00.000Z'), after)?.reachedBeforeDeadline).toBe('false');
    const [post] = evidenceRows({ ...queuedDelivery('b1', 'x', 'en'), status: 'sent' }, source, {});
    expect(post).toMatchObject({ notificationDeadline: deadline, reachedBeforeDeadline: '' });
  });
});
