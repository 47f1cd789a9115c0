import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { WIDGET_BUDGET_GZIP_BYTES as BUDGET_GZIP_BYTES } from './bench/limits.js';

let bundle = '';
let gzipped = 0;

beforeAll(() => {
  const file = inject('widgetFile');
  bundle = readFileSync(file, 'utf8');
  gzipped = readFileSync(`${file}.gz`).length;
});

describe('the built /widget.js', () => {
  it(`weighs at most ${BUDGET_GZIP_BYTES} bytes gzipped`, () => {
    const size = gzipSync(bundle, { level: 9 }).length;
    expect(size).toBeGreaterThan(4000); // lit-html is in it: a broken build would be tiny.
    expect(size).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
    expect(gzipped).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
  });

  it('is one ES module that defines <igepay-button>', () => {
    expect(bundle).toContain('igepay-button');
    expect(bundle).toMatch(/\bexport\s*\{/);
    expect(bundle).not.toMatch(/\bimport\s*[\s{*"']/);
  });

  it('holds no signing code, no MD5 and no validation library', () => {
    // MD5's initial state and first round constants, in any notation.
    for (const constant of ['1732584193', '0x67452301', '67452301', '3614090360', '0xd76aa478', 'd76aa478']) {
      expect(bundle.toLowerCase()).not.toContain(constant);
    }
    for (const name of ['requestKey', 'notificationSign', 'md5', 'createHash', 'token', 'ZodError']) {
      expect(bundle).not.toContain(name);
    }
  });
});
