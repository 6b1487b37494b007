/**
 * The server's imports run one way: wiring → actions → services → stores → transport and providers → foundation.
 * A file may import its own layer or a lower one, never a higher one; and no chain of imports comes back to where
 * it started. Type-only imports count: a type that points back up is a design dependency all the same.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const SERVER = path.resolve(__dirname, '../../src/server');

/**
 * Highest first. A file belongs to the layer of the longest path that matches it (a folder ends with '/'), so a
 * file named on its own overrides its folder.
 */
const LAYERS: { name: string; paths: string[] }[] = [
  {
    name: 'wiring',
    paths: ['plugin.ts', 'index.ts', 'reading.ts', 'sending.ts', 'records.ts', 'linking.ts', 'sharing/register.ts'],
  },
  { name: 'actions', paths: ['actions/'] },
  {
    name: 'services',
    paths: [
      'services.ts',
      'sync/',
      'compose/',
      'workflow/',
      'oauth/',
      'access/',
      'accounts/',
      'links/',
      'tokens/',
      'migrations/',
      'records/',
      'settings/settings-service.ts',
      'settings/public-url.ts',
      'messages/access.ts',
      'messages/message-actions.ts',
      'messages/message-body.ts',
      'messages/message-query.ts',
      'search/',
      'sharing/',
    ],
  },
  { name: 'stores', paths: ['store/', 'cluster/'] },
  { name: 'transport and providers', paths: ['transport/', 'providers/'] },
  // Pure logic and types anything may use: records and views, decisions, errors, the event types.
  {
    name: 'foundation',
    paths: [
      'messages/',
      'settings/',
      'db/',
      'collections/',
      'errors/',
      'input/',
      'events.ts',
      'sync/sync-decision.ts',
      'store/collection-names.ts',
      'search/fold.ts',
      'search/parse-query.ts',
      'search/highlight.ts',
      'sharing/effective-level.ts',
      'sharing/mailbox-scope.ts',
      'sharing/viewer-grants.ts',
      'records/normalize-address.ts',
      'records/record-message-view.ts',
      'records/linked-keys.ts',
      'records/participant-rows.ts',
      'sharing/mailbox-scope.ts',
    ],
  },
];

function layerOf(file: string): number {
  let best = { rank: -1, length: -1 };
  LAYERS.forEach(({ paths }, rank) => {
    for (const p of paths) {
      const matches = p.endsWith('/') ? file.startsWith(p) : file === p;
      if (matches && p.length > best.length) best = { rank, length: p.length };
    }
  });
  return best.rank;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '__tests__' ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Relative imports of a file inside src/server (imports, re-exports, `import type`), as paths under it. */
function importsOf(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, false);
  const specifiers: string[] = [];
  const visit = (node: ts.Node) => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      specifiers.push(node.argument.literal.text);
    } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0])) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require'))
        specifiers.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers
    .filter((s) => s.startsWith('.'))
    .map((s) => resolve(path.resolve(path.dirname(file), s)))
    .filter((target): target is string => !!target && target.startsWith(SERVER + path.sep));
}

function resolve(base: string): string | undefined {
  return [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find((candidate) => fs.existsSync(candidate));
}

const rel = (file: string) => path.relative(SERVER, file).split(path.sep).join('/');

function importGraph(): Map<string, string[]> {
  return new Map(sourceFiles(SERVER).map((file) => [rel(file), importsOf(file).map(rel)]));
}

/** Every cycle, each reported once, by a depth-first search that keeps the current path. */
function cyclesIn(graph: Map<string, string[]>): string[][] {
  const cycles = new Map<string, string[]>();
  const done = new Set<string>();
  const walk = (file: string, trail: string[]) => {
    const at = trail.indexOf(file);
    if (at >= 0) {
      const cycle = trail.slice(at);
      const key = [...cycle].sort().join(' ');
      if (!cycles.has(key)) cycles.set(key, [...cycle, file]);
      return;
    }
    if (done.has(file)) return;
    for (const next of graph.get(file) ?? []) walk(next, [...trail, file]);
    done.add(file);
  };
  for (const file of graph.keys()) walk(file, []);
  return [...cycles.values()];
}

describe('src/server imports', () => {
  const graph = importGraph();

  it('finds the server files and their imports', () => {
    expect(graph.get('plugin.ts')?.length).toBeGreaterThan(0);
  });

  it('put every file in a layer', () => {
    expect([...graph.keys()].filter((file) => layerOf(file) < 0)).toEqual([]);
  });

  it('never run from a lower layer to a higher one', () => {
    const upward: string[] = [];
    for (const [file, targets] of graph) {
      for (const target of targets) {
        if (layerOf(target) < layerOf(file)) {
          upward.push(`${file} (${LAYERS[layerOf(file)].name}) → ${target} (${LAYERS[layerOf(target)].name})`);
        }
      }
    }
    expect(upward).toEqual([]);
  });

  it('never come back to where they started', () => {
    expect(cyclesIn(graph).map((cycle) => cycle.join(' → '))).toEqual([]);
  });
});
