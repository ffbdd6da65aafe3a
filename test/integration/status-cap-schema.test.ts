/**
 * The status site's CAP 1.2 alerts against the OASIS schema (vendored in test/standards/),
 * validated in this process by libxml2 (WebAssembly).
 */
import { describe, expect, it } from 'vitest';
import { capAlerts, capAlertXml } from '#shared/status-site/cap.ts';
import { statusDocument } from '#shared/status-site/status-document.ts';
import { validateCap } from '#test/support/cap-schema.ts';
import { IDS, statusFixture } from '#test/support/status-fixtures.ts';

const SITE = { siteUrl: 'https://status.airline.example' };

function alerts() {
  return capAlerts(statusDocument(statusFixture()), SITE);
}

describe('CAP 1.2 alerts against the OASIS schema', () => {
  it('validates every alert against the OASIS CAP 1.2 schema', () => {
    const all = alerts();

    expect(all).toHaveLength(7);
    for (const alert of all) {
      expect(validateCap(capAlertXml(alert, SITE)), alert.id).toEqual({ valid: true, errors: '' });
    }
  });

  it("fails schema validation for a sent time in Z form, on the sent element's pattern facet", () => {
    const alert = alerts().find((candidate) => candidate.id === IDS.strikeInitial);
    if (!alert) throw new Error(`no alert ${IDS.strikeInitial}`);
    const valid = capAlertXml(alert, SITE);
    const xml = valid.replace(/<sent>([^<]+)\+00:00<\/sent>/, '<sent>$1Z</sent>');

    expect(xml).not.toBe(valid);
    const result = validateCap(xml);
    expect(result.valid).toBe(false);
    // The reason, not just any failure: a validator that could not run would fail differently.
    expect(result.errors).toMatch(/'\{urn:oasis:names:tc:emergency:cap:1\.2\}sent': \[facet 'pattern'\]/);
  });
});
