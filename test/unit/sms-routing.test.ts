import { describe, expect, it } from 'vitest';
import { PermanentDeliveryError, TransientDeliveryError } from '#shared/domain/errors.ts';
import {
  DESTINATION_NOT_PERMITTED,
  firstProvider,
  isProviderFailure,
  mayFailOver,
} from '#shared/domain/sms-routing.ts';

const route = {
  to: '+358401234567',
  fallbackPrefixes: ['+7', '+8869'],
  primaryAvailable: true,
  hasFallback: true,
};

describe('firstProvider', () => {
  it('is Twilio for a number no prefix names while its breaker lets calls through', () => {
    expect(firstProvider(route)).toBe('twilio');
  });

  it('is the fallback for a number under a prefix Twilio refuses', () => {
    expect(firstProvider({ ...route, to: '+79161234567' })).toBe('aws-sms');
    expect(firstProvider({ ...route, to: '+886912345678' })).toBe('aws-sms');
    expect(firstProvider({ ...route, to: '+886212345678' })).toBe('twilio');
  });

  it('is the fallback while Twilio’s breaker is open', () => {
    expect(firstProvider({ ...route, primaryAvailable: false })).toBe('aws-sms');
  });

  it('is always Twilio without a fallback', () => {
    expect(firstProvider({ ...route, to: '+79161234567', primaryAvailable: false, hasFallback: false })).toBe(
      'twilio',
    );
  });
});

describe('mayFailOver', () => {
  it('moves a record whose destination the provider refuses', () => {
    expect(mayFailOver(new PermanentDeliveryError('Twilio error 21408', DESTINATION_NOT_PERMITTED))).toBe(
      true,
    );
  });

  it('moves a record the provider answered with a 5xx or 429 (it created no message)', () => {
    expect(mayFailOver(new TransientDeliveryError('Twilio unavailable (HTTP 503)'))).toBe(true);
  });

  it('never moves a record the provider may hold (a timeout, a connection lost mid-request)', () => {
    const timeout = new TransientDeliveryError('timeout', undefined, { mayHaveBeenAccepted: true });
    expect(mayFailOver(timeout)).toBe(false);
  });

  it('never moves a record any provider would refuse (an invalid number, an opt-out) or a bug', () => {
    expect(mayFailOver(new PermanentDeliveryError('21211', 'invalid_phone'))).toBe(false);
    expect(mayFailOver(new PermanentDeliveryError('21610', 'opted_out'))).toBe(false);
    expect(mayFailOver(new Error('missing parameter'))).toBe(false);
  });
});

describe('isProviderFailure', () => {
  it('counts a provider down against its breaker, not a refusal of one number', () => {
    expect(isProviderFailure(new TransientDeliveryError('HTTP 503'))).toBe(true);
    expect(isProviderFailure(new PermanentDeliveryError('21408', DESTINATION_NOT_PERMITTED))).toBe(false);
  });
});
