import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '#shared/domain/circuit-breaker.ts';
import { PermanentDeliveryError, TransientDeliveryError } from '#shared/domain/errors.ts';
import { DESTINATION_NOT_PERMITTED } from '#shared/domain/sms-routing.ts';
import { type DeliveryAttempt, deliverOnce } from '#shared/use-cases/deliver-once.ts';
import { queuedDelivery } from '#shared/use-cases/plan-broadcast.ts';
import { findAcceptedAcross, type SmsFailover, sendWithFailover } from '#shared/use-cases/sms-failover.ts';
import {
  FakeBroadcastStore,
  FakeDeliveryStore,
  FakeSmsProvider,
  fakeInvocation,
} from '#test/support/fakes.ts';

const key = { broadcastId: 'b1', channel: 'sms' as const, recipientId: 'c1' };
const message = { to: '+358401234567', body: 'Your flight AY123 is cancelled.' };
const OWNER = 'invocation-1';
const twilioDown = () => new TransientDeliveryError('Twilio unavailable (HTTP 503)');
const lostAnswer = () => new TransientDeliveryError('timeout', undefined, { mayHaveBeenAccepted: true });

/** A record claimed by OWNER, Twilio and the fallback faked, breakers opening after 2 failures. */
async function setUp(overrides: Partial<SmsFailover> = {}) {
  const broadcasts = new FakeBroadcastStore();
  broadcasts.add({ id: 'b1', status: 'sending', plannedAt: new Date().toISOString() });
  const deliveries = new FakeDeliveryStore(broadcasts);
  await deliveries.createMany([queuedDelivery('b1', 'sms', 'c1', {})]);
  await deliveries.claim(key, { owner: OWNER, expiresAt: Date.now() + 60_000 });
  const twilio = new FakeSmsProvider();
  const aws = new FakeSmsProvider();
  const breakerSettings = { consecutiveFailures: 2, window: 10, failureRate: 0.5, openMs: 30_000 };
  const failover: SmsFailover = {
    primary: twilio,
    fallback: aws,
    breakers: { twilio: new CircuitBreaker(breakerSettings), 'aws-sms': new CircuitBreaker(breakerSettings) },
    fallbackPrefixes: ['+7'],
    fallbackEventGraceMs: 120_000,
    ...overrides,
  };
  const send = (to = message.to) => sendWithFailover(key, OWNER, { ...message, to }, failover, deliveries);
  return { deliveries, twilio, aws, failover, send };
}

describe('sendWithFailover', () => {
  it('sends through Twilio while it answers, and the fallback is never called', async () => {
    const { twilio, aws, send } = await setUp();
    await expect(send()).resolves.toEqual({ providerId: 'SM1', provider: 'twilio' });
    expect(twilio.accepted).toHaveLength(1);
    expect(aws.accepted).toHaveLength(0);
  });

  it('moves a record Twilio answered with a 5xx to the fallback, stamping the hand-over first', async () => {
    const { deliveries, twilio, aws, send } = await setUp();
    twilio.willAnswer({ throw: twilioDown() });
    await expect(send()).resolves.toEqual({ providerId: 'SM1', provider: 'aws-sms' });
    expect(twilio.accepted).toHaveLength(0);
    expect(aws.accepted.map(({ to }) => to)).toEqual([message.to]);
    expect(deliveries.record(key)?.fallbackAt).toBeDefined();
  });

  it('moves a record whose destination Twilio refuses for good (21408) to the fallback', async () => {
    const { twilio, aws, send } = await setUp();
    twilio.willAnswer({ throw: new PermanentDeliveryError('Twilio error 21408', DESTINATION_NOT_PERMITTED) });
    await expect(send()).resolves.toMatchObject({ provider: 'aws-sms' });
    expect(aws.accepted).toHaveLength(1);
  });

  it('never moves a record Twilio may hold (its answer lost): the failure is thrown for reconciliation', async () => {
    const { twilio, aws, send } = await setUp();
    twilio.willAnswer({ acceptThenThrow: lostAnswer() });
    await expect(send()).rejects.toMatchObject({ mayHaveBeenAccepted: true });
    expect(twilio.accepted).toHaveLength(1);
    expect(aws.accepted).toHaveLength(0);
  });

  it('never moves a number every provider would refuse', async () => {
    const { twilio, aws, send } = await setUp();
    twilio.willAnswer({ throw: new PermanentDeliveryError('Twilio error 21211', 'invalid_phone') });
    await expect(send()).rejects.toMatchObject({ code: 'invalid_phone' });
    expect(aws.accepted).toHaveLength(0);
  });

  it('sends a prefix Twilio refuses to the fallback first, without asking Twilio', async () => {
    const { twilio, aws, send } = await setUp();
    await expect(send('+79161234567')).resolves.toMatchObject({ provider: 'aws-sms' });
    expect(twilio.accepted).toHaveLength(0);
    expect(aws.accepted).toHaveLength(1);
  });

  it('skips Twilio once its breaker is open: no call for the records after', async () => {
    const { twilio, failover, send } = await setUp();
    let twilioCalls = 0;
    failover.primary = {
      send: async () => {
        twilioCalls++;
        throw twilioDown();
      },
      findSent: async () => [],
    };
    for (let n = 0; n < 5; n++) await expect(send()).resolves.toMatchObject({ provider: 'aws-sms' });
    expect(twilioCalls).toBe(2);
    expect(failover.breakers.twilio.state).toBe('open');
    expect(twilio.accepted).toHaveLength(0);
  });

  it('when both providers fail, throws the transient failure so the record is retried, not failed', async () => {
    const { twilio, aws, send } = await setUp();
    twilio.willAnswer({ throw: new PermanentDeliveryError('Twilio error 21408', DESTINATION_NOT_PERMITTED) });
    aws.willAnswer({
      throw: new TransientDeliveryError('AWS SMS refused the message for now (ThrottlingException)'),
    });
    await expect(send()).rejects.toBeInstanceOf(TransientDeliveryError);
  });

  it('does not hand a record to the fallback once this attempt has lost its lease', async () => {
    const { deliveries, twilio, aws, send } = await setUp();
    await deliveries.transition(key, 'queued', { owner: OWNER });
    twilio.willAnswer({ throw: twilioDown() });
    await expect(send()).rejects.toThrow(/no longer this attempt/);
    expect(aws.accepted).toHaveLength(0);
  });

  it('without a fallback, a Twilio failure is thrown as before', async () => {
    const { twilio, send } = await setUp({ fallback: undefined });
    twilio.willAnswer({ throw: twilioDown() });
    await expect(send()).rejects.toThrow(/HTTP 503/);
  });
});

describe('findAcceptedAcross', () => {
  it('waits for the fallback’s events while a hand-over to it is recent', async () => {
    const { deliveries, twilio, failover, send } = await setUp();
    twilio.willAnswer({ throw: twilioDown() });
    await send();
    const since = new Date(Date.now() - 1000);
    await expect(findAcceptedAcross(key, message, since, failover, deliveries)).rejects.toThrow(
      /delivery events/,
    );
  });

  it('asks Twilio alone once the events are overdue, or when nothing went to the fallback', async () => {
    const { deliveries, twilio, failover, send } = await setUp({ fallbackEventGraceMs: 0 });
    twilio.willAnswer({ acceptThenThrow: lostAnswer() });
    await send().catch(() => undefined);
    const since = new Date(Date.now() - 1000);
    await expect(findAcceptedAcross(key, message, since, failover, deliveries)).resolves.toEqual(['SM1']);
  });
});

describe('deliverOnce through the failover', () => {
  /** A queued record and the attempt send-sms-batch makes of it. */
  async function queuedRecord() {
    const { deliveries, twilio, aws, failover } = await setUp();
    await deliveries.transition(key, 'queued', { owner: OWNER });
    const deliver = (invocation = fakeInvocation()) => {
      const attempt: DeliveryAttempt = {
        send: () => sendWithFailover(key, invocation.id, message, failover, deliveries),
        findAccepted: (since) => findAcceptedAcross(key, message, since, failover, deliveries),
        reconcilesWith: 'twilio',
      };
      const deps = {
        deliveries,
        providerTimeoutMs: 1_000,
        retryPolicy: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxWaitMs: 1 },
      };
      return deliverOnce(key, attempt, deps, invocation);
    };
    return { deliveries, twilio, aws, failover, deliver };
  }

  it('records which provider accepted the record', async () => {
    const { deliveries, twilio, aws, deliver } = await queuedRecord();
    twilio.willAnswer({ throw: twilioDown() });

    expect(await deliver()).toBe('sent');

    expect(deliveries.record(key)).toMatchObject({ status: 'sent', provider: 'aws-sms', providerId: 'SM1' });
    expect(twilio.accepted.length + aws.accepted.length).toBe(1);
  });

  it('reconciles a lost Twilio answer at Twilio and never texts through the fallback', async () => {
    const { deliveries, twilio, aws, deliver } = await queuedRecord();
    twilio.willAnswer({ acceptThenThrow: lostAnswer() });

    await expect(deliver()).rejects.toMatchObject({ mayHaveBeenAccepted: true });
    expect(await deliver()).toBe('reconciled');

    expect(deliveries.record(key)).toMatchObject({ status: 'sent', provider: 'twilio', providerId: 'SM1' });
    expect(twilio.accepted).toHaveLength(1);
    expect(aws.accepted).toHaveLength(0);
  });

  it("a Twilio 503 with the fallback's breaker open on its batch's last receive keeps a record not yet tried queued, and it is sent later", async () => {
    const { deliveries, twilio, aws, failover, deliver } = await queuedRecord();
    // The fallback's breaker opened on other records' failures (setUp: after 2).
    failover.breakers['aws-sms'].recordFailure();
    failover.breakers['aws-sms'].recordFailure();
    twilio.willAnswer({ throw: twilioDown() });

    await expect(deliver(fakeInvocation({ lastChance: true, maxReceives: 10 }))).rejects.toThrow(/HTTP 503/);
    expect(deliveries.record(key)?.status).toBe('queued');

    expect(await deliver()).toBe('sent');
    expect(deliveries.record(key)).toMatchObject({ status: 'sent', provider: 'twilio' });
    expect(twilio.accepted.length + aws.accepted.length).toBe(1);
  });
});
