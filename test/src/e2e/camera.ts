import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const ARTIFACTS = join(ROOT, '.artifacts', 'e2e');
const DOCS = join(ROOT, 'docs');

/**
 * Screenshots of a story's steps, numbered, in `.artifacts/e2e/<story>/`. A step named for
 * the README also goes to `docs/<name>.png` when `IGEPAY_DOCS_SCREENSHOTS=1`
 * (`pnpm screenshots`).
 */
export function camera(story: string): (target: Page | Locator, step: string, doc?: string) => Promise<void> {
  const folder = join(ARTIFACTS, story.replace(/[^a-z0-9]+/gi, '-').toLowerCase());
  mkdirSync(folder, { recursive: true });
  let count = 0;
  return async (target, step, doc) => {
    count += 1;
    const path = join(folder, `${String(count).padStart(2, '0')}-${step}.png`);
    await target.screenshot({ path });
    if (doc && process.env.IGEPAY_DOCS_SCREENSHOTS === '1') copyFileSync(path, join(DOCS, `${doc}.png`));
  };
}
