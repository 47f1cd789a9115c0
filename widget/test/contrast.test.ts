/**
 * WCAG AA for every default colour pair, measured from the rendered styles in light and dark:
 * 4.5:1 for text (3:1 when large), 3:1 for focus rings and for the borders that show a state
 * (the chosen method, the pressed preset). Each state of the element is rendered and looked at.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import '../src/index.js';
import type { IgepayButton } from '../src/igepay-button.js';
import { checkoutReply, FakeWorld, until, view } from './fake-server.js';

type Rgba = [number, number, number, number];

function parse(color: string): Rgba {
  const parts = color.match(/[\d.]+/g)?.map(Number) ?? [];
  const [r = 0, g = 0, b = 0, a = 1] = parts;
  return [r, g, b, a];
}

function luminance([r, g, b]: Rgba): number {
  const linear = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

function ratio(a: Rgba, b: Rgba): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** The first opaque background at or behind `node`, out of shadow roots too. */
function backgroundBehind(node: Element | null): Rgba {
  for (let el = node; el; ) {
    const color = parse(getComputedStyle(el).backgroundColor);
    if (color[3] > 0.99) return color;
    el = el.parentElement ?? ((el.getRootNode() as ShadowRoot).host || null);
  }
  return [255, 255, 255, 1];
}

interface Finding {
  readonly what: string;
  readonly ratio: number;
  readonly needed: number;
}

/** Every element of the shadow root that draws text of its own, against what is behind it. */
function textPairs(root: ShadowRoot): Finding[] {
  const found: Finding[] = [];
  for (const el of root.querySelectorAll<HTMLElement>('*')) {
    const ownText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim());
    if (!ownText || el.closest(':disabled') || el.closest('svg')) continue;
    const style = getComputedStyle(el);
    const size = Number.parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    found.push({
      what: `text of <${el.localName} part="${el.getAttribute('part') ?? ''}" class="${el.className}">`,
      ratio: ratio(parse(style.color), backgroundBehind(el)),
      needed: large ? 3 : 4.5,
    });
  }
  const input = root.querySelector('input:not([type])');
  if (input) {
    found.push({
      what: 'the amount placeholder',
      ratio: ratio(parse(getComputedStyle(input, '::placeholder').color), backgroundBehind(input)),
      needed: 4.5,
    });
  }
  return found;
}

/** The borders that say "chosen" or "pressed", against their inside and their outside. */
function statePairs(root: ShadowRoot): Finding[] {
  const found: Finding[] = [];
  for (const el of root.querySelectorAll<HTMLElement>('.channel:has(:checked), [aria-pressed="true"]')) {
    const border = parse(getComputedStyle(el).borderTopColor);
    found.push(
      {
        what: `border of chosen ${el.className} against its inside`,
        ratio: ratio(border, backgroundBehind(el)),
        needed: 3,
      },
      {
        what: `border of chosen ${el.className} against the page`,
        ratio: ratio(border, backgroundBehind(el.parentElement)),
        needed: 3,
      },
    );
  }
  return found;
}

/** The focus ring of every control, focused as by the keyboard, against what is around it. */
function focusPairs(root: ShadowRoot): Finding[] {
  const found: Finding[] = [];
  for (const control of root.querySelectorAll<HTMLElement>('button:not(:disabled), input:not(:disabled)')) {
    control.focus({ focusVisible: true } as FocusOptions);
    // The ring is drawn by the control, or for a radio and the amount field by its box.
    const ringed =
      control.localName === 'input' ? (control.closest('.channel, .field') as HTMLElement) : control;
    const style = getComputedStyle(ringed);
    expect(style.outlineStyle, `focus ring of ${ringed.className}`).to.equal('solid');
    found.push({
      what: `focus ring of ${ringed.localName}.${ringed.className}`,
      ratio: ratio(parse(style.outlineColor), backgroundBehind(ringed.parentElement)),
      needed: 3,
    });
    control.blur();
  }
  return found;
}

/** The element's inner piece at `selector`; the test stops if it is not there. */
function inner<T extends HTMLElement = HTMLInputElement>(el: IgepayButton, selector: string): T {
  const found = el.shadowRoot?.querySelector<T>(selector);
  if (!found) throw new Error(`no ${selector}`);
  return found;
}

function check(el: IgepayButton, state: string, scheme: string): void {
  const root = el.shadowRoot as ShadowRoot;
  const findings = [...textPairs(root), ...statePairs(root), ...focusPairs(root)];
  expect(findings.length, `${state}: something to measure`).to.be.greaterThan(2);
  const failing = findings
    .filter((f) => f.ratio < f.needed)
    .map((f) => `${scheme} ${state}: ${f.what} is ${f.ratio.toFixed(2)}:1, needs ${f.needed}:1`);
  expect(failing).to.deep.equal([]);
}

/**
 * Only Chromium's driver emulates the colour scheme (CDP): Firefox over WebDriver BiDi and WebKit
 * over classic WebDriver cannot switch it, so they check the light mode they start in.
 */
const canEmulate = /Chrome\//.test(navigator.userAgent);

let world: FakeWorld;
beforeEach(() => {
  world = new FakeWorld();
  document.documentElement.lang = 'zh-CN';
});
afterEach(async () => {
  world.restore();
  document.body.style.background = '';
  if (canEmulate) await emulateMedia({ colorScheme: 'light' });
});

for (const scheme of canEmulate ? (['light', 'dark'] as const) : (['light'] as const)) {
  describe(`default colours in ${scheme} mode`, () => {
    beforeEach(async () => {
      if (canEmulate) await emulateMedia({ colorScheme: scheme });
      expect(matchMedia('(prefers-color-scheme: dark)').matches).to.equal(scheme === 'dark');
    });

    /** The element on a page whose background is the element's own surface colour. */
    async function place(template: ReturnType<typeof html>): Promise<IgepayButton> {
      const el = await fixture<IgepayButton>(template);
      document.body.style.background = getComputedStyle(el).getPropertyValue('--igepay-background');
      await until(() => el.shadowRoot?.querySelector('.sandbox') != null);
      await el.updateComplete;
      return el;
    }

    it('pass WCAG AA in every state: ready, chosen, open amount, waiting, cancelled, failed, paid', async () => {
      const wechat = await place(html`<igepay-button product="vip"></igepay-button>`);
      check(wechat, 'ready, WeChat Pay chosen', scheme);
      const alipay = await place(html`<igepay-button product="mug" channel="alipay"></igepay-button>`);
      check(alipay, 'ready, Alipay chosen', scheme);

      const open = await place(html`<igepay-button presets="6.66 18.88"></igepay-button>`);
      inner(open, '[part~="preset"]').click();
      await open.updateComplete;
      check(open, 'open amount, a preset pressed', scheme);
      inner(open, 'input').value = '';
      open.shadowRoot?.querySelector('input')?.dispatchEvent(new Event('input'));
      inner(open, '[part~="button"]').click();
      await open.updateComplete;
      check(open, 'amount refused', scheme);

      world.checkout = [{ status: 201, body: checkoutReply({ channel: 'wechat', product: 'vip' }) }];
      inner(wechat, '[part~="button"]').click();
      await until(() => wechat.shadowRoot?.querySelector('[part~="start-over"]') != null);
      check(wechat, 'waiting', scheme);
      world.popups[0]?.close();
      await until(
        () => wechat.shadowRoot?.querySelector('.status')?.textContent?.startsWith('支付窗口已关闭') === true,
        3000,
      );
      check(wechat, 'cancelled', scheme);
      world.statuses.push({ status: 200, body: view('failed') });
      await until(() => wechat.shadowRoot?.querySelector('.status.bad') != null);
      check(wechat, 'failed', scheme);
      world.statuses.push({ status: 200, body: { ...view('paid'), order_name: 'VIP会员' } });
      inner(wechat, '[part~="button"]').click();
      await until(() => wechat.shadowRoot?.querySelector('[part~="receipt"]') != null);
      check(wechat, 'paid', scheme);
    });
  });
}
