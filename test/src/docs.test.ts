/**
 * The documentation holds together: every relative link of every Markdown file reaches a file
 * (and a heading, when it names one), and every `docs/...` page the code cites exists, down
 * to the section of docs/protocol.md it names.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const SKIP = new Set(['node_modules', '.git', 'dist', '.artifacts', 'data', 'coverage', '.bench-bare']);

/** Every file under `dir` whose name matches, skipping dependencies and build output. */
function filesUnder(dir: string, match: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIP.has(name)) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path, match);
    return match.test(name) ? [path] : [];
  });
}

/** Markdown without its code: links shown as code are examples, not links. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** The anchors GitHub gives a Markdown file's headings. */
function anchorsOf(file: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  const text = readFileSync(file, 'utf8').replace(/^```[\s\S]*?^```/gm, '');
  for (const [, heading = ''] of text.matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const base = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

const MARKDOWN = filesUnder(ROOT, /\.md$/);

describe('the documentation', () => {
  it('is found where it should be', () => {
    const names = MARKDOWN.map((file) => relative(ROOT, file));
    for (const expected of [
      'README.md',
      'CHANGELOG.md',
      'SECURITY.md',
      'BENCHMARKS.md',
      'docs/protocol.md',
    ]) {
      expect(names).toContain(expected);
    }
    expect(readFileSync(join(ROOT, 'README.md')).length).toBeLessThanOrEqual(12 * 1024);
  });

  it.each(MARKDOWN.map((file) => [relative(ROOT, file), file]))(
    '%s links only to what exists',
    (_name, file) => {
      const broken: string[] = [];
      for (const [, target = ''] of prose(readFileSync(file, 'utf8')).matchAll(
        /!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g,
      )) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: ...
        const [path = '', anchor] = target.split('#');
        const resolved = path === '' ? file : join(dirname(file), decodeURIComponent(path));
        if (!existsSync(resolved)) broken.push(target);
        else if (anchor && resolved.endsWith('.md') && !anchorsOf(resolved).has(anchor)) broken.push(target);
      }
      expect(broken).toEqual([]);
    },
  );

  it('installs no package from npm as if it were published there (it is not yet)', () => {
    const claims: string[] = [];
    for (const file of filesUnder(ROOT, /\.md$/)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        // An install from npm, or npx fetching the package: only where the line says "once".
        if (
          /\b(npm (install|i|add)|pnpm add|bun add|npx -p)\b[^#]*?\s@igepay\//.test(line) &&
          !/\bonce\b|fails today/.test(line)
        )
          claims.push(`${relative(ROOT, file)}: ${line.trim()}`);
      }
    }
    expect(claims).toEqual([]);
  });

  it('has every docs/ page and protocol section that the code cites', () => {
    const sources = ['webhook', 'shared', 'server', 'widget', 'test'].flatMap((pkg) =>
      filesUnder(join(ROOT, pkg), /\.(ts|js|mjs|cjs|json)$/),
    );
    const protocol = readFileSync(join(ROOT, 'docs', 'protocol.md'), 'utf8');
    const sections = new Set([...protocol.matchAll(/^###? (\d\.\d)\s/gm)].map((match) => match[1]));
    const missing: string[] = [];
    let citations = 0;
    for (const file of sources) {
      const text = readFileSync(file, 'utf8');
      for (const [cited = ''] of text.matchAll(/\bdocs\/[\w./-]*[\w/]/g)) {
        citations += 1;
        if (!existsSync(join(ROOT, cited))) missing.push(`${relative(ROOT, file)}: ${cited}`);
      }
      for (const [, first = '', more = ''] of text.matchAll(
        /docs\/protocol\.md §(\d\.\d)((?:(?:, |–)§?\d\.\d)*)/g,
      )) {
        for (const section of [first, ...(more.match(/\d\.\d/g) ?? [])]) {
          if (!sections.has(section)) missing.push(`${relative(ROOT, file)}: docs/protocol.md §${section}`);
        }
      }
    }
    expect(citations).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });
});
