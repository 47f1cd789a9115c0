import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeResults {
  violations: Array<{ id: string; nodes: Array<{ target: string[]; failureSummary?: string }> }>;
}

/**
 * What axe-core finds against WCAG 2.2 A and AA on `page` as rendered (colour contrast from the
 * computed styles, open shadow roots included), one line per rule and element. Evaluated
 * through the DevTools protocol, so the pages' CSP stays as it is. `skip` names rules left out
 * where the page must do what the rule objects to.
 */
export async function axeViolations(
  page: Page,
  options: { skip?: readonly string[] | undefined } = {},
): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const rules = Object.fromEntries((options.skip ?? []).map((id) => [id, { enabled: false }]));
  const results = (await page.evaluate(
    `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }, rules: ${JSON.stringify(rules)} })`,
  )) as AxeResults;
  return results.violations.flatMap((violation) =>
    violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')} (${node.failureSummary ?? ''})`),
  );
}
