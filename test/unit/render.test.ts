import { describe, expect, it } from 'vitest';
import { demoTemplates } from '#infra/local/seed/demo-templates.ts';
import type { TemplateVersion } from '#shared/domain/model.ts';
import { localTime, publicContext, renderField } from '#shared/domain/render.ts';
import { anIncident } from '#test/support/builders.ts';

const [template] = demoTemplates('2026-11-23T00:00:00Z') as [TemplateVersion];
const incident = anIncident({
  title: 'Strike at HEL and ARN',
  window: { start: '2026-11-23T04:00:00+00:00', end: '2026-11-23T16:00:00+00:00' },
  scope: { airports: ['HEL', 'ARN'] },
});
const personal = {
  customer: { firstName: 'Aino' },
  booking: { ref: 'ABC123' },
  flight: { number: 'AY123', date: '2026-11-23', origin: 'HEL', departureTime: '08:05' },
};

describe('renderField', () => {
  it('renders the SMS in the customer language with personal variables', () => {
    const { language, text } = renderField(template, 'initial', 'fi', 'sms', {
      ...publicContext(incident, { variables: {} }, 'fi'),
      ...personal,
    });
    expect(language).toBe('fi');
    expect(text).toBe(
      'Hei Aino, lentosi AY123 2026-11-23 (klo 08:05, HEL) voi häiriintyä lakon vuoksi. Varaus ABC123. Tiedotteet: herald.example/status',
    );
  });

  it('does not HTML-escape plain-text channels', () => {
    const note = 'Buses <at> door 3 & 4';
    expect(
      renderField(
        template,
        'initial',
        'en',
        'statusBody',
        publicContext(incident, { variables: { note } }, 'en'),
      ).text,
    ).toContain(note);
  });

  it('falls back to English when the template lacks the language', () => {
    const englishOnly = { ...template, content: { en: template.content.en } } as TemplateVersion;
    expect(
      renderField(englishOnly, 'initial', 'sv', 'social', publicContext(incident, { variables: {} }, 'sv')),
    ).toMatchObject({
      language: 'en',
    });
  });
});

describe('localTime', () => {
  it('gives the departure time in the departure airport time zone', () => {
    expect(localTime('2026-11-23T06:05:00+00:00', 'HEL')).toBe('08:05');
    expect(localTime('2026-07-01T06:05:00+00:00', 'ARN')).toBe('08:05');
    expect(localTime('2026-11-23T06:05:00+00:00', 'LHR')).toBe('06:05');
  });
});
