import { describe, expect, it } from 'vitest';
import { handleInboundSms, type InboundMessage } from '#shared/use-cases/handle-inbound-sms.ts';
import { aCustomer } from '#test/support/builders.ts';
import { FakeAuditStore, FakeCustomerDirectory, FakeInboundMessageLedger } from '#test/support/fakes.ts';

const PHONE = '+358401234567';

function setUp(customers = [aCustomer('C1', { phone: PHONE })]) {
  const deps = {
    customers: new FakeCustomerDirectory(customers),
    inbound: new FakeInboundMessageLedger(),
    audit: new FakeAuditStore(),
    helpText: 'Reply STOP to opt out.',
  };
  /** A message from the customer's number, arriving at `receivedAt`. */
  const reply = (messageSid: string, body: string, receivedAt: string) =>
    handleInboundSms({ messageSid, from: PHONE, body, receivedAt } satisfies InboundMessage, deps);
  const optedOut = (customerId = 'C1') => deps.customers.items.get(customerId)?.optedOut ?? false;
  /** In the order they were appended: two entries may share a millisecond. */
  const optActions = () => deps.audit.entries.map((entry) => entry.action);
  return { deps, reply, optedOut, optActions };
}

describe('handling an inbound SMS', () => {
  it('does not opt back in on a captured START replayed after a later STOP', async () => {
    const { reply, optedOut, optActions } = setUp();
    await reply('SM-start', 'START', '2026-11-23T08:00:00.000Z');
    await reply('SM-stop', 'STOP', '2026-11-23T09:00:00.000Z');

    const replayed = await reply('SM-start', 'START', '2026-11-23T10:00:00.000Z');

    expect(replayed).toMatchObject({
      outcome: 'opted_in',
      repeated: true,
      customerIds: [],
      unchangedIds: ['C1'],
    });
    expect(optedOut()).toBe(true);
    expect(optActions()).toEqual(['customer.opted_in', 'customer.opted_out']);
  });

  it('looks up no customer for a From that is not an E.164 number, and changes nothing', async () => {
    const { deps, optActions } = setUp([aCustomer('C1', { phone: PHONE }), aCustomer('C2', { phone: '' })]);
    const lookups: string[] = [];
    const findByPhone = deps.customers.findByPhone.bind(deps.customers);
    deps.customers.findByPhone = async (phone) => {
      lookups.push(phone);
      return findByPhone(phone);
    };

    for (const from of ['', '358401234567', `+${'1'.repeat(3_000)}`, 'Herald']) {
      const result = await handleInboundSms(
        { messageSid: `SM-${from.length}`, from, body: 'STOP', receivedAt: '2026-11-23T09:00:00.000Z' },
        deps,
      );
      expect(result, from.slice(0, 20)).toMatchObject({
        outcome: 'opted_out',
        customerIds: [],
        unchangedIds: [],
      });
    }
    expect(lookups).toEqual([]);
    expect(deps.customers.items.get('C2')?.optedOut ?? false).toBe(false);
    expect(optActions()).toEqual([]);
  });

  it('changes nothing when Twilio retries the same STOP', async () => {
    const { reply, optedOut, optActions } = setUp();
    await reply('SM-stop', 'STOP', '2026-11-23T09:00:00.000Z');

    const retried = await reply('SM-stop', 'STOP', '2026-11-23T09:00:05.000Z');

    expect(retried).toMatchObject({ repeated: true, customerIds: [] });
    expect(optedOut()).toBe(true);
    expect(optActions()).toEqual(['customer.opted_out']);
  });

  it('lets the message that arrived later win when an earlier one is handled after it', async () => {
    const { reply, optedOut } = setUp();
    // The START arrived a second after the STOP, but its invocation ran first.
    await reply('SM-start', 'START', '2026-11-23T09:00:01.000Z');

    const stop = await reply('SM-stop', 'STOP', '2026-11-23T09:00:00.000Z');

    expect(stop.unchangedIds).toEqual(['C1']);
    expect(optedOut()).toBe(false);
  });

  it('still honours a new START sent after a STOP', async () => {
    const { reply, optedOut } = setUp();
    await reply('SM-stop', 'stop', '2026-11-23T09:00:00.000Z');

    const start = await reply('SM-start-2', 'Start', '2026-11-23T09:30:00.000Z');

    expect(start).toMatchObject({ outcome: 'opted_in', repeated: false, customerIds: ['C1'] });
    expect(optedOut()).toBe(false);
  });

  it('honours a START for a customer opted out before opt changes had a time', async () => {
    const { reply, optedOut } = setUp([aCustomer('C1', { phone: PHONE, optedOut: true })]);

    await reply('SM-start', 'START', '2026-11-23T09:00:00.000Z');

    expect(optedOut()).toBe(false);
  });

  it('does not undo a refusal Twilio reported after the START first arrived', async () => {
    const { deps, reply, optedOut } = setUp();
    const startArrived = new Date(Date.now() - 60_000).toISOString();
    await reply('SM-start', 'START', startArrived);
    // Twilio refused a send since (21610): the SMS worker records the opt-out now.
    await deps.customers.setOptedOut('C1', true);

    await reply('SM-start', 'START', new Date().toISOString());

    expect(optedOut()).toBe(true);
  });

  it('opts out every customer with the number, each recorded once in the audit log by id', async () => {
    const { reply, optedOut, deps } = setUp([
      aCustomer('C1', { phone: PHONE }),
      aCustomer('C2', { phone: PHONE }),
      aCustomer('C3'),
    ]);

    const stop = await reply('SM-stop', 'UNSUBSCRIBE please', '2026-11-23T09:00:00.000Z');

    expect(stop.customerIds.sort()).toEqual(['C1', 'C2']);
    expect([optedOut('C1'), optedOut('C2'), optedOut('C3')]).toEqual([true, true, false]);
    const audit = JSON.stringify(deps.audit.entries);
    expect(audit).toContain('SM-stop');
    expect(audit).not.toContain(PHONE);
  });

  it('answers HELP with the help text and records nothing', async () => {
    const { reply, deps } = setUp();

    const help = await reply('SM-help', 'help', '2026-11-23T09:00:00.000Z');

    expect(help).toMatchObject({ outcome: 'help', reply: 'Reply STOP to opt out.' });
    expect(deps.inbound.seen.size).toBe(0);
  });

  it('remembers a MessageSid for 400 days', async () => {
    const { reply, deps } = setUp();

    await reply('SM-stop', 'STOP', '2026-11-23T09:00:00.000Z');

    expect(deps.inbound.seen.get('SM-stop')?.expiresAt.toISOString()).toBe('2027-12-28T09:00:00.000Z');
  });
});
