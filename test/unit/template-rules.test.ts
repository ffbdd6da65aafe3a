import { SegmentedMessage } from 'sms-segments-calculator';
import twitterText from 'twitter-text';
import { describe, expect, it } from 'vitest';
import { demoTemplates } from '#infra/local/seed/demo-templates.ts';
import type { TemplateVersion } from '#shared/domain/model.ts';
import {
  freeTextVariables,
  type TemplateRulesInput,
  templateErrors,
  variableValueErrors,
  WORST_CASE_AIRPORTS,
  worstCaseText,
} from '#shared/domain/template-rules.ts';

/** A valid template; `fields` replaces the English texts. */
function template(
  fields: Partial<Record<'sms' | 'social' | 'statusTitle' | 'statusBody', string>> = {},
  settings: Omit<TemplateRulesInput, 'content'> = {},
): TemplateRulesInput {
  const base = {
    sms: 'Hi {{customer.firstName}}, flight {{flight.number}} on {{flight.date}} is cancelled.',
    social: 'Flights at {{incident.airports}} are disrupted.',
    statusTitle: 'Strike at {{incident.airports}}',
    statusBody: 'Flights at {{incident.airports}} are disrupted.',
  };
  return { content: { fi: base, sv: base, en: { ...base, ...fields } }, ...settings };
}

const onlyError = (input: TemplateRulesInput) => {
  const errors = templateErrors(input);
  expect(errors).toHaveLength(1);
  return errors[0];
};

describe('templateErrors', () => {
  it('passes a complete template that uses known variables', () => {
    expect(templateErrors(template())).toEqual([]);
  });

  it('passes both demo templates, so the seeded approved versions obey the rules', () => {
    for (const demo of demoTemplates('2026-11-23T00:00:00Z')) expect(templateErrors(demo)).toEqual([]);
  });

  it('names each missing language field by its path', () => {
    const input = template();
    input.content.sv = { sms: 'Hej', social: 'Info', statusTitle: 'Titel' };
    delete input.content.fi;
    const paths = templateErrors(input).map((error) => error.path);
    expect(paths).toEqual([
      'content.fi.sms',
      'content.fi.social',
      'content.fi.statusTitle',
      'content.fi.statusBody',
      'content.sv.statusBody',
    ]);
    expect(templateErrors(input)[4]?.message).toBe(
      'The sv statusBody text is missing: every language (fi, sv, en) needs sms, social, statusTitle, statusBody.',
    );
  });

  it('treats a blank text as missing', () => {
    expect(onlyError(template({ statusTitle: '   ' }))).toMatchObject({ path: 'content.en.statusTitle' });
  });

  it('rejects an unknown incident variable', () => {
    expect(onlyError(template({ statusBody: 'At {{incident.gate}}' }))).toEqual({
      path: 'content.en.statusBody',
      message: expect.stringMatching(/^Unknown variable \{\{incident\.gate\}\}\. Known: incident\.title, /),
    });
  });

  it('rejects a vars.* name the template does not declare, and accepts declared ones', () => {
    expect(onlyError(template({ social: 'Reopens {{vars.reopen}}' }))).toEqual({
      path: 'content.en.social',
      message: "Unknown variable {{vars.reopen}}: declare 'reopen' in allowedVariables or freeTextVariables.",
    });
    expect(
      templateErrors(template({ social: 'Reopens {{vars.reopen}}' }, { allowedVariables: ['reopen'] })),
    ).toEqual([]);
    expect(
      templateErrors(template({ social: 'Note: {{vars.note}}' }, { freeTextVariables: ['note'] })),
    ).toEqual([]);
  });

  it('rejects a personal variable in every public field, whatever the mustache form', () => {
    for (const [field, text] of [
      ['social', 'Hi {{customer.firstName}}'],
      ['statusTitle', 'Booking {{{booking.ref}}}'],
      ['statusBody', 'Flight {{& flight.number}}'],
    ] as const) {
      const error = onlyError(template({ [field]: text }));
      expect(error?.path).toBe(`content.en.${field}`);
      expect(error?.message).toMatch(
        /^Personal variable \{\{(customer|booking|flight)\.\w+\}\} may only be used in sms/,
      );
    }
  });

  it('rejects a personal-looking name that does not exist, even in sms', () => {
    expect(onlyError(template({ sms: 'Hi {{customer.lastName}}' }))?.message).toMatch(
      /^Unknown variable \{\{customer\.lastName\}\}\..* and in sms customer\.firstName, booking\.ref, flight\.number/,
    );
  });

  it('finds variables hidden in sections, and rejects sections and partials themselves', () => {
    const errors = templateErrors(
      template({ social: '{{#incident.title}}{{customer.firstName}}{{/incident.title}}{{> x}}' }),
    );
    expect(errors.map((error) => error.message)).toEqual([
      "Only plain {{variables}} are supported; found a section tag 'incident.title'.",
      expect.stringMatching(/^Personal variable \{\{customer\.firstName\}\}/),
      "Only plain {{variables}} are supported; found a partial tag 'x'.",
    ]);
  });

  it('rejects a text that does not parse as Mustache', () => {
    expect(onlyError(template({ social: 'Hello {{incident.title' }))).toEqual({
      path: 'content.en.social',
      message: 'Not a valid template: Unclosed tag at 22.',
    });
  });

  it('keeps the unreviewed incident title out of public fields, and allows it in the private SMS', () => {
    for (const field of ['social', 'statusTitle', 'statusBody'] as const) {
      expect(onlyError(template({ [field]: 'Update: {{incident.title}}' }))).toEqual({
        path: `content.en.${field}`,
        message: expect.stringMatching(/^\{\{incident\.title\}\} may only be used in sms: .* is public\./),
      });
    }
    expect(
      templateErrors(template({ sms: '{{incident.title}}: flight {{flight.number}} is cancelled.' })),
    ).toEqual([]);
  });

  it('rejects an X post whose worst-case weighted length exceeds 280, unless threads are allowed', () => {
    // The longest variable the template allows (200) plus 90 characters of text.
    const noteOf200 = { freeTextVariables: ['note'], maxVariableLength: 200 };
    const social = `{{vars.note}} ${'x'.repeat(89)}`;
    const expected = 200 + 90;
    expect(
      twitterText.parseTweet(worstCaseText(template({ social }, noteOf200), 'en', 'social')).weightedLength,
    ).toBe(expected);
    expect(onlyError(template({ social }, noteOf200))).toEqual({
      path: 'content.en.social',
      message: `At worst the X post is ${expected} weighted characters; X allows 280. Shorten it or set allowThread.`,
    });
    expect(templateErrors(template({ social }, { ...noteOf200, allowThread: true }))).toEqual([]);
  });

  it('measures the X post with ten airports and every declared variable at its maximum length', () => {
    const social = 'Closed: {{incident.airports}}. Reopens {{vars.reopen}}.';
    const text = worstCaseText(
      template({ social }, { allowedVariables: ['reopen'], maxVariableLength: 7 }),
      'en',
      'social',
    );
    expect(text).toBe(`Closed: ${Array(WORST_CASE_AIRPORTS).fill('HEL').join(', ')}. Reopens WWWWWWW.`);
    const long = template({ social: `${'y'.repeat(200)} {{vars.reopen}}` }, { allowedVariables: ['reopen'] });
    // 200 + a space + the default maximum of 60 = 261; at most 280 passes, 281 does not.
    expect(templateErrors(long)).toEqual([]);
    expect(templateErrors({ ...long, maxVariableLength: 79 })).toEqual([]);
    expect(onlyError({ ...long, maxVariableLength: 80 })?.message).toMatch(/^At worst the X post is 281 /);
  });

  it('weighs CJK and emoji double on X, as twitter-text does', () => {
    expect(onlyError(template({ social: '航'.repeat(141) }))?.message).toMatch(/is 282 weighted/);
    expect(templateErrors(template({ social: 'a'.repeat(280) }))).toEqual([]);
  });

  it('keeps Finnish å ä ö in GSM-7 but lets an emoji switch the SMS to UCS-2 and break the budget', () => {
    const finnish = `Hei {{customer.firstName}}, ${'äöå'.repeat(90)}`;
    const finnishText = worstCaseText(template({ sms: finnish }), 'en', 'sms');
    const gsm = new SegmentedMessage(finnishText);
    expect([gsm.encodingName, gsm.segmentsCount]).toEqual(['GSM-7', 2]);
    expect(templateErrors(template({ sms: finnish }))).toEqual([]);

    const withEmoji = `${finnish} ✈️`;
    const ucs = new SegmentedMessage(worstCaseText(template({ sms: withEmoji }), 'en', 'sms'));
    expect([ucs.encodingName, ucs.segmentsCount]).toEqual(['UCS-2', 5]);
    expect(onlyError(template({ sms: withEmoji }))).toEqual({
      path: 'content.en.sms',
      message:
        'At worst the SMS takes 5 segments (UCS-2); the budget is 2. A character outside GSM-7 (an emoji, say) makes every segment 67 characters.',
    });
  });

  it('holds the SMS to the template budget, measured with a 20-letter name and a 7-character flight number', () => {
    const sms = `Hi {{customer.firstName}}, {{flight.number}} ${'a'.repeat(130)}`;
    expect(worstCaseText(template({ sms }), 'en', 'sms')).toHaveLength(3 + 20 + 2 + 7 + 1 + 130);
    expect(onlyError(template({ sms }, { smsSegmentBudget: 1 }))?.message).toBe(
      'At worst the SMS takes 2 segments (GSM-7); the budget is 1.',
    );
    expect(templateErrors(template({ sms }))).toEqual([]);
  });

  it('refuses a variable declared both pre-approved and free text', () => {
    expect(onlyError(template({}, { allowedVariables: ['note'], freeTextVariables: ['note'] }))).toEqual({
      path: 'freeTextVariables',
      message: "'note' cannot be both an allowed and a free-text variable.",
    });
  });
});

describe('broadcast variables', () => {
  const approved = {
    id: 't',
    version: 1,
    allowedVariables: ['reopenEstimate'],
    freeTextVariables: ['note'],
    maxVariableLength: 5,
  } as TemplateVersion;

  it('counts every name outside the allow-list as free text', () => {
    expect(freeTextVariables(approved, { reopenEstimate: '18:00' })).toEqual([]);
    expect(freeTextVariables(approved, { reopenEstimate: '18:00', note: 'Gate 5', other: 'x' })).toEqual([
      'note',
      'other',
    ]);
  });

  it('refuses a value longer than the template was approved for', () => {
    expect(variableValueErrors(approved, { variables: { reopenEstimate: '18:00' } })).toEqual([]);
    expect(variableValueErrors(approved, { variables: { reopenEstimate: '18:00 CET' } })).toEqual([
      { path: 'variables.reopenEstimate', message: "9 characters; template 't' was approved for at most 5." },
    ]);
  });
});
