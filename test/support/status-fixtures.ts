/** Incidents and timelines for the status-site unit tests: open and resolved, airports and an area. */
import type { Incident } from '#shared/domain/model.ts';
import type { TimelineEntry } from '#shared/ports/stores.ts';

export const IDS = {
  strike: '11111111-1111-4111-8111-111111111111',
  ash: '22222222-2222-4222-8222-222222222222',
  unpublished: '33333333-3333-4333-8333-333333333333',
  byHand: '44444444-4444-4444-8444-444444444444',
  strikeInitial: 'aaaaaaaa-0000-4000-8000-000000000001',
  strikeUpdate: 'aaaaaaaa-0000-4000-8000-000000000002',
  ashInitial: 'bbbbbbbb-0000-4000-8000-000000000001',
  ashUpdate: 'bbbbbbbb-0000-4000-8000-000000000002',
  ashResolution: 'bbbbbbbb-0000-4000-8000-000000000003',
  byHandInitial: 'cccccccc-0000-4000-8000-000000000001',
};

function incident(overrides: Partial<Incident> & Pick<Incident, 'id'>): Incident {
  return {
    type: 'strike',
    title: 'Strike',
    severity: 'severe',
    window: { start: '2026-11-23T00:00:00+00:00', end: '2026-11-23T23:59:59+00:00' },
    scope: { airports: ['OSL'] },
    status: 'open',
    createdAt: '2026-11-22T18:00:00.000Z',
    createdBy: 'olli.operator@airline.example',
    ...overrides,
  };
}

function texts(en: string, fi: string, sv: string, body = 'Details follow.') {
  return {
    en: { title: en, body },
    fi: { title: fi, body: `${body} (fi)` },
    sv: { title: sv, body: `${body} (sv)` },
  };
}

/** Four incidents: a strike still open, an ash cloud resolved by broadcast, one never published, one resolved by hand. */
export function statusFixture(): { incident: Incident; timeline: TimelineEntry[] }[] {
  const strike = incident({
    id: IDS.strike,
    title: 'Ground handling strike at Oslo & Copenhagen',
    scope: { airports: ['OSL', 'CPH', 'HEL'] },
  });
  const ash = incident({
    id: IDS.ash,
    type: 'ash-cloud',
    title: 'Ash cloud over Iceland',
    severity: 'extreme',
    window: { start: '2026-11-20T06:00:00+00:00', end: '2026-11-21T18:00:00+00:00' },
    scope: {
      airports: ['KEF'],
      area: {
        type: 'Polygon',
        coordinates: [
          [
            [-24, 63],
            [-13, 63],
            [-13, 67],
            [-24, 67],
            [-24, 63],
          ],
        ],
      },
    },
    status: 'resolved',
    createdAt: '2026-11-20T05:00:00.000Z',
    resolvedAt: '2026-11-21T12:00:00.000Z',
  });
  const unpublished = incident({ id: IDS.unpublished, title: 'Draft incident nobody announced' });
  const byHand = incident({
    id: IDS.byHand,
    type: 'weather',
    severity: 'minor',
    title: 'Snow at Tallinn',
    window: { start: '2026-11-19T04:00:00+00:00', end: '2026-11-19T16:00:00+00:00' },
    scope: { airports: ['TLL'] },
    status: 'resolved',
    createdAt: '2026-11-19T05:00:00.000Z',
    resolvedAt: '2026-11-19T10:00:00.000Z',
  });
  return [
    {
      incident: strike,
      timeline: [
        {
          incidentId: strike.id,
          broadcastId: IDS.strikeInitial,
          kind: 'initial',
          publishedAt: '2026-11-22T18:05:00.123Z',
          texts: texts(
            'Strike: flights disrupted <OSL & CPH>',
            'Lakko: lentoja häiriintyy',
            'Strejk: flyg påverkas',
          ),
        },
        {
          incidentId: strike.id,
          broadcastId: IDS.strikeUpdate,
          kind: 'update',
          publishedAt: '2026-11-23T07:30:00.000Z',
          texts: texts('Strike continues', 'Lakko jatkuu', 'Strejken fortsätter', 'Expect delays all day.'),
        },
      ],
    },
    {
      incident: ash,
      timeline: [
        {
          incidentId: ash.id,
          broadcastId: IDS.ashInitial,
          kind: 'initial',
          publishedAt: '2026-11-20T05:10:00.000Z',
          texts: texts(
            'Ash cloud closes Icelandic airspace',
            'Tuhkapilvi sulkee Islannin ilmatilan',
            'Askmoln stänger Islands luftrum',
          ),
        },
        {
          incidentId: ash.id,
          broadcastId: IDS.ashUpdate,
          kind: 'update',
          publishedAt: '2026-11-20T15:00:00.000Z',
          texts: texts(
            'Ash cloud: no flights tonight',
            'Tuhkapilvi: ei lentoja tänä yönä',
            'Askmoln: inga flyg i natt',
          ),
        },
        {
          incidentId: ash.id,
          broadcastId: IDS.ashResolution,
          kind: 'resolution',
          publishedAt: '2026-11-21T12:00:00.000Z',
          texts: texts('Airspace reopened', 'Ilmatila avattu', 'Luftrummet öppnat'),
        },
      ],
    },
    { incident: unpublished, timeline: [] },
    {
      incident: byHand,
      timeline: [
        {
          incidentId: byHand.id,
          broadcastId: IDS.byHandInitial,
          kind: 'initial',
          publishedAt: '2026-11-19T05:10:00.000Z',
          texts: texts(
            'Snow delays flights at Tallinn',
            'Lumi viivästyttää lentoja Tallinnassa',
            'Snö försenar flyg i Tallinn',
          ),
        },
        {
          incidentId: byHand.id,
          kind: 'resolution',
          publishedAt: '2026-11-19T10:00:00.000Z',
          texts: texts('Resolved', 'Päättynyt', 'Avslutad'),
        },
      ],
    },
  ];
}
