import { describe, expect, it } from 'vitest';
import { messageLanguage, smsExclusion } from '#shared/domain/eligibility.ts';
import type { Customer } from '#shared/domain/model.ts';
import { aCustomer } from '#test/support/builders.ts';

const customer = (overrides: Partial<Customer> = {}) => aCustomer('C1', overrides);

describe('smsExclusion', () => {
  it('lets a consenting customer with an E.164 number through', () => {
    expect(smsExclusion(customer())).toBeUndefined();
  });
  it('excludes a customer without consent', () => {
    expect(smsExclusion(customer({ smsConsent: false }))).toBe('noConsent');
  });
  it('excludes numbers that are not E.164', () => {
    expect(smsExclusion(customer({ phone: '0401234567' }))).toBe('invalidPhone');
    expect(smsExclusion(customer({ phone: '+3584012' }))).toBe('invalidPhone');
  });
  it('excludes a customer who opted out, before anything else', () => {
    expect(smsExclusion(customer({ optedOut: true, smsConsent: false }))).toBe('optedOut');
  });
});

describe('messageLanguage', () => {
  it('keeps fi, sv and en, including regional tags', () => {
    expect(messageLanguage('fi')).toBe('fi');
    expect(messageLanguage('sv-FI')).toBe('sv');
  });
  it('falls back to English for a language Herald does not speak', () => {
    expect(messageLanguage('de')).toBe('en');
  });
});

describe('demo airline numbers', () => {
  it('are valid except the deliberately broken ones', async () => {
    const { demoAirline } = await import('#infra/local/seed/demo-airline.ts');
    const { customers } = demoAirline('2026-11-23');
    const invalid = customers.filter((c) => smsExclusion({ ...c, smsConsent: true }) === 'invalidPhone');
    expect(invalid.map((c) => c.phone)).toEqual(Array(invalid.length).fill('+3584012'));
    expect(invalid.length).toBe(Math.floor(customers.length / 11));
  });
});
