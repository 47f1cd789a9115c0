import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const WIDGET = join(import.meta.dirname, '..', '..', 'widget');
const out = mkdtempSync(join(tmpdir(), 'igepay-cem-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("the widget's published descriptions", () => {
  it('custom-elements.json and the JSX and Vue typings match the source (pnpm --filter @igepay/widget analyze)', async () => {
    await promisify(execFile)(
      process.execPath,
      [
        join(WIDGET, 'node_modules', '@custom-elements-manifest', 'analyzer', 'cem.js'),
        'analyze',
        '--outdir',
        relative(WIDGET, out),
      ],
      {
        cwd: WIDGET,
        // cem puts its --outdir under the working directory; the typings plugins take this one.
        env: { ...process.env, IGEPAY_CEM_OUTDIR: out },
      },
    );
    for (const file of ['custom-elements.json', 'types/jsx.d.ts', 'types/vue.d.ts']) {
      expect(
        readFileSync(join(out, file), 'utf8'),
        `${file} is stale: run pnpm --filter @igepay/widget analyze`,
      ).toBe(readFileSync(join(WIDGET, file), 'utf8'));
    }
    // Tools find the manifest through package.json; checking it must not point that elsewhere.
    expect(JSON.parse(readFileSync(join(WIDGET, 'package.json'), 'utf8')).customElements).toBe(
      'custom-elements.json',
    );
    const manifest = JSON.parse(readFileSync(join(WIDGET, 'custom-elements.json'), 'utf8'));
    const element = manifest.modules[0].declarations[0];
    expect(element.tagName).toBe('igepay-button');
    expect(element.attributes.map((a: { name: string }) => a.name)).toEqual([
      'server',
      'price',
      'product',
      'channels',
      'channel',
      'order-name',
      'order-uid',
      'mode',
      'lang',
      'disabled',
      'presets',
    ]);
  }, 60_000);
});
