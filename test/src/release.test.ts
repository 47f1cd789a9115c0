/**
 * The release workflow (`.github/workflows/release.yml`), which cannot run here: held to what a
 * release must do. A tag that is the packages' version; the whole suite as CI runs it; then
 * every published package (each workspace package that is not private) to npm with
 * provenance, and the tarballs on the GitHub release.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from './matrix/runtimes.js';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: { push: { tags: string[] } };
  permissions: Record<string, string>;
  jobs: Record<string, { 'runs-on': string; 'timeout-minutes': number; steps: Step[] }>;
}

const workflow = parse(readFileSync(join(ROOT, '.github', 'workflows', 'release.yml'), 'utf8')) as Workflow;
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
const indexOf = (pattern: RegExp) => steps.findIndex((step) => pattern.test(step.run ?? ''));
/** The workspace's packages that are published: every one not marked private. */
const published = readdirSync(ROOT, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((entry) => {
    try {
      const manifest = JSON.parse(readFileSync(join(ROOT, entry.name, 'package.json'), 'utf8'));
      return manifest.private ? [] : [entry.name];
    } catch {
      return [];
    }
  })
  .sort();

describe('the release workflow', () => {
  it('runs on a version tag, with what provenance needs, on one job with a time limit', () => {
    expect(workflow.on.push.tags).toEqual(['v*']);
    expect(workflow.permissions).toEqual({ contents: 'write', 'id-token': 'write' });
    for (const job of Object.values(workflow.jobs)) expect(job['timeout-minutes']).toBeLessThanOrEqual(90);
    for (const step of steps.filter((s) => s.uses)) expect(step.uses).toMatch(/^actions\/[\w-]+@v\d+$/);
  });

  it('checks the tag against every published package, tests as CI does, then publishes each with provenance', () => {
    expect(published).toEqual(['server', 'shared', 'webhook', 'widget']);
    const version = indexOf(/GITHUB_REF_NAME/);
    const test = indexOf(/^bash \.ci\/run$/);
    const publish = indexOf(/publish --provenance --access public/);
    expect([version, test, publish].every((index) => index >= 0)).toBe(true);
    expect(version).toBeLessThan(test);
    expect(test).toBeLessThan(publish);
    for (const step of [steps[version], steps[publish]]) {
      const loop = /for package in ([\w ]+); do/
        .exec(step?.run ?? '')?.[1]
        ?.split(' ')
        .sort();
      expect(loop).toEqual(published);
    }
    // GitHub's expression for the secret, not a JavaScript placeholder.
    expect(steps[publish]?.env).toEqual({ NODE_AUTH_TOKEN: ['$', '{{ secrets.NPM_TOKEN }}'].join('') });
    expect(indexOf(/gh release create .* tarballs\/\*\.tgz/)).toBeGreaterThan(indexOf(/^pnpm pack:all$/));
  });
});
