import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smsPoolConcurrency } from '#functions/manifest.ts';
import { buildHerald } from '#infra/cdk/herald-app.ts';
import { HeraldContextError } from '#infra/cdk/herald-config.ts';
import { pacedRates } from '#shared/domain/sms-senders.ts';
import { THREE_SENDERS } from '#test/support/sender-pool.ts';
import {
  environmentOf,
  heraldApp,
  lambdaOf,
  type SynthesizedHerald,
  synthHerald,
  TEST_ENVIRONMENT,
} from './synth-herald.ts';

const build = (smsSenders: unknown) => () => buildHerald(heraldApp({ ...TEST_ENVIRONMENT, smsSenders }));

describe('context smsSenders', () => {
  it('refuses a bad pool at synth, naming the key and the entry', () => {
    const noReplyTo = {
      defaultSender: 'nordic',
      senders: [{ id: 'nordic', alphanumericId: 'HERALD', perSecond: 10 }],
    };

    expect(build(noReplyTo)).toThrow(HeraldContextError);
    expect(build(noReplyTo)).toThrow(
      'herald:environments.test.smsSenders: senders[0] "nordic".replyTo: an alphanumeric sender cannot receive replies',
    );
    expect(build({ ...noReplyTo, defaultSender: 'world' })).toThrow(
      'herald:environments.test.smsSenders: defaultSender: no sender has the id "world"',
    );
  });

  it("refuses a pool too large for the functions' environment", () => {
    const longCodes = Array.from({ length: 200 }, (_, index) => `+3584011${String(index).padStart(5, '0')}`);

    expect(build({ defaultSender: 'fi', senders: [{ id: 'fi', longCodes, perSecond: 1 }] })).toThrow(
      /herald:environments\.test\.smsSenders: \d+ characters as JSON; a Lambda's environment holds 4 KB/,
    );
  });

  describe('a deployment with a pool', () => {
    let synthesized: SynthesizedHerald;
    beforeAll(() => {
      synthesized = synthHerald({ ...TEST_ENVIRONMENT, smsSenders: THREE_SENDERS });
    }, 120_000);
    afterAll(() => synthesized?.dispose());

    it('hands the pool to the functions that send, date and show SMS, and sizes the SMS worker by it', () => {
      for (const handler of ['send-sms', 'preview-broadcast', 'get-broadcast', 'export-evidence']) {
        expect(
          JSON.parse(String(environmentOf(synthesized.stateless, handler).HERALD_SMS_SENDERS)),
          handler,
        ).toEqual(THREE_SENDERS);
      }
      const [, sendSms] = lambdaOf(synthesized.stateless, 'send-sms');
      expect(sendSms.Properties.ReservedConcurrentExecutions).toBe(
        smsPoolConcurrency(pacedRates(THREE_SENDERS)),
      );
    });
  });
});
