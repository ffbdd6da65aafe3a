import { describe, expect, it } from 'vitest';
import { ExerciseRecipientDirectory } from '#shared/adapters/exercise-recipients.ts';
import { exerciseNumbersSetting } from '#shared/config.ts';
import { deriveCounts, emptyCounts, recordCounts } from '#shared/domain/channel-counts.ts';
import { reachedBeforeDeadline } from '#shared/domain/deadline.ts';
import {
  EXERCISE_MARKER,
  EXERCISE_PREVIEW_WARNING,
  plannedStatus,
  testRecipientId,
} from '#shared/domain/exercise.ts';
import { smsText } from '#shared/domain/sms-text.ts';
import { planBroadcast } from '#shared/use-cases/plan-broadcast.ts';
import { previewBroadcast } from '#shared/use-cases/preview-broadcast.ts';
import { aCustomer, aFlight, anIncident, aSegment, aTemplate } from '#test/support/builders.ts';
import { fakeStores } from '#test/support/fake-stores.ts';
import { FakeCustomerDirectory } from '#test/support/fakes.ts';

const TEST_NUMBERS = ['+358401110001', '+46701110002'];
const ample = { remainingMs: () => 450_000 };

/** A strike at HEL: c1 on AY123 at 08:00, c2 on AY456 at 12:00, c3 without SMS consent. */
async function planned(incident: { exercise?: boolean }) {
  const ay123 = aFlight({ flightNumber: 'AY123', departure: '2026-12-01T08:00:00+02:00' });
  const ay456 = aFlight({ flightNumber: 'AY456', departure: '2026-12-01T12:00:00+02:00' });
  const { broadcasts, deliveries, fanout, ...stores } = await fakeStores({
    incident: anIncident(incident),
    flights: [ay123, ay456],
    segments: [aSegment('c1', ay123, 'BK1'), aSegment('c3', ay123, 'BK3'), aSegment('c2', ay456, 'BK2')],
    segmentsPerPage: 2,
    customers: [aCustomer('c1'), aCustomer('c2'), aCustomer('c3', { smsConsent: false })],
  });
  broadcasts.add({ id: 'b1', status: 'queued', channels: ['sms', 'x', 'facebook', 'status'] });
  await planBroadcast(
    { broadcastId: 'b1' },
    { ...stores, broadcasts, deliveries, fanout, smsBatchSize: 2, exerciseNumbers: TEST_NUMBERS },
    ample,
  );
  const statusOf = (channel: string) =>
    Object.fromEntries(
      [...deliveries.records.values()]
        .filter((record) => record.channel === channel)
        .map(({ recipientId, status }) => [recipientId, status]),
    );
  const publishedTo = (target: string) =>
    fanout.published.filter((entry) => entry.target === target).map(({ message }) => message);
  return { deliveries, statusOf, publishedTo, broadcast: await broadcasts.get('b1') };
}

describe('exercise planning', () => {
  it('sends only the test numbers and the status entry of an exercise; the rest is recorded as exercise', () => {
    const exercise = { exercise: true };

    expect(plannedStatus(exercise, 'sms', 'c1')).toBe('exercise');
    expect(plannedStatus(exercise, 'sms', testRecipientId(1))).toBe('queued');
    expect(plannedStatus(exercise, 'x', 'fi')).toBe('exercise');
    expect(plannedStatus(exercise, 'facebook', 'en')).toBe('exercise');
    expect(plannedStatus(exercise, 'status', 'site')).toBe('queued');
    expect(plannedStatus({}, 'sms', 'c1')).toBe('queued');
    expect(plannedStatus({}, 'x', 'fi')).toBe('queued');
  });

  it('records every eligible passenger as exercise and publishes one SMS per test number, rendering the first passenger', async () => {
    const { statusOf, publishedTo, deliveries } = await planned({ exercise: true });

    expect(statusOf('sms')).toEqual({
      c1: 'exercise',
      c2: 'exercise',
      'exercise-1': 'queued',
      'exercise-2': 'queued',
    });
    expect(
      publishedTo('sms').flatMap((message) => (message as { customerIds: string[] }).customerIds),
    ).toEqual(['exercise-1', 'exercise-2']);
    expect(
      deliveries.record({ broadcastId: 'b1', channel: 'sms', recipientId: 'exercise-2' })?.payload,
    ).toEqual(deliveries.record({ broadcastId: 'b1', channel: 'sms', recipientId: 'c1' })?.payload);
  });

  it('posts nothing to X or Facebook in an exercise but publishes its status entry', async () => {
    const { statusOf, publishedTo } = await planned({ exercise: true });

    expect(Object.values(statusOf('x'))).toEqual(['exercise', 'exercise', 'exercise']);
    expect(Object.values(statusOf('facebook'))).toEqual(['exercise', 'exercise', 'exercise']);
    expect(publishedTo('x')).toEqual([]);
    expect(publishedTo('facebook')).toEqual([]);
    expect(publishedTo('status')).toEqual([{ broadcastId: 'b1', recipientId: 'site' }]);
  });

  it('counts exercise records as recipients that are not left queued', async () => {
    const { broadcast } = await planned({ exercise: true });
    const sms = { ...emptyCounts(), ...broadcast?.counts.sms };

    deriveCounts(sms, 'sending');

    expect(sms).toMatchObject({ recipients: 4, exercise: 2, queued: 2 });
    expect(broadcast?.counts.x).toMatchObject({ recipients: 3, exercise: 3 });
    expect(recordCounts({ broadcastId: 'b1', channel: 'x', status: 'exercise' })).toMatchObject({
      recipients: 1,
      exercise: 1,
    });
  });

  it('never calls an exercise record late: it was not to be sent', () => {
    const passed = '2026-12-01T00:00:00Z';
    const after = Date.parse('2026-12-01T01:00:00Z');

    expect(reachedBeforeDeadline({ status: 'exercise', updatedAt: passed }, passed, after)).toBeUndefined();
    expect(reachedBeforeDeadline({ status: 'queued', updatedAt: passed }, passed, after)).toBe(false);
  });

  it('texts the passengers and no test number when the incident is not an exercise', async () => {
    const { statusOf, publishedTo } = await planned({});

    expect(statusOf('sms')).toEqual({ c1: 'queued', c2: 'queued' });
    expect(publishedTo('x')).toHaveLength(3);
  });
});

describe('exercise SMS', () => {
  const source = (exercise: boolean) => ({
    template: aTemplate(),
    incident: anIncident({ exercise }),
    broadcast: { kind: 'initial' as const, variables: {} },
  });

  it('starts every exercise SMS with the marker, and no other SMS', () => {
    const payload = { bookingRef: 'BK1', flightNumber: 'AY123', language: 'en' };

    expect(smsText(source(true), payload, 'Test').text).toBe(`${EXERCISE_MARKER}\nEN Test: AY123 BK1`);
    expect(smsText(source(false), payload, 'Anna').text).toBe('EN Anna: AY123 BK1');
  });

  it("previews an exercise's SMS with the marker, as the worker will send it, and says who is texted", async () => {
    const previewOf = async (exercise: boolean) => {
      const stores = await fakeStores({
        incident: anIncident({ exercise }),
        segments: [aSegment('c1', aFlight(), 'BK1')],
        customers: [aCustomer('c1', { firstName: 'Anna' })],
      });
      const preview = await previewBroadcast(
        'incident-1',
        { templateId: 'template-1', variables: {}, channels: ['sms'], kind: 'initial' },
        { ...stores, smsPerSecond: 1, now: () => Date.parse('2026-11-30T12:00:00Z') },
      );
      return preview;
    };

    const exercise = await previewOf(true);
    const real = await previewOf(false);
    expect(exercise.messages.sms?.fi?.text).toBe(`${EXERCISE_MARKER}\nFI Anna: AY123 BK1`);
    expect(real.messages.sms?.fi?.text).toBe('FI Anna: AY123 BK1');
    // The counts and the time of the last SMS are the real audience's: what the exercise rehearses.
    expect(exercise.warnings).toContain(EXERCISE_PREVIEW_WARNING);
    expect(real.warnings).not.toContain(EXERCISE_PREVIEW_WARNING);
  });

  it('answers a test recipient id with its configured number and leaves customers to the directory', async () => {
    const customers = new FakeCustomerDirectory([aCustomer('c1', { phone: '+358401234567' })]);
    const directory = new ExerciseRecipientDirectory(customers, TEST_NUMBERS);

    const found = await directory.getMany(['c1', 'exercise-2', 'exercise-3']);

    expect(found.map(({ customerId, phone }) => ({ customerId, phone }))).toEqual([
      { customerId: 'c1', phone: '+358401234567' },
      { customerId: 'exercise-2', phone: '+46701110002' },
    ]);
    await directory.setOptedOut('exercise-1', true);
    expect(await customers.getMany(['exercise-1'])).toEqual([]);
  });

  it('takes HERALD_EXERCISE_NUMBERS as distinct E.164 numbers and names a bad one', () => {
    expect(exerciseNumbersSetting.parse(' +358401110001, +46701110002 ')).toEqual(TEST_NUMBERS);
    expect(exerciseNumbersSetting.parse(undefined)).toEqual([]);
    expect(exerciseNumbersSetting.safeParse('+358401110001,040111').error?.issues[0]?.message).toBe(
      '040111 is not an E.164 number',
    );
    expect(exerciseNumbersSetting.safeParse('+358401110001,+358401110001').success).toBe(false);
  });
});
