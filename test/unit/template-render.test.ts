import twitterText from 'twitter-text';
import { describe, expect, it } from 'vitest';
import { demoTemplates } from '#infra/local/seed/demo-templates.ts';
import { LANGUAGES, type Language, type TemplateVersion } from '#shared/domain/model.ts';
import {
  publicContext,
  renderField,
  templateTags,
  templateVariables,
  xThread,
} from '#shared/domain/render.ts';
import { anIncident } from '#test/support/builders.ts';

const weighted = (text: string) => twitterText.parseTweet(text).weightedLength;

describe('templateVariables', () => {
  it('lists each variable once, in order, whatever its mustache form', () => {
    expect(
      templateVariables('{{incident.title}} {{{vars.a}}} {{& flight.number}} {{incident.title}} {{! note }}'),
    ).toEqual(['incident.title', 'vars.a', 'flight.number']);
  });

  it('finds variables nested in sections and reports the section and partial tags', () => {
    const text = '{{#vars.a}}{{customer.firstName}}{{/vars.a}}{{^vars.b}}none{{/vars.b}}{{> footer}}';
    expect(templateVariables(text)).toEqual(['customer.firstName']);
    expect(templateTags(text)).toEqual([
      { type: 'section', name: 'vars.a' },
      { type: 'variable', name: 'customer.firstName' },
      { type: 'section', name: 'vars.b' },
      { type: 'partial', name: 'footer' },
    ]);
  });

  it('throws on a text Mustache cannot parse', () => {
    expect(() => templateVariables('{{#vars.a}} open')).toThrow(/Unclosed section "vars.a"/);
  });
});

describe('xThread', () => {
  it('keeps a post that fits as it is', () => {
    expect(xThread('Airspace closed.')).toEqual(['Airspace closed.']);
    expect(xThread('a'.repeat(280))).toEqual(['a'.repeat(280)]);
    expect(xThread(`${'a'.repeat(278)}😀`)).toEqual([`${'a'.repeat(278)}😀`]);
  });

  it('splits a long post between words into numbered parts that each fit and keep every word', () => {
    // 689 characters: two parts of 276 plus the "n/3 " prefixes are too few, three suffice.
    const words = Array.from({ length: 100 }, (_, index) => `word${index}`);
    const parts = xThread(words.join(' '));
    expect(parts.length).toBe(3);
    parts.forEach((part, index) => {
      expect(part.startsWith(`${index + 1}/3 `)).toBe(true);
      expect(weighted(part)).toBeLessThanOrEqual(280);
    });
    expect(parts.map((part) => part.replace(/^\d+\/\d+ /, '')).join(' ')).toBe(words.join(' '));
  });

  it('measures with twitter-text, so emoji count double', () => {
    const parts = xThread('😀 '.repeat(100).trim());
    expect(parts).toHaveLength(2);
    for (const part of parts) expect(weighted(part)).toBeLessThanOrEqual(280);
  });

  it('cuts a word longer than a whole post and widens the numbering past nine parts', () => {
    const parts = xThread(`start ${'x'.repeat(600)} end ${'lorem ipsum '.repeat(200)}`);
    expect(parts.length).toBeGreaterThanOrEqual(10);
    expect(parts[0]).toBe(`1/${parts.length} start`);
    expect(parts[1]).toMatch(new RegExp(`^2/${parts.length} x+$`));
    expect(parts.at(-1)).toMatch(new RegExp(`^${parts.length}/${parts.length} `));
    for (const part of parts) expect(weighted(part)).toBeLessThanOrEqual(280);
  });
});

describe('rendering the demo templates in three languages', () => {
  const incident = anIncident({
    type: 'ash-cloud',
    title: 'Ash cloud over Iceland',
    window: { start: '2026-11-23T04:00:00+00:00', end: '2026-11-23T16:00:00+00:00' },
    scope: { airports: ['HEL', 'OUL'] },
  });
  const ash = demoTemplates('2026-11-23T00:00:00Z').find(
    (template) => template.id === 'ash-cloud-closure',
  ) as TemplateVersion;

  it('says the same thing in each language with the pre-approved variable filled in', () => {
    const context = (language: Language) =>
      publicContext(incident, { variables: { reopenEstimate: '18:00' } }, language);
    const titles = LANGUAGES.map(
      (language) => renderField(ash, 'initial', language, 'statusTitle', context(language)).text,
    );
    expect(titles).toEqual([
      'Tuhkapilvi: ilmatila suljettu (HEL, OUL)',
      'Vulkanaska: luftrummet stängt (HEL, OUL)',
      'Volcanic ash: airspace closed (HEL, OUL)',
    ]);
    for (const language of LANGUAGES)
      expect(renderField(ash, 'initial', language, 'social', context(language)).text).toContain('18:00');
  });

  it('falls back to English for a language the template lacks', () => {
    const englishOnly = { ...ash, content: { en: ash.content.en } } as TemplateVersion;
    const rendered = renderField(
      englishOnly,
      'initial',
      'fi',
      'statusTitle',
      publicContext(incident, { variables: {} }, 'fi'),
    );
    expect(rendered).toEqual({ language: 'en', text: 'Volcanic ash: airspace closed (HEL, OUL)' });
  });
});
