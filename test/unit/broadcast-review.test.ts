import { describe, expect, it } from 'vitest';
import { broadcastRequest, broadcastReview } from '#shared/domain/broadcast-review.ts';
import { EXERCISE_MARKER } from '#shared/domain/exercise.ts';
import { textParts } from '#shared/domain/marked-text.ts';
import type { Broadcast, TemplateVersion } from '#shared/domain/model.ts';
import { renderBroadcastField } from '#shared/domain/render.ts';
import { anIncident, aTemplate } from '#test/support/builders.ts';

/** The demo's shape: a pre-approved gate, and a free-text note shown on the public channels. */
function noteTemplate(): TemplateVersion {
  const template = aTemplate({ allowedVariables: ['gate'], freeTextVariables: ['note'] });
  for (const content of Object.values(template.content)) {
    content.social = 'Gate {{vars.gate}}. {{vars.note}}';
    content.statusBody = '{{vars.note}} (gate {{vars.gate}})';
  }
  return template;
}

function aHeldBroadcast(overrides: Partial<Broadcast> = {}): Broadcast {
  return {
    id: 'b1',
    incidentId: 'incident-1',
    templateId: 'template-1',
    templateVersion: 1,
    variables: { gate: 'B12', note: 'Buses leave from door 3' },
    channels: ['sms', 'x', 'status'],
    kind: 'initial',
    status: 'pending_approval',
    createdAt: '2026-12-01T06:00:00.000Z',
    createdBy: 'olli.operator',
    counts: {},
    audienceEstimate: {
      recipients: { sms: 37, x: 3, status: 1 },
      smsByLanguage: { fi: 12, sv: 10, en: 15 },
      countedAt: '2026-12-01T06:00:00.000Z',
      complete: true,
    },
    ...overrides,
  };
}

const joined = (parts: { text: string }[]) => parts.map((part) => part.text).join('');

describe('the approval view of a held broadcast', () => {
  it('marks the free text where it lands and leaves pre-approved values and the wording plain', () => {
    const review = broadcastReview(aHeldBroadcast(), anIncident(), noteTemplate());

    expect(review.freeTextVariables).toEqual(['note']);
    expect(review.messages.x?.fi).toEqual([
      { text: 'Gate B12. ' },
      { text: 'Buses leave from door 3', freeText: 'note' },
    ]);
    expect(review.messages.status?.en?.body).toEqual([
      { text: 'Buses leave from door 3', freeText: 'note' },
      { text: ' (gate B12)' },
    ]);
  });

  it('shows in parts exactly the text the workers render, in every language of every channel', () => {
    const broadcast = aHeldBroadcast();
    const source = { template: noteTemplate(), incident: anIncident(), broadcast };
    const review = broadcastReview(broadcast, source.incident, source.template);

    for (const language of ['fi', 'sv', 'en'] as const) {
      expect(joined(review.messages.x?.[language] ?? [])).toBe(
        renderBroadcastField(source, language, 'social').text,
      );
      expect(joined(review.messages.status?.[language]?.title ?? [])).toBe(
        renderBroadcastField(source, language, 'statusTitle').text,
      );
    }
  });

  it("puts a placeholder where each passenger's own details go in the SMS, never a real passenger's", () => {
    const review = broadcastReview(aHeldBroadcast(), anIncident(), noteTemplate());

    expect(review.messages.sms?.fi).toEqual([
      { text: 'FI ' },
      { text: '‹first name›', personal: 'customer.firstName' },
      { text: ': ' },
      { text: '‹flight›', personal: 'flight.number' },
      { text: ' ' },
      { text: '‹booking ref›', personal: 'booking.ref' },
    ]);
  });

  it("starts an exercise's SMS with the marker the worker sends, and says it is an exercise", () => {
    const exercise = anIncident({ exercise: true });
    const review = broadcastReview(aHeldBroadcast(), exercise, noteTemplate());

    expect(review.exercise).toBe(true);
    expect(joined(review.messages.sms?.en ?? [])).toBe(
      `${EXERCISE_MARKER}\nEN ‹first name›: ‹flight› ‹booking ref›`,
    );
    expect(broadcastReview(aHeldBroadcast(), anIncident(), noteTemplate()).exercise).toBe(false);
  });

  it('marks a translated free text in its own language and the English one where a language was left empty', () => {
    const review = broadcastReview(
      aHeldBroadcast({
        variablesByLanguage: { fi: { note: 'Bussit lähtevät ovelta 3' }, sv: { note: ' ' } },
      }),
      anIncident(),
      noteTemplate(),
    );

    expect(review.messages.x?.fi?.[1]).toEqual({ text: 'Bussit lähtevät ovelta 3', freeText: 'note' });
    expect(review.messages.x?.sv?.[1]).toEqual({ text: 'Buses leave from door 3', freeText: 'note' });
  });

  it('renders only the channels the broadcast sends', () => {
    const review = broadcastReview(aHeldBroadcast({ channels: ['status'] }), anIncident(), noteTemplate());

    expect(Object.keys(review.messages)).toEqual(['status']);
  });

  it('carries the counts taken when it was requested, the requester and the request time, and the approval once given', () => {
    const held = broadcastReview(aHeldBroadcast(), anIncident(), noteTemplate());
    const approved = broadcastReview(
      aHeldBroadcast({ status: 'queued', approvedBy: 'pekka.lead', approvedAt: '2026-12-01T06:05:00.000Z' }),
      anIncident(),
      noteTemplate(),
    );

    expect(held).toMatchObject({
      requestedBy: 'olli.operator',
      requestedAt: '2026-12-01T06:00:00.000Z',
      incidentTitle: 'Strike at Helsinki Airport',
      audience: { recipients: { sms: 37, x: 3, status: 1 }, smsByLanguage: { fi: 12, sv: 10, en: 15 } },
    });
    expect(held.approvedBy).toBeUndefined();
    expect(approved).toMatchObject({ approvedBy: 'pekka.lead', approvedAt: '2026-12-01T06:05:00.000Z' });
  });
});

describe('textParts', () => {
  it('trims the text at its ends as the renderer does, even inside a marked value', () => {
    const marked = '\u0001free:note\u0002  door 3 \u0003 today. ';

    expect(textParts(marked)).toEqual([{ text: 'door 3 ', freeText: 'note' }, { text: ' today.' }]);
  });

  it('leaves text without markers whole', () => {
    expect(textParts('Flights are disrupted.')).toEqual([{ text: 'Flights are disrupted.' }]);
  });
});

describe("a held broadcast as the comms leads' views name it", () => {
  it('says what, for which incident, who asked and when, whom it reaches: how the review opens', () => {
    const broadcast = aHeldBroadcast();
    const incident = anIncident({ id: 'incident-1' });

    const request = broadcastRequest(broadcast, incident);

    expect(request).toEqual({
      id: 'b1',
      incidentId: 'incident-1',
      incidentTitle: incident.title,
      exercise: false,
      kind: 'initial',
      templateId: 'template-1',
      templateVersion: 1,
      channels: ['sms', 'x', 'status'],
      requestedBy: 'olli.operator',
      requestedAt: '2026-12-01T06:00:00.000Z',
      audience: broadcast.audienceEstimate,
    });
    expect(broadcastReview(broadcast, incident, noteTemplate())).toMatchObject(request);
  });

  it('names an incident it cannot read by its id', () => {
    expect(broadcastRequest(aHeldBroadcast(), undefined)).toMatchObject({
      incidentTitle: 'incident-1',
      exercise: false,
    });
  });
});
