import { describe, expect, it } from 'vitest';
import { demoTemplates } from '#infra/local/seed/demo-templates.ts';
import { ValidationError } from '#shared/domain/errors.ts';
import { LANGUAGES, type TemplateVersion } from '#shared/domain/model.ts';
import { publicTextErrors } from '#shared/domain/public-text.ts';
import { renderBroadcastField } from '#shared/domain/render.ts';
import { templateErrors, variableValueErrors } from '#shared/domain/template-rules.ts';
import { hasOwnWording, kindWording, missingWordingErrors } from '#shared/domain/wording.ts';
import { approveBroadcast } from '#shared/use-cases/approve-broadcast.ts';
import { createIncident } from '#shared/use-cases/create-incident.ts';
import { previewBroadcast } from '#shared/use-cases/preview-broadcast.ts';
import { createTemplate, updateTemplate } from '#shared/use-cases/templates/save-template.ts';
import { aCustomer, anIncident, aSegment, aTemplate } from '#test/support/builders.ts';
import { type FakeStores, fakeStores } from '#test/support/fake-stores.ts';
import { FakeAuditStore, FakeIncidentStore, FakeTemplateStore } from '#test/support/fakes.ts';

const strike = demoTemplates('2026-11-23T00:00:00Z').find(
  (template) => template.id === 'strike-disruption',
) as TemplateVersion;
/** A version written before kinds had wordings of their own: one text set. */
const legacy: TemplateVersion = {
  ...strike,
  updateContent: undefined,
  resolutionContent: undefined,
};
const incident = anIncident({ scope: { airports: ['OSL'] } });
const personal = {
  customer: { firstName: 'Aino' },
  booking: { ref: 'ABC123' },
  flight: { number: 'AY911', date: '2026-12-01', origin: 'HEL', departureTime: '08:05' },
};
const operatorText = { variables: {} };

describe('the wording a kind sends', () => {
  it('is the kind’s own: a resolution says services are back to normal, never the disruption text', () => {
    const sms = (kind: 'initial' | 'update' | 'resolution') =>
      renderBroadcastField(
        { template: strike, incident, broadcast: { kind, ...operatorText } },
        'en',
        'sms',
        personal,
      ).text;

    expect(sms('initial')).toContain('may be disrupted by a strike');
    expect(sms('update')).toContain('the strike continues');
    expect(sms('resolution')).toContain('services are back to normal');
    expect(sms('resolution')).not.toContain('disrupted');
  });

  it('treats a version with one text set as the disruption wording: the first message and updates, no resolution', () => {
    expect(kindWording(legacy, 'initial')).toBe(legacy.content);
    expect(kindWording(legacy, 'update')).toBe(legacy.content);
    expect(hasOwnWording(legacy, 'update')).toBe(false);
    expect(kindWording(legacy, 'resolution')).toBeUndefined();
    expect(missingWordingErrors(legacy, 'update')).toEqual([]);
    expect(missingWordingErrors(legacy, 'resolution')).toEqual([
      { path: 'kind', message: expect.stringContaining('has no resolution wording') },
    ]);
    expect(() =>
      renderBroadcastField(
        { template: legacy, incident, broadcast: { kind: 'resolution', ...operatorText } },
        'en',
        'social',
      ),
    ).toThrow('no resolution wording');
  });

  it('gives every demo template all three kinds in fi, sv and en', () => {
    for (const template of demoTemplates('2026-11-23T00:00:00Z'))
      for (const kind of ['initial', 'update', 'resolution'] as const) {
        expect(hasOwnWording(template, kind)).toBe(true);
        expect(Object.keys(kindWording(template, kind) ?? {}).sort()).toEqual([...LANGUAGES].sort());
      }
  });

  it('runs every rule on every wording, so one approval covers all the texts of a version', () => {
    const en = strike.resolutionContent?.en;
    if (!en) throw new Error('no English resolution');
    const broken = {
      ...strike,
      resolutionContent: {
        ...strike.resolutionContent,
        en: { ...en, social: 'Over: {{customer.firstName}}' },
      },
    };

    expect(templateErrors(broken)).toEqual([
      { path: 'resolutionContent.en.social', message: expect.stringContaining('Personal variable') },
    ]);
  });
});

describe('operator text per language', () => {
  const template = aTemplate({
    freeTextVariables: ['note'],
    content: Object.fromEntries(
      LANGUAGES.map((language) => [
        language,
        {
          sms: `${language} {{incident.title}}`,
          social: `${language}: {{vars.note}}`,
          statusTitle: 'Strike',
          statusBody: '{{vars.note}}',
        },
      ]),
    ),
  });
  const titled = anIncident({ title: 'Strike', titleByLanguage: { fi: 'Lakko', sv: '' } });
  const text = { variables: { note: 'Buses run' }, variablesByLanguage: { fi: { note: 'Bussit kulkevat' } } };
  const render = (language: 'fi' | 'sv' | 'en', field: 'sms' | 'social') =>
    renderBroadcastField(
      { template, incident: titled, broadcast: { kind: 'initial', ...text } },
      language,
      field,
    ).text;

  it('shows each language its own text, and English where a language was left empty', () => {
    expect(render('fi', 'social')).toBe('fi: Bussit kulkevat');
    expect(render('sv', 'social')).toBe('sv: Buses run');
    expect(render('en', 'social')).toBe('en: Buses run');
    expect(render('fi', 'sms')).toBe('fi Lakko');
    expect(render('sv', 'sms')).toBe('sv Strike');
  });

  it('checks a translated value as the English one: length, personal data, and an English value beside it', () => {
    const short = { ...template, maxVariableLength: 10 };

    expect(
      variableValueErrors(short, {
        variables: { note: 'ok' },
        variablesByLanguage: { sv: { note: 'x'.repeat(11) } },
      }),
    ).toEqual([{ path: 'variablesByLanguage.sv.note', message: expect.stringContaining('11 characters') }]);
    expect(
      variableValueErrors(template, { variables: {}, variablesByLanguage: { fi: { note: 'Bussit' } } }),
    ).toEqual([
      { path: 'variablesByLanguage.fi.note', message: expect.stringContaining('no English value') },
    ]);
    expect(
      publicTextErrors(template, {
        kind: 'initial',
        channels: ['x'],
        variables: { note: 'Buses run' },
        variablesByLanguage: { fi: { note: 'Soita +358401234567' } },
      }),
    ).toEqual([{ path: 'variablesByLanguage.fi.note', message: expect.stringContaining('phone number') }]);
  });
});

describe('saving a template with wordings per kind', () => {
  const deps = () => ({ templates: new FakeTemplateStore(), audit: new FakeAuditStore() });
  const body = {
    id: 'strike-disruption',
    name: strike.name,
    content: strike.content,
    updateContent: strike.updateContent,
    resolutionContent: strike.resolutionContent,
    freeTextVariables: ['note'],
  };

  it('carries the update’s and resolution’s wording over when an edit leaves them out, and removes one given as null', async () => {
    const stores = deps();
    await createTemplate(body, 'tiina.writer', stores);

    const edited = await updateTemplate(strike.id, { content: strike.content }, 'tiina.writer', stores);
    expect(edited.resolutionContent).toEqual(strike.resolutionContent);
    expect(edited.updateContent).toEqual(strike.updateContent);

    const withoutResolution = await updateTemplate(
      strike.id,
      { content: strike.content, resolutionContent: null },
      'tiina.writer',
      stores,
    );
    expect(withoutResolution).not.toHaveProperty('resolutionContent');
    expect(withoutResolution.updateContent).toEqual(strike.updateContent);
  });

  it('refuses a wording missing a language, naming its field', async () => {
    const { fi: _fi, ...noFinnish } = strike.resolutionContent ?? {};

    await expect(
      createTemplate({ ...body, resolutionContent: noFinnish }, 'tiina.writer', deps()),
    ).rejects.toMatchObject({
      errors: expect.arrayContaining([{ path: 'resolutionContent.fi.sms', message: expect.any(String) }]),
    });
  });
});

describe('the preview', () => {
  async function setUp(template: TemplateVersion) {
    return fakeStores({
      template: { ...template, id: 'template-1', version: 1 },
      segments: [aSegment('c1')],
      customers: [aCustomer('c1')],
    });
  }
  const request = { templateId: 'template-1', variables: {}, channels: ['x' as const, 'facebook' as const] };

  /** The incident's first broadcast, its X post in every language sent. */
  async function postedBefore({ broadcasts, deliveries }: FakeStores) {
    broadcasts.add({ id: 'b-initial', channels: ['x'], kind: 'initial', status: 'completed' });
    await deliveries.createMany(
      LANGUAGES.map((language) => ({
        broadcastId: 'b-initial',
        channel: 'x' as const,
        recipientId: language,
        status: 'sent' as const,
        attempts: 1,
        updatedAt: '2026-12-01T06:00:00Z',
      })),
    );
  }

  it('warns that an initial sent again equals the previous X post, and offers the update’s own wording', async () => {
    const deps = await setUp(strike);
    await postedBefore(deps);

    const again = await previewBroadcast('incident-1', { ...request, kind: 'initial' }, deps);

    expect(again.duplicatePosts.map(({ channel, language }) => `${channel}:${language}`)).toEqual([
      'x:fi',
      'x:sv',
      'x:en',
    ]);
    expect(again.duplicatePosts[2]?.suggestion).toEqual({
      kind: 'update',
      text: expect.stringContaining('Update: the strike'),
    });
    expect(again.warnings).toContainEqual(expect.stringContaining('X refuses a duplicate (error 187)'));

    const update = await previewBroadcast('incident-1', { ...request, kind: 'update' }, deps);
    expect(update.duplicatePosts).toEqual([]);
  });

  it('warns of an update that repeats a version with one text set, with nothing of its own to offer', async () => {
    const deps = await setUp(legacy);
    await postedBefore(deps);

    const update = await previewBroadcast('incident-1', { ...request, kind: 'update' }, deps);

    expect(update.duplicatePosts).toHaveLength(3);
    expect(update.duplicatePosts[0]).not.toHaveProperty('suggestion');
    expect(update.warnings).toContainEqual(expect.stringContaining('has no update wording of its own'));
  });

  it('ignores a post a cancelled broadcast never made', async () => {
    const deps = await setUp(strike);
    await postedBefore(deps);
    deps.broadcasts.add({ id: 'b-initial', channels: ['x'], kind: 'initial', status: 'cancelled' });
    for (const record of deps.deliveries.records.values()) record.status = 'queued';

    const again = await previewBroadcast('incident-1', { ...request, kind: 'initial' }, deps);

    expect(again.duplicatePosts).toEqual([]);
  });

  it('refuses a resolution of a version without resolution wording, as the broadcast would be', async () => {
    const deps = await setUp(legacy);

    const preview = previewBroadcast('incident-1', { ...request, kind: 'resolution' }, deps);

    await expect(preview).rejects.toBeInstanceOf(ValidationError);
    await expect(preview).rejects.toMatchObject({ errors: [{ path: 'kind' }] });
  });

  it('warns of free text a language shows in English because it was left empty', async () => {
    const deps = await setUp(strike);

    const preview = await previewBroadcast(
      'incident-1',
      {
        ...request,
        channels: ['status'],
        kind: 'update',
        variables: { note: 'Buses replace trains.' },
        variablesByLanguage: { fi: { note: 'Bussit korvaavat junat.' } },
      },
      deps,
    );

    expect(preview.warnings).toContain(
      'vars.note has no Swedish text: the Swedish messages show the English.',
    );
    expect(preview.messages.status?.fi?.body).toContain('Bussit korvaavat junat.');
    expect(preview.messages.status?.sv?.body).toContain('Buses replace trains.');
  });
});

describe('approving a resolution held since before kinds had wordings', () => {
  it('refuses it when its version has no resolution wording, and keeps it held', async () => {
    const { broadcasts, templates, fanout, audit } = await fakeStores({
      template: { ...legacy, id: 'template-1', version: 1 },
    });
    broadcasts.add({ id: 'b1', kind: 'resolution', status: 'pending_approval', variables: { note: 'Over' } });

    const approval = approveBroadcast('b1', 'pekka.lead', { broadcasts, templates, fanout, audit });

    await expect(approval).rejects.toMatchObject({ errors: [{ path: 'kind' }] });
    expect((await broadcasts.get('b1'))?.status).toBe('pending_approval');
    expect(fanout.published).toEqual([]);
  });
});

describe('an incident’s title per language', () => {
  const input = {
    type: 'strike' as const,
    title: 'Strike at Helsinki',
    severity: 'severe' as const,
    window: { start: '2026-11-23T04:00:00+00:00', end: '2026-11-23T16:00:00+00:00' },
    scope: { airports: ['HEL'] },
  };
  const deps = () => ({ incidents: new FakeIncidentStore(), audit: new FakeAuditStore() });

  it('is stored beside the English one and checked like it', async () => {
    const stored = await createIncident(
      { ...input, titleByLanguage: { sv: 'Strejk i Helsingfors' } },
      'olli',
      deps(),
    );
    expect(stored.titleByLanguage).toEqual({ sv: 'Strejk i Helsingfors' });

    await expect(
      createIncident({ ...input, titleByLanguage: { fi: 'Lakko\u0008 Helsingissä' } }, 'olli', deps()),
    ).rejects.toMatchObject({
      errors: [{ path: 'titleByLanguage.fi', message: expect.stringContaining('U+0008') }],
    });
  });
});
