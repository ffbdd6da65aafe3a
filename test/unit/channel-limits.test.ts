import { describe, expect, it } from 'vitest';
import { measureSms, xWeightedLength } from '#shared/domain/channel-limits.ts';

describe('measureSms', () => {
  it('keeps Finnish and Swedish letters in GSM-7, but not an en dash', () => {
    expect(measureSms('Lentosi Åbo–Mariehamn on myöhässä, päivitämme tilannetta.').encoding).toBe('UCS-2');
    expect(measureSms('Lentosi on myöhässä: Åland, Ärlig, Öland').encoding).toBe('GSM-7');
  });
  it('switches to UCS-2 for an emoji', () => {
    expect(measureSms('Flight delayed ✈️')).toMatchObject({ encoding: 'UCS-2', segments: 1 });
  });
  it('counts 160 GSM-7 characters as one segment and 161 as two', () => {
    expect(measureSms('a'.repeat(160)).segments).toBe(1);
    expect(measureSms('a'.repeat(161)).segments).toBe(2);
  });
  it('counts 70 UCS-2 characters as one segment and 71 as two', () => {
    expect(measureSms(`😀${'a'.repeat(68)}`).segments).toBe(1);
    expect(measureSms(`😀${'a'.repeat(69)}`).segments).toBe(2);
  });
});

describe('xWeightedLength', () => {
  it('counts a URL as 23 and an emoji as 2', () => {
    expect(xWeightedLength('See https://example.com/a/very/long/path/indeed')).toBe(4 + 23);
    expect(xWeightedLength('ok 😀')).toBe(3 + 2);
  });
});
