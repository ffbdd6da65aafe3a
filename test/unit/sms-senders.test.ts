import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SMS_MAX_CONCURRENCY, smsPoolConcurrency } from '#functions/manifest.ts';
import { readLocalSettings } from '#infra/local/settings.ts';
import { ConfigError, readSmsSenderPool } from '#shared/config.ts';
import {
  audienceRate,
  chooseSender,
  pacedRates,
  parseSmsSenderPool,
  poolRate,
  type SmsSenderPool,
} from '#shared/domain/sms-senders.ts';
import { pacedSenders } from '#shared/use-cases/paced-senders.ts';
import { FakeRateLimiter } from '#test/support/fakes.ts';

const SERVICE_SID = `MG${'0123456789abcdef'.repeat(2)}`;

/** Finland by sender ID, two UK long codes, the US by short code, the rest through a Messaging Service. */
const NORDIC_POOL = {
  defaultSender: 'world',
  senders: [
    { id: 'world', messagingServiceSid: SERVICE_SID, perSecond: 10 },
    {
      id: 'finland',
      prefixes: ['+358'],
      alphanumericId: 'HERALD',
      replyTo: 'https://herald.example/stop',
      perSecond: 5,
    },
    { id: 'helsinki-mobile', prefixes: ['+35840'], longCodes: ['+358401110000'], perSecond: 1 },
    { id: 'uk', prefixes: ['+44'], longCodes: ['+447700900001', '+447700900002'], perSecond: 1 },
    { id: 'us', prefixes: ['+1'], shortCode: '72345', perSecond: 100 },
  ],
};

function parsed(value: unknown): SmsSenderPool {
  const result = parseSmsSenderPool(value);
  if ('problems' in result) throw new Error(result.problems.join('; '));
  return result.pool;
}

function problems(value: unknown): string[] {
  const result = parseSmsSenderPool(value);
  return 'problems' in result ? result.problems : [];
}

const withSender = (sender: object) => ({ ...NORDIC_POOL, senders: [...NORDIC_POOL.senders, sender] });

describe('sender pool validation', () => {
  it('accepts each kind of sender: Messaging Service, long codes, short code, alphanumeric ID', () => {
    expect(problems(NORDIC_POOL)).toEqual([]);
  });

  it.each([
    [
      { id: 'bad', messagingServiceSid: 'MGnothex', perSecond: 1 },
      'senders[5] "bad".messagingServiceSid: MG and 32 hex digits',
    ],
    [
      { id: 'bad', alphanumericId: 'HERALD-AIRLINES', replyTo: '+358401234567', perSecond: 1 },
      'senders[5] "bad".alphanumericId',
    ],
    [{ id: 'bad', alphanumericId: '12345', replyTo: '+358401234567', perSecond: 1 }, 'at least one letter'],
    [
      { id: 'bad', alphanumericId: 'HERALD', perSecond: 1 },
      'senders[5] "bad".replyTo: an alphanumeric sender cannot receive replies',
    ],
    [
      { id: 'bad', alphanumericId: 'HERALD', replyTo: 'http://herald.example', perSecond: 1 },
      'senders[5] "bad".replyTo: an E.164 number or an https link',
    ],
    [{ id: 'bad', longCodes: ['0401234567'], perSecond: 1 }, 'senders[5] "bad".longCodes.0: an E.164 number'],
    [
      { id: 'bad', shortCode: '72345', longCodes: ['+358401234567'], perSecond: 1 },
      'give exactly one of messagingServiceSid, longCodes, shortCode, alphanumericId (found longCodes, shortCode)',
    ],
    [{ id: 'bad', perSecond: 1 }, 'found none'],
    [{ id: 'bad', shortCode: '72345', perSecond: 0 }, 'senders[5] "bad".perSecond'],
    [
      { id: 'bad', shortCode: '72345', perSecond: 1, prefixes: ['358'] },
      'senders[5] "bad".prefixes.0: a + and digits',
    ],
    [
      { id: 'bad', shortCode: '72345', perSecond: 1, prefixes: ['+44'] },
      'senders[5] "bad".prefixes: +44 is already served by "uk"',
    ],
    [{ id: 'uk', shortCode: '72345', perSecond: 1 }, 'senders[5] "uk".id: a second sender with this id'],
    [
      { id: 'bad', shortCode: '72345', perSecond: 1, from: '+1555' },
      'senders[5] "bad": Unrecognized key: "from"',
    ],
  ])('refuses %j, naming the entry: %s', (sender, problem) => {
    expect(problems(withSender(sender)).join('; ')).toContain(problem);
  });

  it('refuses a default that names no sender', () => {
    expect(problems({ ...NORDIC_POOL, defaultSender: 'nowhere' })).toEqual([
      'defaultSender: no sender has the id "nowhere"',
    ]);
  });
});

describe('readSmsSenderPool (HERALD_SMS_SENDERS)', () => {
  it('reads the pool inline or from a file, and none when unset', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'herald-senders-')), 'senders.json');
    writeFileSync(file, JSON.stringify(NORDIC_POOL));

    expect(readSmsSenderPool(JSON.stringify(NORDIC_POOL))?.defaultSender).toBe('world');
    expect(readSmsSenderPool(file)?.senders).toHaveLength(5);
    expect(readSmsSenderPool(undefined)).toBeUndefined();
  });

  it('fails with the variable and every bad entry named', () => {
    const bad = withSender({ id: 'nordic', alphanumericId: 'HERALD', perSecond: 1 });
    expect(() => readSmsSenderPool(JSON.stringify(bad))).toThrow(
      new ConfigError(
        'Invalid HERALD_SMS_SENDERS: senders[5] "nordic".replyTo: an alphanumeric sender cannot receive replies: name a number or an https link for STOP and HELP',
      ),
    );
    expect(() => readSmsSenderPool('{ not json')).toThrow('HERALD_SMS_SENDERS: not JSON');
    expect(() => readSmsSenderPool('/nonexistent/senders.json')).toThrow(
      'HERALD_SMS_SENDERS: cannot read /nonexistent/senders.json',
    );
  });
});

describe('choosing a sender', () => {
  const pool = parsed(NORDIC_POOL);

  it('takes the longest matching prefix, and the default when none matches', () => {
    expect(chooseSender(pool, '+358501234567')).toMatchObject({
      senderId: 'finland',
      origin: { from: 'HERALD' },
      paceKey: 'finland',
      replyTo: 'https://herald.example/stop',
    });
    expect(chooseSender(pool, '+358401234567')).toMatchObject({
      senderId: 'helsinki-mobile',
      origin: { from: '+358401110000' },
    });
    expect(chooseSender(pool, '+12025550123')).toMatchObject({ origin: { from: '72345' }, perSecond: 100 });
    expect(chooseSender(pool, '+4670123456')).toMatchObject({
      senderId: 'world',
      origin: { messagingServiceSid: SERVICE_SID },
    });
  });

  it('gives a passenger always the same long code of a list, and spreads passengers over its numbers', () => {
    const phones = Array.from({ length: 200 }, (_, index) => `+44770090${String(index).padStart(4, '0')}`);
    const numbers = phones.map((phone) => chooseSender(pool, phone).origin);

    expect(phones.map((phone) => chooseSender(pool, phone).origin)).toEqual(numbers);
    const fromFirst = numbers.filter((origin) => 'from' in origin && origin.from === '+447700900001').length;
    expect(fromFirst).toBeGreaterThan(70);
    expect(fromFirst).toBeLessThan(130);
    expect(new Set(phones.map((phone) => chooseSender(pool, phone).paceKey))).toEqual(
      new Set(['uk:+447700900001', 'uk:+447700900002']),
    );
  });
});

describe('rates', () => {
  const pool = parsed(NORDIC_POOL);

  it('a pool sends at every sender together, a list of long codes at its rate from each number', () => {
    expect(poolRate(pool)).toBe(10 + 5 + 1 + 2 * 1 + 100);
  });

  it("an audience's rate is the sum of its senders' when their shares match their rates", () => {
    expect(
      audienceRate(
        pool,
        new Map([
          ['world', 100],
          ['finland', 50],
        ]),
      ),
    ).toBe(15);
  });

  it('a sender with more than its share sets the rate: the audience is done when it is', () => {
    // 150 segments on the 5/s sender take 30 s; all 160 in 30 s is 5.33/s, not 15.
    expect(
      audienceRate(
        pool,
        new Map([
          ['world', 10],
          ['finland', 150],
        ]),
      ),
    ).toBeCloseTo(160 / 30);
  });
});

describe('pacedSenders', () => {
  it('without a pool, paces the provider default sender under the one key it always had', () => {
    const made: [string, number][] = [];
    const senderFor = pacedSenders(undefined, 3, (key, perSecond) => {
      made.push([key, perSecond]);
      return new FakeRateLimiter();
    });

    expect(senderFor('+358401234567').origin).toBeUndefined();
    expect(senderFor('+12025550123').rate).toBe(senderFor('+358401234567').rate);
    expect(made).toEqual([['sms', 3]]);
  });

  it('with a pool, makes one limiter per sender and per long code, once each, at its own rate', () => {
    const made: [string, number][] = [];
    const senderFor = pacedSenders(parsed(NORDIC_POOL), 3, (key, perSecond) => {
      made.push([key, perSecond]);
      return new FakeRateLimiter();
    });
    const phones = [
      '+358501234567',
      '+358509999999',
      '+12025550123',
      ...Array.from({ length: 20 }, (_, i) => `+4477009${i}123`),
    ];

    for (const phone of phones) senderFor(phone);

    expect(made.sort()).toEqual([
      ['sms#finland', 5],
      ['sms#uk:+447700900001', 1],
      ['sms#uk:+447700900002', 1],
      ['sms#us', 100],
    ]);
    expect(senderFor('+358501234567').rate).toBe(senderFor('+358509999999').rate);
    expect(senderFor('+358501234567')).toMatchObject({
      origin: { from: 'HERALD' },
      replyTo: 'https://herald.example/stop',
    });
  });
});

describe('the local stack as it starts', () => {
  it('refuses a bad HERALD_SMS_SENDERS naming the entry, and takes a good one', () => {
    const bad = withSender({
      id: 'nordic',
      alphanumericId: 'HERALD AIRLINES',
      replyTo: '+358401234567',
      perSecond: 1,
    });

    expect(() => readLocalSettings({ HERALD_SMS_SENDERS: JSON.stringify(bad) })).toThrow(
      /HERALD_SMS_SENDERS: senders\[5\] "nordic"\.alphanumericId: up to 11 letters/,
    );
    expect(readLocalSettings({ HERALD_SMS_SENDERS: JSON.stringify(NORDIC_POOL) }).HERALD_SMS_SENDERS).toEqual(
      parsed(NORDIC_POOL),
    );
    expect(readLocalSettings({}).HERALD_SMS_SENDERS).toBeUndefined();
  });
});

describe("the SMS worker's concurrency for a pool", () => {
  it('is what each paced sender (each long code of a list) needs, added up, within the cap', () => {
    const pool = parsed(NORDIC_POOL);

    expect(pacedRates(pool)).toEqual([10, 5, 1, 1, 1, 100]);
    // 2 invocations at least per limiter, 2 for 100/s (50 a second each): 6 × 2.
    expect(smsPoolConcurrency(pacedRates(pool))).toBe(12);
    expect(smsPoolConcurrency(Array.from({ length: 80 }, () => 1))).toBe(SMS_MAX_CONCURRENCY);
  });
});
