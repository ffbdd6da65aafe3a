import { existsSync, globSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The README stays a short entry point (issue 18): what Herald is, the two commands, a tour and
 * the list of docs/*.md. Everything longer lives in docs/, so a link that points nowhere, or a
 * doc the README does not list, is found here rather than by a reader.
 */
const README = 'README.md';
const README_MAX_LINES = 200;
const markdownFiles = [README, ...globSync('docs/*.md')].sort();
/** Files the docs name that a run writes (benchmark results, the console build, screenshots), not the repo. */
const GENERATED = /^(bench\/results|console\/dist|test\/e2e\/screenshots)\//;

/** Relative links to Markdown files: `[text](docs/api.md#limits)` → path and anchor. */
function markdownLinks(file: string): { target: string; anchor?: string }[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/\]\(([^)\s#]*\.md)(?:#([^)\s]+))?\)|\]\(#([^)\s]+)\)/g)].map(
    ([, path, anchor, ownAnchor]) =>
      path === undefined
        ? { target: file, anchor: ownAnchor }
        : { target: normalize(join(dirname(file), path)), anchor },
  );
}

/** The anchors GitHub gives a file's headings: lower case, punctuation dropped, spaces as hyphens. */
function headingAnchors(file: string): Set<string> {
  const headings = readFileSync(file, 'utf8')
    .replace(/^```[\s\S]*?^```/gm, '')
    .split('\n')
    .filter((line) => /^#{1,6} /.test(line));
  return new Set(
    headings.map((heading) =>
      heading
        .replace(/^#+ /, '')
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replace(/ /g, '-'),
    ),
  );
}

describe('documentation', () => {
  it(`keeps README.md within ${README_MAX_LINES} lines`, () => {
    const lines = readFileSync(README, 'utf8').trimEnd().split('\n').length;
    expect(lines).toBeLessThanOrEqual(README_MAX_LINES);
  });

  it('starts README.md with the two commands: npm install && npm start, then npm test', () => {
    const [title, fence, start, test] = readFileSync(README, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
    expect([title, fence]).toEqual(['# Herald', '```sh']);
    expect(start).toMatch(/^npm install && npm start\s+#/);
    expect(test).toMatch(/^npm test\s+#/);
  });

  it('links only Markdown files and headings that exist', () => {
    const broken = markdownFiles.flatMap((file) =>
      markdownLinks(file)
        .filter(({ target, anchor }) => {
          if (!globSync(target).length) return true;
          return anchor !== undefined && !headingAnchors(target).has(anchor);
        })
        .map(({ target, anchor }) => `${file} → ${target}${anchor ? `#${anchor}` : ''}`),
    );
    expect(broken).toEqual([]);
  });

  it('names only code and test files that exist (`shared/…`, `test/e2e/….test.ts`)', () => {
    const missing = markdownFiles.flatMap((file) =>
      [
        ...readFileSync(file, 'utf8').matchAll(
          /`((?:shared|functions|infra|test|cli|console|bench|bin)\/[\w./-]+)`/g,
        ),
      ]
        .flatMap(([, path]) => (path === undefined ? [] : [path]))
        .filter((path) => !GENERATED.test(path) && !existsSync(path))
        .map((path) => `${file} → ${path}`),
    );
    expect(missing).toEqual([]);
  });

  it('lists every docs/*.md file in the README', () => {
    const linked = new Set(markdownLinks(README).map(({ target }) => target));
    const unlisted = globSync('docs/*.md').filter((file) => !linked.has(file));
    expect(unlisted).toEqual([]);
  });
});
