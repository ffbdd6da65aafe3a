import { describe, expect, it } from 'vitest';
import { siteFiles } from '#shared/status-site/site-files.ts';
import { NOT_FOUND_KEY, statusRedirect } from '#shared/status-site/site-paths.ts';
import { statusDocument } from '#shared/status-site/status-document.ts';
import { statusFixture } from '#test/support/status-fixtures.ts';

describe("the status site's wrong addresses", () => {
  it('redirects the other spellings of its pages, and nothing else', () => {
    expect(statusRedirect('/status/')).toBe('/status');
    expect(statusRedirect('/status/en')).toBe('/status');
    expect(statusRedirect('/status/en/')).toBe('/status');
    expect(statusRedirect('/status/fi/')).toBe('/status/fi');
    expect(statusRedirect('/status/sv/')).toBe('/status/sv');
    for (const path of ['/status', '/status/fi', '/status/de', '/status.json', '/toString', '/__proto__'])
      expect(statusRedirect(path)).toBeUndefined();
  });

  it('has a "not found" page of its own, in every language, linking to each language\'s page', () => {
    const files = siteFiles(statusDocument(statusFixture()), { siteUrl: 'https://status.airline.example' });
    const page = files.find((file) => file.key === NOT_FOUND_KEY);
    expect(page?.contentType).toBe('text/html; charset=utf-8');
    expect(page?.body).toContain('<section lang="en"');
    expect(page?.body).toMatch(/<h2 id="not-found-fi">Sivua ei löytynyt<\/h2>\s*<p><a href="\/status\/fi">/);
    expect(page?.body).toMatch(
      /<h2 id="not-found-sv">Sidan hittades inte<\/h2>\s*<p><a href="\/status\/sv">/,
    );
    expect(page?.body).toMatch(/<h2 id="not-found-en">Page not found<\/h2>\s*<p><a href="\/status">/);
  });
});
