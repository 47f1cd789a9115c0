/**
 * A Vue 3 app as docs/widget.md sets it up, type-checked by vue-tsc in strict mode: the
 * element's event handlers are typed by the events Vue binds (`@igepay-paid` is the prop
 * `onIgepayPaid`), so a handler that expects something else is an error.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'vue-app');
const VUE_TSC = join(import.meta.dirname, '..', 'node_modules', 'vue-tsc', 'bin', 'vue-tsc.js');
// Beside the fixture, so that vue and @igepay/widget resolve as in the app.
const copy = mkdtempSync(join(FIXTURE, '..', '.vue-app-'));
afterAll(() => rmSync(copy, { recursive: true, force: true }));

const check = (dir: string) =>
  run(process.execPath, [VUE_TSC, '--noEmit', '-p', join(dir, 'tsconfig.json')]).then(
    () => '',
    (error: { stdout: string }) => error.stdout,
  );

describe('<igepay-button> in a Vue app, type-checked by vue-tsc', () => {
  it("types @igepay-paid's handler with the event's detail", async () => {
    expect(await check(FIXTURE)).toBe('');
  }, 120_000);

  it('refuses a handler that expects another event', async () => {
    cpSync(FIXTURE, copy, { recursive: true });
    const app = join(copy, 'App.vue');
    writeFileSync(
      app,
      readFileSync(app, 'utf8').replace(
        "function onPaid(event: CustomEvent<IgepayPaidEvent['detail']>): string {\n  return event.detail.order_id;",
        'function onPaid(event: CustomEvent<{ refund: number }>): number {\n  return event.detail.refund;',
      ),
    );
    expect(await check(copy)).toMatch(/App\.vue.*error TS2322|not assignable/s);
  }, 120_000);
});
