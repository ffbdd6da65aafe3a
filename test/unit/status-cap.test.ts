import { describe, expect, it } from 'vitest';
import { capAlerts, capAlertXml } from '#shared/status-site/cap.ts';
import { statusDocument, updateId } from '#shared/status-site/status-document.ts';
import { IDS, statusFixture } from '#test/support/status-fixtures.ts';

const SITE = { siteUrl: 'https://status.airline.example' };

function alerts() {
  return capAlerts(statusDocument(statusFixture()), SITE);
}

function alertXml(id: string): string {
  const alert = alerts().find((candidate) => candidate.id === id);
  if (!alert) throw new Error(`no alert ${id}`);
  return capAlertXml(alert, SITE);
}

/** The alerts' structure; test/integration/status-cap-schema.test.ts validates them against the schema. */
describe('CAP 1.2 alerts', () => {
  it('sends an Alert first, Updates referencing every earlier alert, and a Cancel on resolution', () => {
    const byId = new Map(alerts().map((alert) => [alert.id, alert]));

    expect(byId.get(IDS.ashInitial)).toMatchObject({ msgType: 'Alert', references: [] });
    expect(byId.get(IDS.ashUpdate)).toMatchObject({
      msgType: 'Update',
      references: [`status.airline.example,${IDS.ashInitial},2026-11-20T05:10:00+00:00`],
    });
    expect(byId.get(IDS.ashResolution)).toMatchObject({
      msgType: 'Cancel',
      references: [
        `status.airline.example,${IDS.ashInitial},2026-11-20T05:10:00+00:00`,
        `status.airline.example,${IDS.ashUpdate},2026-11-20T15:00:00+00:00`,
      ],
    });
    expect(byId.get(updateId({ incidentId: IDS.byHand }))?.msgType).toBe('Cancel');
  });

  it('has one info block per language and the sent time with a numeric offset', () => {
    const xml = alertXml(IDS.strikeUpdate);

    expect([...xml.matchAll(/<language>(\w+)<\/language>/g)].map((match) => match[1])).toEqual([
      'fi',
      'sv',
      'en',
    ]);
    expect(xml).toContain('<sent>2026-11-23T07:30:00+00:00</sent>');
    expect(xml).toContain('<msgType>Update</msgType>');
    expect(xml).toContain('<headline>Lakko jatkuu</headline>');
    expect(xml).toContain('<incidents>11111111-1111-4111-8111-111111111111</incidents>');
  });

  it('puts the incident polygon as lat,lon pairs and each airport as a circle with its IATA geocode', () => {
    const xml = alertXml(IDS.ashInitial);

    expect(xml).toContain('<polygon>63,-24 63,-13 67,-13 67,-24 63,-24</polygon>');
    expect(xml).toMatch(/<circle>63\.98\d*,-22\.6\d* 10<\/circle>/);
    expect(xml).toContain('<geocode><valueName>IATA</valueName><value>KEF</value></geocode>');
  });

  it('escapes text from templates so the XML stays well formed', () => {
    const xml = alertXml(IDS.strikeInitial);

    expect(xml).toContain('<headline>Strike: flights disrupted &lt;OSL &amp; CPH&gt;</headline>');
  });
});
