import { expect } from '@open-wc/testing';
import type { IgepayButton } from '../src/igepay-button.js';
import { FakeWorld, until } from './fake-server.js';

/**
 * A fresh fake world (server, storage, popups) for each test of the file, restored after it:
 * `world()` is the current one. The page speaks Chinese, as a Chinese shop's does, unless a
 * test says otherwise.
 */
export function freshWorldEachTest(): () => FakeWorld {
  let world: FakeWorld | undefined;
  beforeEach(() => {
    world = new FakeWorld();
    document.documentElement.lang = 'zh-CN';
  });
  afterEach(() => {
    world?.restore();
  });
  return () => {
    if (!world) throw new Error('no world outside a test');
    return world;
  };
}

/** The element's part `name`; fails when it has none. */
export function part(el: IgepayButton, name: string): HTMLElement {
  const found = el.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`);
  if (!found) throw new Error(`no part ${name}`);
  return found;
}

/** Whether the element shows a part `name`. */
export function hasPart(el: IgepayButton, name: string): boolean {
  return el.shadowRoot?.querySelector(`[part~="${name}"]`) != null;
}

/** The status line's text. */
export function statusText(el: IgepayButton): string {
  return part(el, 'status').textContent?.trim() ?? '';
}

/** Records every event the element fires. */
export function events(el: HTMLElement): Array<{ type: string; detail: unknown }> {
  const seen: Array<{ type: string; detail: unknown }> = [];
  for (const type of ['igepay-order', 'igepay-paid', 'igepay-error', 'igepay-cancel']) {
    el.addEventListener(type, (event) => {
      expect(event.bubbles && event.composed).to.equal(true);
      seen.push({ type, detail: (event as Event & { detail: unknown }).detail });
    });
  }
  return seen;
}

/** Waits until the element has its price (or has no product to price), and has rendered. */
export async function settled(el: IgepayButton): Promise<void> {
  await until(() => !!el.shadowRoot?.querySelector('[part~="price"]')?.textContent || !el.product);
  await el.updateComplete;
}
