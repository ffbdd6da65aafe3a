import { describe, expect, it } from 'vitest';
import { ValidationError } from '#shared/domain/errors.ts';
import { templateErrors, variableValueErrors } from '#shared/domain/template-rules.ts';
import { firstNonXmlChar, stripNonXmlChars } from '#shared/domain/xml-text.ts';
import { type CreateIncidentInput, createIncident } from '#shared/use-cases/create-incident.ts';
import { aTemplate } from '#test/support/builders.ts';
import { FakeAuditStore, FakeIncidentStore } from '#test/support/fakes.ts';

const strike = (title: string): CreateIncidentInput => ({
  type: 'strike',
  title,
  severity: 'severe',
  window: { start: '2026-11-23T04:00:00+00:00', end: '2026-11-23T16:00:00+00:00' },
  scope: { airports: ['HEL'] },
});

describe('characters XML forbids', () => {
  it('finds each class XML 1.0 forbids and names it as a code point', () => {
    expect(firstNonXmlChar('Strike\u0008')).toBe('U+0008');
    expect(firstNonXmlChar('a\u000Bb\u0000')).toBe('U+000B');
    expect(firstNonXmlChar('\u000C')).toBe('U+000C');
    expect(firstNonXmlChar('\u001F')).toBe('U+001F');
    expect(firstNonXmlChar('\uFFFE')).toBe('U+FFFE');
    expect(firstNonXmlChar('\uFFFF')).toBe('U+FFFF');
    expect(firstNonXmlChar('lone \uDC00 half')).toBe('U+DC00');
  });

  it('allows tab, line feed, carriage return, non-Latin letters and emoji', () => {
    expect(firstNonXmlChar('Lakko\tHelsinki-Vantaalla\r\nÅäö ✈️ 🌋 日本')).toBeUndefined();
  });

  it('strips only what XML forbids', () => {
    expect(stripNonXmlChars('Strike\u0008 at\u000B Oslo \uD800🌋\uFFFF\t')).toBe('Strike at Oslo 🌋\t');
  });

  it('refuses an incident title holding one with a 422 naming the field', async () => {
    const incidents = new FakeIncidentStore();

    const refused = createIncident(strike('Strike\u0008 at Helsinki\u000B'), 'olli', {
      incidents,
      audit: new FakeAuditStore(),
    });

    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expect(refused).rejects.toMatchObject({
      errors: [{ path: 'title', message: expect.stringContaining('U+0008') }],
    });
    expect(incidents.items.size).toBe(0);
  });

  it('opens an incident whose title has none', async () => {
    const incidents = new FakeIncidentStore();

    const incident = await createIncident(strike('Lakko – Helsinki ✈️'), 'olli', {
      incidents,
      audit: new FakeAuditStore(),
    });

    expect(incident.title).toBe('Lakko – Helsinki ✈️');
  });

  it('refuses a template text holding one at submit, naming the field', () => {
    const template = aTemplate();
    const en = template.content.en;
    if (!en) throw new Error('the template has no English');
    template.content.en = { ...en, statusBody: 'Flights\u000B are disrupted.' };

    expect(templateErrors(template)).toEqual([
      { path: 'content.en.statusBody', message: expect.stringContaining('U+000B') },
    ]);
  });

  it('refuses a broadcast variable holding one, naming the variable', () => {
    expect(variableValueErrors(aTemplate(), { variables: { note: 'Gate\u0008 5' } })).toEqual([
      { path: 'variables.note', message: expect.stringContaining('U+0008') },
    ]);
  });
});
