import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/*
 * The house's rules (docs/development.md, "Where things are"), checked on the sources: which
 * layer may import which, how long a module may grow, and how narrow the store's facets are.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const SERVER = join(ROOT, 'server', 'src');

/** Every source file under `dir` (TypeScript and JavaScript), recursively. */
function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|js|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The server's layers, lowest first: a module imports only its own folder and lower layers. */
const LAYERS: Record<string, number> = {
  config: 0,
  store: 1,
  admin: 2,
  fulfillment: 2,
  http: 2,
  notifications: 2,
  orders: 2,
  pages: 2,
  metrics: 3,
  routes: 4,
  'plugin.ts': 5,
  cli: 5,
  'app.ts': 6,
  sandbox: 7,
  bin: 8,
  'index.ts': 8,
};

/** The layer of a file under server/src: its top folder, or the file itself at the top. */
const layerOf = (file: string) => (relative(SERVER, file).split('/')[0] ?? '').replace(/\.js$/, '.ts');

/** The imports of a module (static, dynamic and re-exports), and whether each is for types only or dynamic. */
function allImportsOf(file: string): Array<{ path: string; typeOnly: boolean; dynamic: boolean }> {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: Array<{ path: string; typeOnly: boolean; dynamic: boolean }> = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      const typeOnly = ts.isImportDeclaration(node) ? !!node.importClause?.isTypeOnly : node.isTypeOnly;
      found.push({ path: (node.moduleSpecifier as ts.StringLiteral).text, typeOnly, dynamic: false });
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push({ path: node.arguments[0].text, typeOnly: false, dynamic: true });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const literal = node.argument.literal;
      if (ts.isStringLiteral(literal)) found.push({ path: literal.text, typeOnly: true, dynamic: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The relative imports of a module, and whether each is for types only. */
const importsOf = (file: string) => allImportsOf(file).filter(({ path }) => path.startsWith('.'));

/** The packages a module loads when it is imported: its static imports, followed through our own files. */
function packagesLoadedBy(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const walk = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const { path, typeOnly, dynamic } of allImportsOf(file)) {
      if (typeOnly || dynamic) continue;
      if (!path.startsWith('.')) packages.add(path);
      else {
        const target = resolve(dirname(file), path);
        const ts_ = target.replace(/\.js$/, '.ts');
        walk(existsSync(ts_) ? ts_ : target);
      }
    }
  };
  walk(entry);
  return packages;
}

describe("the server's layers", () => {
  const files = sources(SERVER);

  it('has a layer for every folder and top-level file', () => {
    expect(files.length).toBeGreaterThan(100);
    for (const file of files) expect(LAYERS, relative(ROOT, file)).toHaveProperty([layerOf(file)]);
  });

  it('imports only from its own folder or a lower layer: settings at the ground, the simulator above the core', () => {
    const upward: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      for (const { path } of importsOf(file)) {
        const to = layerOf(resolve(dirname(file), path));
        if (to !== from && (LAYERS[to] ?? 99) >= (LAYERS[from] ?? -1))
          upward.push(`${relative(SERVER, file)} -> ${path}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('keeps settings free of the server, and the store to their types', () => {
    const found: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      for (const { path, typeOnly } of importsOf(file)) {
        const to = layerOf(resolve(dirname(file), path));
        if (from === 'config' && to !== 'config') found.push(`${relative(SERVER, file)} -> ${path}`);
        if (from === 'store' && to === 'config' && !typeOnly)
          found.push(`${relative(SERVER, file)} -> ${path}`);
      }
    }
    expect(found).toEqual([]);
  });
});

describe('the igepay command', () => {
  it('answers --version and --help without loading validation, Fastify or a store: each command loads its own', () => {
    const loaded = packagesLoadedBy(join(SERVER, 'bin', 'igepay.ts'));
    expect(loaded.size).toBeGreaterThan(0);
    for (const heavy of ['zod', '@igepay/shared', '@igepay/shared/signing', 'fastify', 'pg']) {
      expect([...loaded], heavy).not.toContain(heavy);
    }
  });
});

describe('every module', () => {
  it('is at most 450 lines, in every package, its test support and every script', () => {
    const long = [
      'server/src',
      'shared/src',
      'webhook/src',
      'widget/src',
      'dashboard/src',
      'scripts',
      'test/src',
    ]
      .flatMap((dir) => sources(join(ROOT, dir)))
      // Test files are lists of cases; a module is code that runs.
      .filter((file) => !file.endsWith('.test.ts'))
      .map((file) => ({
        file: relative(ROOT, file),
        lines: readFileSync(file, 'utf8').split('\n').length - 1,
      }))
      .filter(({ lines }) => lines > 450);
    expect(long).toEqual([]);
  });
});

describe("the store's contract", () => {
  it('is narrow facets of at most 12 members each, which the whole store only sums', () => {
    const dir = join(SERVER, 'store', 'contract');
    const facets: Record<string, number> = {};
    for (const file of sources(dir)) {
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      for (const statement of source.statements) {
        if (ts.isInterfaceDeclaration(statement) && statement.name.text.endsWith('Store'))
          facets[statement.name.text] = statement.members.length;
      }
    }
    expect(Object.keys(facets).sort()).toEqual([
      'AdminStore',
      'HealthStore',
      'NotificationsStore',
      'OrdersStore',
      'OutboxStore',
      'ReportsStore',
    ]);
    for (const [name, members] of Object.entries(facets)) expect(members, name).toBeLessThanOrEqual(12);
    const whole = readFileSync(join(SERVER, 'store', 'order-store.ts'), 'utf8');
    expect(whole).not.toMatch(/interface OrderStore/);
  });
});
