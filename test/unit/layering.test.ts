/**
 * The dependency direction, read from the code's imports by TypeScript's own pre-parser (static
 * and dynamic `import`, `export … from`, `require`): shared/ never imports the deployment
 * (functions/, infra/, cli/, the console, the benchmarks), neither the top-level folders nor
 * shared/'s own folders form a cycle, each inner layer of shared/ imports only what lies below
 * it, and the clients (the console, the CLI) take of shared/ only the API's contract and what
 * needs no server. `npx vitest run test/unit/layering.test.ts` names every import that breaks a rule.
 */
import { globSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const SOURCE_FILES = '{functions,shared,infra,cli,console/src,bench,bin}/**/*.{ts,tsx,js}';

interface Import {
  /** The importing file, relative to the repo root. */
  file: string;
  /** The imported file, relative to the repo root. */
  target: string;
}

/** The repo files `file` imports: `#…` subpath imports and relative paths; packages are not followed. */
function importsOf(file: string, text: string): Import[] {
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map(({ fileName }) => {
      if (fileName.startsWith('#')) return fileName.slice(1);
      if (fileName.startsWith('.'))
        return path.posix.normalize(path.posix.join(path.posix.dirname(file), fileName));
      return undefined;
    })
    .filter((target) => target !== undefined)
    .map((target) => ({ file, target }));
}

/** The folder a file belongs to at the top: functions, shared, infra, cli, console, bench, bin. */
const topFolder = (file: string) => file.split('/')[0] ?? file;

/** A file's layer inside shared/: its folder (shared/domain…), or `shared` for the files at its root. */
function sharedLayer(file: string): string {
  const [, folder, rest] = file.split('/');
  return rest === undefined ? 'shared' : `shared/${folder}`;
}

/** The groups that lie on a cycle of `edges` (strongly connected components of two or more). */
function cyclesOf(edges: readonly [string, string][]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const [from, to] of edges) {
    if (from === to) continue;
    next.set(from, (next.get(from) ?? new Set()).add(to));
    if (!next.has(to)) next.set(to, new Set());
  }
  // Tarjan's algorithm.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node) ?? 0);
    stack.push(node);
    onStack.add(node);
    for (const to of next.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(to) ?? 0));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(to) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
      onStack.delete(member);
      component.push(member);
      if (member === node) break;
    }
    if (component.length > 1) components.push(component.sort());
  };
  for (const node of next.keys()) if (!index.has(node)) visit(node);
  return components;
}

const described = ({ file, target }: Import) => `${file} imports ${target}`;

/** What each layer of shared/ may import of shared/ besides itself; a layer not named here may import any. */
const MAY_IMPORT: Record<string, readonly string[]> = {
  'shared/domain': [],
  'shared/ports': ['shared/domain'],
  'shared/api': ['shared/domain'],
  'shared/use-cases': [
    'shared',
    'shared/domain',
    'shared/ports',
    'shared/api',
    'shared/messaging',
    'shared/status-site',
  ],
  'shared/adapters': ['shared', 'shared/domain', 'shared/ports', 'shared/clients'],
};

/**
 * What of shared/ the clients (the console and the CLI) may import: the API's request and response
 * types (shared/api), the domain's vocabulary and pure functions (shared/domain), and the map
 * geometry the console draws with (shared/maps). A store, an adapter or a use case is the server's.
 */
const CLIENT_MAY_IMPORT: readonly string[] = ['shared/api', 'shared/domain', 'shared/maps'];

const isClient = (file: string) => file.startsWith('console/') || file.startsWith('cli/');

/** The imports by which a client reaches past what it may import of shared/. */
function clientOverreach(imports: readonly Import[]): string[] {
  return imports
    .filter(
      ({ file, target }) =>
        isClient(file) && target.startsWith('shared/') && !CLIENT_MAY_IMPORT.includes(sharedLayer(target)),
    )
    .map(described);
}

const allImports = globSync(SOURCE_FILES, { cwd: REPO_ROOT }).flatMap((file) =>
  importsOf(file, readFileSync(path.join(REPO_ROOT, file), 'utf8')),
);
const sharedImports = allImports.filter(
  ({ file, target }) => file.startsWith('shared/') && target.startsWith('shared/'),
);

/** The imports that tie the groups of a cycle together, grouping files by `groupOf`. */
function importsOnCycles(imports: readonly Import[], groupOf: (file: string) => string): string[] {
  const cycles = cyclesOf(
    imports.map(({ file, target }): [string, string] => [groupOf(file), groupOf(target)]),
  );
  return imports
    .filter(({ file, target }) =>
      cycles.some(
        (cycle) =>
          groupOf(file) !== groupOf(target) &&
          cycle.includes(groupOf(file)) &&
          cycle.includes(groupOf(target)),
      ),
    )
    .map(described);
}

describe('layering', () => {
  it('reads the imports of the code', () => {
    // A parser that saw nothing would pass every rule below.
    expect(allImports.length).toBeGreaterThan(1000);
  });

  it('shared/ imports none of the deployment: functions/, infra/, cli/, the console, the benchmarks', () => {
    const outward = allImports.filter(
      ({ file, target }) => file.startsWith('shared/') && !target.startsWith('shared/'),
    );
    expect(outward.map(described)).toEqual([]);
  });

  it('the top-level folders form no cycle', () => {
    expect(importsOnCycles(allImports, topFolder)).toEqual([]);
  });

  it("shared/'s folders form no cycle", () => {
    expect(importsOnCycles(sharedImports, sharedLayer)).toEqual([]);
  });

  it('each inner layer of shared/ imports only the layers below it', () => {
    const upward = sharedImports.filter(({ file, target }) => {
      const allowed = MAY_IMPORT[sharedLayer(file)];
      const layer = sharedLayer(target);
      return allowed !== undefined && layer !== sharedLayer(file) && !allowed.includes(layer);
    });
    expect(upward.map(described)).toEqual([]);
  });

  it('the console and the CLI import of shared/ only its API contract, domain and map geometry', () => {
    expect(clientOverreach(allImports)).toEqual([]);
  });
});

describe('the layering check itself', () => {
  it('sees static, type-only, dynamic and re-exporting imports, and leaves packages out', () => {
    const text = [
      "import { a } from '#shared/domain/a.ts';",
      "import type { B } from './b.ts';",
      "export { c } from '../c.ts';",
      "const d = await import('#functions/manifest.ts');",
      "import { z } from 'zod';",
    ].join('\n');

    expect(importsOf('shared/use-cases/x.ts', text).map(({ target }) => target)).toEqual([
      'shared/domain/a.ts',
      'shared/use-cases/b.ts',
      'shared/c.ts',
      'functions/manifest.ts',
    ]);
  });

  it("names a client's import of shared/ beyond the contract, the domain and the maps, and no server's", () => {
    const imports: Import[] = [
      { file: 'console/src/pages/a.tsx', target: 'shared/api/pages.ts' },
      { file: 'console/src/map/b.tsx', target: 'shared/maps/geometry.ts' },
      { file: 'cli/commands/c.ts', target: 'shared/domain/model.ts' },
      { file: 'console/src/pages/a.tsx', target: 'shared/ports/stores.ts' },
      { file: 'cli/commands/c.ts', target: 'shared/use-cases/preview-broadcast.ts' },
      { file: 'cli/main.ts', target: 'shared/config.ts' },
      { file: 'functions/d/handler.ts', target: 'shared/ports/stores.ts' },
    ];

    expect(clientOverreach(imports)).toEqual([
      'console/src/pages/a.tsx imports shared/ports/stores.ts',
      'cli/commands/c.ts imports shared/use-cases/preview-broadcast.ts',
      'cli/main.ts imports shared/config.ts',
    ]);
  });

  it('finds a cycle through several groups, and none in a chain', () => {
    expect(
      cyclesOf([
        ['functions', 'shared'],
        ['shared', 'infra'],
        ['infra', 'functions'],
        ['cli', 'shared'],
      ]),
    ).toEqual([['functions', 'infra', 'shared']]);
    expect(
      cyclesOf([
        ['cli', 'infra'],
        ['infra', 'shared'],
        ['functions', 'shared'],
      ]),
    ).toEqual([]);
  });
});
