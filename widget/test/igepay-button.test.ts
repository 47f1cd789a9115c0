import { expect, fixture, html } from '@open-wc/testing';
import '../src/index.js';
import type { IgepayButton } from '../src/igepay-button.js';
import { CONFIG, checkoutReply, FakeWorld, pendingOrder, until, view } from './fake-server.js';

let world: FakeWorld;
beforeEach(() => {
  world = new FakeWorld();
  // A Chinese shop's page: the elements below speak its language unless told otherwise.
  document.documentElement.lang = 'zh-CN';
});
afterEach(() => {
  world.restore();
});

function part(el: IgepayButton, name: string): HTMLElement {
  const found = el.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`);
  if (!found) throw new Error(`no part ${name}`);
  return found;
}

function hasPart(el: IgepayButton, name: string): boolean {
  return el.shadowRoot?.querySelector(`[part~="${name}"]`) != null;
}

function statusText(el: IgepayButton): string {
  return part(el, 'status').textContent?.trim() ?? '';
}

/** Records every event the element fires. */
function events(el: HTMLElement): Array<{ type: string; detail: unknown }> {
  const seen: Array<{ type: string; detail: unknown }> = [];
  for (const type of ['igepay-order', 'igepay-paid', 'igepay-error', 'igepay-cancel']) {
    el.addEventListener(type, (event) => {
      expect(event.bubbles && event.composed).to.equal(true);
      seen.push({ type, detail: (event as Event & { detail: unknown }).detail });
    });
  }
  return seen;
}

async function settled(el: IgepayButton): Promise<void> {
  await until(() => !!el.shadowRoot?.querySelector('[part~="price"]')?.textContent || !el.product);
  await el.updateComplete;
}

describe('<igepay-button>', () => {
  describe('rendering', () => {
    it('shows a catalog product in Chinese by default: name, price, both channels, the pay button', async () => {
      const el = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
      await settled(el);
      expect(part(el, 'name').textContent).to.equal('VIP会员');
      expect(part(el, 'price').textContent).to.equal('¥10.00');
      expect(part(el, 'channel-wechat').textContent).to.contain('微信支付');
      expect(part(el, 'channel-alipay').textContent).to.contain('支付宝');
      expect(part(el, 'button').textContent?.trim()).to.equal('支付 ¥10.00');
      expect(part(el, 'channels').getAttribute('aria-label')).to.equal('支付方式');
    });

    it('speaks English with lang="en" and offers only the channels asked for', async () => {
      const el = await fixture<IgepayButton>(
        html`<igepay-button lang="en" price="8.8" channels="alipay" order-name="Tip"></igepay-button>`,
      );
      await el.updateComplete;
      expect(part(el, 'button').textContent?.trim()).to.equal('Pay ¥8.80');
      expect(hasPart(el, 'channel-wechat')).to.equal(false);
      expect(part(el, 'channel-alipay').textContent).to.contain('Alipay');
      expect(part(el, 'name').textContent).to.equal('Tip');
    });

    it('can be defined twice without error (the script loaded twice)', async () => {
      // A second copy of the module (another URL) runs the definition again.
      await import(new URL('../src/igepay-button.ts?again', import.meta.url).href);
      expect(customElements.get('igepay-button')).to.not.equal(undefined);
    });
  });

  describe('checkout', () => {
    it('opens the popup synchronously, before the checkout call, then posts the signed form into it', async () => {
      const el = await fixture<IgepayButton>(
        html`<igepay-button product="vip" channel="alipay"></igepay-button>`,
      );
      await settled(el);
      const seen = events(el);
      part(el, 'button').click();
      // Opened in the click itself, before the checkout request went out.
      const calls = world.log.filter((line) => line !== 'fetch GET /api/config');
      expect(calls[0]).to.equal('open');
      expect(calls.slice(1)).to.deep.equal(['fetch POST /api/checkout']);
      await until(() => world.forms.length === 1);
      expect(world.bodies).to.deep.equal([{ channel: 'alipay', product: 'vip' }]);
      const [form] = world.forms;
      expect(form?.action).to.equal('https://gateway.example/Home/Pay/payFor');
      expect(form?.method).to.equal('post');
      expect(form?.acceptCharset).to.equal('utf-8');
      // Posted from inside the window's own blank document: no engine has to find the window by
      // its name, which WebKit no longer does once its opener is cut.
      expect(form?.from).to.equal(0);
      expect(form?.target).to.equal('_self');
      expect(world.log).to.not.include(`submit page igepay-${location.origin}|vip (lost)`);
      expect(world.popups).to.have.length(1);
      expect(world.popups[0]?.name).to.equal(`igepay-${location.origin}|vip`);
      expect(form?.fields).to.include({ order_id: 'O-1', price: '10.00', type: '2', key: 'a'.repeat(32) });
      // The pay page cannot reach back into this page.
      expect(world.popups[0]?.opener).to.equal(null);
      expect(seen).to.deep.equal([{ type: 'igepay-order', detail: { order_id: 'O-1' } }]);
      await el.updateComplete;
      expect(statusText(el)).to.contain('请在新窗口中完成支付');
    });

    it('sends an open amount with its name and the customer id; the buyer picks WeChat Pay', async () => {
      const el = await fixture<IgepayButton>(
        html`<igepay-button price="12.3" channel="alipay" order-name="充值" order-uid="u-7"></igepay-button>`,
      );
      await el.updateComplete;
      part(el, 'channel-wechat').querySelector('input')?.click();
      await el.updateComplete;
      expect(el.channel).to.equal('wechat');
      expect(el.dataset.channel).to.equal('wechat');
      part(el, 'button').click();
      await until(() => world.bodies.length === 1);
      // As the page wrote it: the server signs it exactly 2 decimals.
      expect(world.bodies[0]).to.deep.equal({
        channel: 'wechat',
        price: '12.3',
        order_name: '充值',
        order_uid: 'u-7',
      });
    });

    it('lets the buyer type or pick an amount, and refuses one outside the server bounds without calling it', async () => {
      const el = await fixture<IgepayButton>(html`<igepay-button presets="6.66 18.8"></igepay-button>`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const input = part(el, 'amount-input') as HTMLInputElement;
      input.value = '600';
      input.dispatchEvent(new Event('input'));
      await el.updateComplete;
      part(el, 'button').click();
      await el.updateComplete;
      expect(statusText(el)).to.equal(`请输入 0.01–${CONFIG.max_price} 元的金额（最多两位小数）。`);
      expect(input.getAttribute('aria-invalid')).to.equal('true');
      for (const bad of ['abc', '1.234', '0']) {
        input.value = bad;
        input.dispatchEvent(new Event('input'));
        part(el, 'button').click();
      }
      expect(world.bodies).to.deep.equal([]);

      const presets = el.shadowRoot?.querySelectorAll<HTMLButtonElement>('[part="preset"]') ?? [];
      expect([...presets].map((p) => p.textContent)).to.deep.equal(['¥6.66', '¥18.80']);
      presets[1]?.click();
      await el.updateComplete;
      expect(part(el, 'button').textContent?.trim()).to.equal('支付 ¥18.80');
      part(el, 'button').click();
      await until(() => world.bodies.length === 1);
      expect(world.bodies[0]).to.deep.equal({ channel: 'wechat', price: '18.80' });
    });

    it('reads amounts as buyers type them: full-width digits, a decimal comma, ¥ and spaces, grouped thousands; Enter pays', async () => {
      const el = await fixture<IgepayButton>(html`<igepay-button></igepay-button>`);
      await settled(el);
      const input = part(el, 'amount-input') as HTMLInputElement;
      expect(input.placeholder).to.equal('0.00');
      const typed = async (text: string) => {
        input.value = text;
        input.dispatchEvent(new Event('input'));
        await el.updateComplete;
        return part(el, 'button').textContent?.trim();
      };
      expect(await typed('１２')).to.equal('支付 ¥12.00');
      expect(await typed('12,5')).to.equal('支付 ¥12.50');
      expect(await typed('¥ 12')).to.equal('支付 ¥12.00');
      expect(await typed('￥１２．３')).to.equal('支付 ¥12.30');
      expect(await typed('1,288')).to.equal('支付 ¥1,288.00');
      expect(await typed('1 288.5')).to.equal('支付 ¥1,288.50');
      expect(world.bodies).to.deep.equal([]);
      // Within the test server's bounds (at most 500.00), and paid with Enter.
      expect(await typed(' ８８，８ 元')).to.equal('支付 ¥88.80');
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
      await until(() => world.bodies.length === 1);
      expect(world.bodies[0]).to.deep.equal({ channel: 'wechat', price: '88.80' });
      // A second Enter while that checkout is under way starts nothing.
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(world.bodies).to.have.length(1);
    });

    it('marks the chosen preset pressed, and shows a single method as a label, not a one-option radio group', async () => {
      const el = await fixture<IgepayButton>(
        html`<igepay-button presets="6.66 18.8" channels="alipay"></igepay-button>`,
      );
      await settled(el);
      const presets = () => [...(el.shadowRoot?.querySelectorAll('[part="preset"]') ?? [])];
      expect(presets().map((p) => p.getAttribute('aria-pressed'))).to.deep.equal(['false', 'false']);
      (presets()[1] as HTMLButtonElement).click();
      await el.updateComplete;
      expect(presets().map((p) => p.getAttribute('aria-pressed'))).to.deep.equal(['false', 'true']);
      // Typing the same amount keeps it pressed; another one releases it.
      const input = part(el, 'amount-input') as HTMLInputElement;
      input.value = '６.６６';
      input.dispatchEvent(new Event('input'));
      await el.updateComplete;
      expect(presets().map((p) => p.getAttribute('aria-pressed'))).to.deep.equal(['true', 'false']);
      expect(el.shadowRoot?.querySelector('input[type="radio"]')).to.equal(null);
      expect(el.shadowRoot?.querySelector('[role="radiogroup"]')).to.equal(null);
      expect(part(el, 'channel').textContent?.trim()).to.equal('支付宝');
      part(el, 'button').click();
      await until(() => world.bodies.length === 1);
      expect(world.bodies[0]).to.deep.equal({ channel: 'alipay', price: '6.66' });
    });

    it('colours the chosen method and the pressed preset with --igepay-accent', async () => {
      const el = await fixture<IgepayButton>(
        html`<igepay-button presets="6.66" style="--igepay-accent: rgb(120, 20, 160)"></igepay-button>`,
      );
      await settled(el);
      part(el, 'preset').click();
      await el.updateComplete;
      const border = (selector: string) =>
        getComputedStyle(el.shadowRoot?.querySelector(selector) as Element).borderTopColor;
      expect(border('.channel:has(input:checked)')).to.equal('rgb(120, 20, 160)');
      expect(border('[part="preset"]')).to.equal('rgb(120, 20, 160)');
    });

    it('groups thousands in both languages', async () => {
      const zh = await fixture<IgepayButton>(html`<igepay-button price="1288"></igepay-button>`);
      const en = await fixture<IgepayButton>(html`<igepay-button price="12345.6" lang="en"></igepay-button>`);
      await settled(zh);
      await settled(en);
      expect(part(zh, 'button').textContent?.trim()).to.equal('支付 ¥1,288.00');
      expect(part(zh, 'price').textContent?.trim()).to.equal('¥1,288.00');
      expect(part(en, 'button').textContent?.trim()).to.equal('Pay ¥12,345.60');
    });

    it("speaks the nearest lang of the page, then the browser's language", async () => {
      const wrapper = await fixture<HTMLElement>(
        html`<div lang="en"><section><igepay-button price="1.00"></igepay-button></section></div>`,
      );
      const inside = wrapper.querySelector('igepay-button') as IgepayButton;
      await settled(inside);
      expect(part(inside, 'button').textContent?.trim()).to.equal('Pay ¥1.00');
      // Its own lang comes first.
      inside.setAttribute('lang', 'zh-CN');
      await inside.updateComplete;
      expect(part(inside, 'button').textContent?.trim()).to.equal('支付 ¥1.00');
      // No lang anywhere: the browser's first Chinese or English language.
      const html_ = document.documentElement;
      const pageLang = html_.getAttribute('lang');
      html_.removeAttribute('lang');
      const languages = Object.getOwnPropertyDescriptor(Navigator.prototype, 'languages');
      Object.defineProperty(navigator, 'languages', {
        value: ['fr-FR', 'en-GB', 'zh-CN'],
        configurable: true,
      });
      try {
        const bare = await fixture<IgepayButton>(html`<igepay-button price="1.00"></igepay-button>`);
        await settled(bare);
        expect(part(bare, 'button').textContent?.trim()).to.equal('Pay ¥1.00');
      } finally {
        delete (navigator as { languages?: unknown }).languages;
        if (languages) expect(navigator.languages).to.not.deep.equal(['fr-FR', 'en-GB', 'zh-CN']);
        if (pageLang !== null) html_.setAttribute('lang', pageLang);
      }
    });

    it('falls back to redirect when the popup is blocked: the page itself posts the form, and remembers the order', async () => {
      world.blockPopups = true;
      const el = await fixture<IgepayButton>(html`<igepay-button product="mug"></igepay-button>`);
      await settled(el);
      part(el, 'button').click();
      await until(() => world.forms.length === 1);
      expect(world.forms[0]?.target).to.equal('_self');
      expect(world.bodies[0]).to.deep.equal({ channel: 'wechat', product: 'mug', return_to: location.href });
      const saved = Object.keys(localStorage).filter((key) => key.startsWith('igepay-pending:'));
      expect(saved).to.have.length(1);
      const kept = JSON.parse(localStorage.getItem(saved[0] ?? '') ?? '{}');
      expect(kept).to.include({
        order_id: 'O-1',
        client_secret: 'cs_secret',
        price: '12.30',
        channel: 'wechat',
      });
      // The signed form, to post again ("continue paying") after the trip.
      expect(kept.gateway.fields).to.deep.equal(world.forms[0]?.fields);
    });

    it('redirect mode never opens a window', async () => {
      const el = await fixture<IgepayButton>(
        html`<igepay-button product="vip" mode="redirect"></igepay-button>`,
      );
      await settled(el);
      part(el, 'button').click();
      await until(() => world.forms.length === 1);
      expect(world.log).to.not.include('open');
      expect(world.forms[0]?.target).to.equal('_self');
    });
  });

  describe('the verified status', () => {
    it('long-polls one request at a time until paid, closes the popup, fires igepay-paid once', async () => {
      const el = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
      await settled(el);
      const seen = events(el);
      world.statuses.push({ status: 200, body: view('pending') }, { status: 200, body: view('pending') });
      part(el, 'button').click();
      await until(() => world.statusRequests.length === 2);
      world.statuses.push({ status: 200, body: view('paid') }, { status: 200, body: view('paid') });
      await until(() => seen.some((e) => e.type === 'igepay-paid'));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(world.maxStatusInFlight).to.equal(1);
      expect(world.statusRequests[0]).to.contain('client_secret=cs_secret&wait=25');
      expect(seen.filter((e) => e.type === 'igepay-paid')).to.deep.equal([
        { type: 'igepay-paid', detail: { order_id: 'O-1', price: '10.00', channel: 'wechat' } },
      ]);
      await el.updateComplete;
      expect(statusText(el)).to.equal('✓ 支付成功 ¥10.00');
      // The window gets a moment to reach the return page (which closes itself), then goes.
      expect(world.popups[0]?.closed).to.equal(false);
      await until(() => world.popups[0]?.closed === true, 7000);
      expect(part(el, 'status').classList.contains('paid')).to.equal(true);
      expect(hasPart(el, 'button')).to.equal(false);
    });

    it('back from igepay in redirect mode: confirms first, offers nothing to pay, then shows the receipt in view', async () => {
      const slot = `igepay-pending:${location.origin}|vip`;
      localStorage.setItem(slot, JSON.stringify({ ...pendingOrder(), via: 'redirect' }));
      // A phone's page, far above the element, as igepay sends the buyer back.
      const spacer = document.createElement('div');
      spacer.style.height = '3000px';
      document.body.append(spacer);
      const el = document.createElement('igepay-button');
      const seen = events(el);
      el.product = 'vip';
      document.body.append(el);
      try {
        await el.updateComplete;
        // The return page's words: nothing here invites a second payment.
        expect(statusText(el)).to.equal('请勿重复付款。如已付款，结果会显示在这里。');
        expect(part(el, 'button').textContent?.trim()).to.equal('正在确认支付…');
        expect((part(el, 'button') as HTMLButtonElement).disabled).to.equal(true);
        expect(part(el, 'button').getAttribute('aria-busy')).to.equal('true');
        expect(hasPart(el, 'start-over')).to.equal(false);
        world.statuses.push({ status: 200, body: view('paid') });
        await until(() => seen.some((e) => e.type === 'igepay-paid'));
        await el.updateComplete;
        expect(statusText(el)).to.equal('✓ 支付成功 ¥10.00');
        // In view (the test frame may be smaller than the element: at least part of it).
        await until(
          () => el.getBoundingClientRect().top < innerHeight && el.getBoundingClientRect().bottom > 0,
        );
        // The receipt is kept for a reload.
        expect(JSON.parse(localStorage.getItem(slot) ?? '{}')).to.include({ order_id: 'O-1', ended: 'paid' });
      } finally {
        el.remove();
        spacer.remove();
        scrollTo(0, 0);
      }
    });

    it('back from igepay, still unpaid after a whole wait: not paid yet, continue or start over', async () => {
      localStorage.setItem(
        `igepay-pending:${location.origin}|vip`,
        JSON.stringify({ ...pendingOrder(), via: 'redirect' }),
      );
      world.statuses.push({ status: 200, body: view('pending') });
      const el = await fixture<IgepayButton>(html`<igepay-button product="vip" lang="en"></igepay-button>`);
      await until(() => statusText(el).startsWith('¥10.00 by WeChat Pay is not paid yet'));
      expect(statusText(el)).to.equal(
        '¥10.00 by WeChat Pay is not paid yet. If you paid, it will show here.',
      );
      expect(part(el, 'button').textContent?.trim()).to.equal('Continue paying ¥10.00');
      expect(hasPart(el, 'start-over')).to.equal(true);
    });

    it('shows a receipt again after a reload, until the buyer pays again', async () => {
      const first = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
      await settled(first);
      world.statuses.push({ status: 200, body: { ...view('paid'), paid_at: new Date().toISOString() } });
      part(first, 'button').click();
      await until(() => hasPart(first, 'receipt'));
      first.remove();
      const again = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
      const seen = events(again);
      await until(() => hasPart(again, 'receipt'));
      expect(statusText(again)).to.equal('✓ 支付成功 ¥10.00');
      // Announced once, by the page that saw it paid.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(seen).to.deep.equal([]);
      part(again, 'again').click();
      await again.updateComplete;
      expect(part(again, 'button').textContent?.trim()).to.equal('支付 ¥10.00');
      expect(localStorage.length).to.equal(0);
    });

    it('forgets a receipt a day old', async () => {
      const paid = { ...view('paid'), paid_at: new Date(Date.now() - 25 * 3600_000).toISOString() };
      localStorage.setItem(
        `igepay-pending:${location.origin}|vip`,
        JSON.stringify({ ...pendingOrder(), ended: 'paid', view: paid }),
      );
      const el = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
      await settled(el);
      expect(hasPart(el, 'receipt')).to.equal(false);
      expect(localStorage.length).to.equal(0);
    });

    it("shows a paid order as a receipt, in place of the inputs, in the buyer's language", async () => {
      const el = await fixture<IgepayButton>(html`<igepay-button product="vip" lang="en"></igepay-button>`);
      await settled(el);
      world.statuses.push({
        status: 200,
        body: { ...view('paid', '1288.00', 'alipay'), order_name: 'VIP会员' },
      });
      part(el, 'button').click();
      await until(() => hasPart(el, 'receipt'));
      const rows = [...part(el, 'receipt').querySelectorAll('dt')].map((dt) => [
        dt.textContent,
        dt.nextElementSibling?.textContent,
      ]);
      expect(rows).to.deep.equal([
        ['Item', 'VIP会员'],
        ['Amount', '¥1,288.00'],
        ['Payment method', 'Alipay'],
        ['Order number', 'O-1'],
        [
          'Paid at',
          new Date('2026-11-26T00:01:00.000Z').toLocaleString('en', {
            dateStyle: 'medium',
            timeStyle: 'short',
          }),
        ],
      ]);
      expect(statusText(el)).to.equal('✓ Paid ¥1,288.00');
      for (const gone of ['button', 'channels', 'amount', 'amount-input'])
        expect(hasPart(el, gone)).to.equal(false);
      // The status (the live region) comes first, above the receipt.
      const foot = part(el, 'status').parentElement as HTMLElement;
      expect(foot.getBoundingClientRect().top).to.be.below(part(el, 'receipt').getBoundingClientRect().top);
    });

    it('keeps a popup order across a reload: the new page follows it and shows it paid, once', async () => {
      const first = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
      await settled(first);
      part(first, 'button').click();
      await until(() => world.forms.length === 1);
      // The page goes away (a reload) while the buyer is still in the payment window.
      first.remove();
      world.statuses.push({ status: 200, body: view('pending') });
      const again = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
      const seen = events(again);
      await until(() => statusText(again).startsWith('¥10.00（微信支付）待支付'));
      // A new order is not on offer: the pay button continues this one, or the buyer starts over.
      expect(part(again, 'button').textContent?.trim()).to.equal('继续支付 ¥10.00');
      expect(hasPart(again, 'start-over')).to.equal(true);
      world.statuses.push({ status: 200, body: view('paid') });
      await until(() => seen.some((e) => e.type === 'igepay-paid'));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(seen.filter((e) => e.type === 'igepay-paid')).to.have.length(1);
      expect(world.bodies).to.have.length(1);
      expect(statusText(again)).to.equal('✓ 支付成功 ¥10.00');
    });

    it('keeps following its order when the page moves it (a framework re-parenting it)', async () => {
      const el = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
      await settled(el);
      const seen = events(el);
      part(el, 'button').click();
      await until(() => world.statusRequests.length === 1);
      // Moved: disconnected (the long poll stops) and connected again elsewhere.
      const elsewhere = document.createElement('div');
      document.body.append(elsewhere);
      elsewhere.append(el);
      world.statuses.push({ status: 200, body: view('paid') });
      await until(() => seen.some((e) => e.type === 'igepay-paid'));
      expect(statusText(el)).to.equal('✓ 支付成功 ¥10.00');
      elsewhere.remove();
    });

    it('shows the same pending order in another tab of the page, which may continue it', async () => {
      localStorage.setItem(`igepay-pending:${location.origin}|vip`, JSON.stringify(pendingOrder()));
      const el = await fixture<IgepayButton>(html`<igepay-button product="vip" lang="en"></igepay-button>`);
      await until(() => statusText(el).startsWith('¥10.00 by WeChat Pay is not paid yet'));
      part(el, 'button').click();
      // The same signed form, into the order's window: igepay shows the same payment.
      expect(world.log.slice(-2)).to.deep.equal(['open', 'submit popup 0 _self']);
      expect(world.forms[0]?.fields).to.deep.equal(pendingOrder().gateway.fields);
      expect(world.bodies).to.have.length(0);
      await el.updateComplete;
      expect(statusText(el)).to.contain('Finish paying in the new window');
    });

    it('continues in the window an earlier page opened, which Chromium and Firefox find by its name', async () => {
      localStorage.setItem(`igepay-pending:${location.origin}|vip`, JSON.stringify(pendingOrder()));
      world.earlierWindow = `igepay-${location.origin}|vip`;
      const el = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
      await until(() => statusText(el).includes('待支付'));
      part(el, 'button').click();
      // It shows igepay's page: this page may not write in it, only post to its name.
      expect(world.log.slice(-2)).to.deep.equal(['open', `submit page igepay-${location.origin}|vip`]);
      expect(world.popups).to.have.length(1);
      expect(world.forms[0]?.fields).to.deep.equal(pendingOrder().gateway.fields);
    });

    it('keeps waiting through network errors (backing off), then shows paid', async () => {
      const el = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
      await settled(el);
      world.statuses.push('network-error', { status: 200, body: view('paid') });
      part(el, 'button').click();
      await until(() => statusText(el).startsWith('✓'), 6000);
      expect(world.statusRequests).to.have.length(2);
    });

    it('waits as long as a busy server asks (Retry-After) before asking again', async () => {
      const el = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
      await settled(el);
      const busy = { code: 5031, msg: 'busy' };
      world.statuses.push(
        { status: 503, body: busy, headers: { 'retry-after': '2' } },
        { status: 200, body: view('paid') },
      );
      part(el, 'button').click();
      await until(() => world.statusRequests.length === 1);
      // Its own backoff would have asked again within 1.5 s.
      await new Promise((resolve) => setTimeout(resolve, 1700));
      expect(world.statusRequests).to.have.length(1);
      await until(() => statusText(el).startsWith('✓'), 6000);
      expect(world.statusRequests).to.have.length(2);
    });

    it('pauses while the tab is hidden', async () => {
      const el = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
      await settled(el);
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      try {
        part(el, 'button').click();
        await until(() => world.forms.length === 1);
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(world.statusRequests).to.have.length(0);
      } finally {
        delete (document as { visibilityState?: string }).visibilityState;
      }
      world.statuses.push({ status: 200, body: view('paid') });
      document.dispatchEvent(new Event('visibilitychange'));
      await until(() => statusText(el).startsWith('✓'));
    });

    it('closes the popup at once when the payment failed (nothing can be paid in it any more)', async () => {
      const el = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
      await settled(el);
      world.statuses.push({ status: 200, body: view('failed') });
      part(el, 'button').click();
      await until(() => statusText(el).includes('支付未成功'));
      await until(() => world.popups[0]?.closed === true, 500);
    });

    it('after the expiry, keeps listening for a late payment, which shows paid, also after a reload', async () => {
      const el = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
      await settled(el);
      const seen = events(el);
      const late = { ...view('expired'), late_until: new Date(Date.now() + 60_000).toISOString() };
      world.statuses.push({ status: 200, body: late });
      part(el, 'button').click();
      await until(() => statusText(el).startsWith('订单已过期'));
      expect(statusText(el)).to.equal('订单已过期，未支付。如已付款，结果会显示在这里。');
      expect(seen.map((e) => [e.type, (e.detail as { code?: number }).code])).to.deep.equal([
        ['igepay-order', undefined],
        ['igepay-error', 4100],
      ]);
      // igepay's page says for itself whether it can still be paid: the window stays.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(world.popups[0]?.closed).to.equal(false);
      // A fresh start is on offer meanwhile.
      expect(part(el, 'button').textContent?.trim()).to.equal('支付 ¥10.00');
      // The page goes away and comes back: the same words, still listening.
      const requests = world.statusRequests.length;
      el.remove();
      world.statuses.push({ status: 200, body: late });
      const again = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
      const heard = events(again);
      await until(() => world.statusRequests.length > requests + 1);
      expect(statusText(again)).to.equal('订单已过期，未支付。如已付款，结果会显示在这里。');
      world.statuses.push({ status: 200, body: { ...view('paid'), late: true } });
      await until(() => hasPart(again, 'receipt'));
      expect(statusText(again)).to.equal('✓ 支付成功 ¥10.00');
      expect(heard.map((e) => e.type)).to.deep.equal(['igepay-paid']);
    });

    it('stops listening, and forgets the order, once a late payment is no longer awaited', async () => {
      const el = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
      await settled(el);
      world.statuses.push({ status: 200, body: view('expired') });
      part(el, 'button').click();
      await until(() => statusText(el).startsWith('订单已过期'));
      expect(statusText(el)).to.equal('订单已过期，未支付。');
      const requests = world.statusRequests.length;
      await new Promise((resolve) => setTimeout(resolve, 1200));
      expect(world.statusRequests).to.have.length(requests);
      expect(localStorage.length).to.equal(0);
    });

    it('the buyer closes the payment window: a fresh start, while a payment made anyway still shows', async () => {
      const el = await fixture<IgepayButton>(
        html`<igepay-button price="68" channel="alipay" lang="en"></igepay-button>`,
      );
      await el.updateComplete;
      const seen = events(el);
      part(el, 'button').click();
      await until(() => world.forms.length === 1);
      await el.updateComplete;
      // While the window is open, the button continues this order; a second one is not on offer.
      expect(part(el, 'button').textContent?.trim()).to.equal('Continue paying ¥68.00');
      part(el, 'button').click();
      expect(world.popups[0]?.focused).to.equal(1);
      expect(world.forms).to.have.length(1);
      world.popups[0]?.close();
      await until(() => statusText(el).startsWith('The payment window was closed'), 3000);
      expect(statusText(el)).to.equal(
        'The payment window was closed unpaid. If you paid, it will show here.',
      );
      expect(seen.map((e) => e.type)).to.deep.equal(['igepay-order', 'igepay-cancel']);
      // Nothing offers to continue a payment igepay may have cancelled: the methods are free, and
      // the pay button makes a new order.
      expect(part(el, 'button').textContent?.trim()).to.equal('Pay ¥68.00');
      expect(hasPart(el, 'start-over')).to.equal(false);
      expect(el.shadowRoot?.querySelector('input[type="radio"]:disabled')).to.equal(null);
      // A code scanned on a phone before the window closed still pays this order.
      const requests = world.statusRequests.length;
      world.statuses.push({ status: 200, body: view('pending', '68.00', 'alipay') });
      await until(() => world.statusRequests.length > requests);
      world.statuses.push({ status: 200, body: view('paid', '68.00', 'alipay') });
      await until(() => hasPart(el, 'receipt'));
      expect(seen.map((e) => e.type)).to.deep.equal(['igepay-order', 'igepay-cancel', 'igepay-paid']);
    });

    it('cancel, then the other method: one new order, in one window, and the first is let go', async () => {
      const el = await fixture<IgepayButton>(html`<igepay-button price="68" lang="en"></igepay-button>`);
      await el.updateComplete;
      const seen = events(el);
      part(el, 'button').click();
      await until(() => world.forms.length === 1);
      world.popups[0]?.close();
      await until(() => statusText(el).startsWith('The payment window was closed'), 3000);
      part(el, 'channel-alipay').querySelector('input')?.click();
      await el.updateComplete;
      part(el, 'button').click();
      await until(() => world.forms.length === 2);
      expect(world.bodies).to.deep.equal([
        { channel: 'wechat', price: '68' },
        { channel: 'alipay', price: '68' },
      ]);
      expect(world.popups.filter((p) => !p.closed)).to.have.length(1);
      expect(world.forms[1]).to.include({ from: 1, target: '_self' });
      // Only the new order is followed: once its long poll is out, it is the one held, and stays so.
      await until(() => world.statusInFlight === 1);
      const before = world.statusRequests.length;
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(world.statusInFlight).to.equal(1);
      expect(world.statusRequests.length).to.equal(before);
      expect(seen.map((e) => e.type)).to.deep.equal(['igepay-order', 'igepay-cancel', 'igepay-order']);
    });

    it('start over, from a pending order: nothing followed or kept, and only the next click makes an order', async () => {
      localStorage.setItem(`igepay-pending:${location.origin}|vip`, JSON.stringify(pendingOrder()));
      const el = await fixture<IgepayButton>(html`<igepay-button product="vip" lang="en"></igepay-button>`);
      const seen = events(el);
      await until(() => hasPart(el, 'start-over'));
      part(el, 'start-over').click();
      await el.updateComplete;
      expect(seen).to.deep.equal([{ type: 'igepay-cancel', detail: { order_id: 'O-1' } }]);
      expect(part(el, 'button').textContent?.trim()).to.equal('Pay ¥10.00');
      expect(hasPart(el, 'start-over')).to.equal(false);
      expect(localStorage.length).to.equal(0);
      const before = world.statusRequests.length;
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(world.statusRequests.length).to.equal(before);
      expect(world.bodies).to.have.length(0);
      part(el, 'button').click();
      await until(() => world.bodies.length === 1);
    });

    it('shows the button busy while the order is being made, and keeps its height through every state', async () => {
      world.checkout = [{ status: 201, body: checkoutReply({ channel: 'wechat', product: 'vip' }) }];
      const el = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
      await settled(el);
      const height = el.getBoundingClientRect().height;
      part(el, 'button').click();
      await el.updateComplete;
      expect(part(el, 'button').getAttribute('aria-busy')).to.equal('true');
      expect(el.getBoundingClientRect().height).to.equal(height);
      await until(() => world.forms.length === 1);
      await el.updateComplete;
      expect(part(el, 'button').hasAttribute('aria-busy')).to.equal(false);
      expect(el.getBoundingClientRect().height).to.equal(height);
      world.popups[0]?.close();
      await until(() => statusText(el).startsWith('支付窗口已关闭'), 3000);
      expect(el.getBoundingClientRect().height).to.equal(height);
      world.statuses.push({ status: 200, body: view('failed') });
      await until(() => statusText(el).startsWith('支付未成功'));
      expect(el.getBoundingClientRect().height).to.equal(height);
      // Back from igepay, being confirmed: the busy button, the same height.
      el.remove();
      localStorage.setItem(
        `igepay-pending:${location.origin}|vip`,
        JSON.stringify({ ...pendingOrder(), via: 'redirect' }),
      );
      const back = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
      await until(() => statusText(back).startsWith('请勿重复付款'));
      await settled(back);
      expect(back.getBoundingClientRect().height).to.equal(height);
    });

    it("asks the simulated cashier for the element's language (never a live gateway)", async () => {
      const sandbox = checkoutReply({ channel: 'wechat', product: 'vip' });
      world.checkout = [{ status: 201, body: { ...sandbox, sandbox: true } }];
      const el = await fixture<IgepayButton>(
        html`<igepay-button product="vip" lang="en-GB"></igepay-button>`,
      );
      await settled(el);
      part(el, 'button').click();
      await until(() => world.forms.length === 1);
      expect(world.forms[0]?.action).to.equal('https://gateway.example/Home/Pay/payFor?lang=en');
      world.checkout = [];
      part(el, 'start-over').click();
      await el.updateComplete;
      part(el, 'button').click();
      await until(() => world.forms.length === 2);
      expect(world.forms[1]?.action).to.equal('https://gateway.example/Home/Pay/payFor');
    });
  });

  describe('errors', () => {
    // The buyer reads the element's language; the server's English goes to the event's
    // serverMessage and the console, for the developer.
    const cases: Array<[string, () => void, number, RegExp, string?]> = [
      [
        'a refused amount',
        () =>
          world.checkout.push({
            status: 400,
            body: { code: 4006, msg: 'The amount must be from 1.00 to 2.00.' },
          }),
        4006,
        /暂时无法购买/,
        'The amount must be from 1.00 to 2.00.',
      ],
      [
        "a refusal of the shop's set-up",
        () =>
          world.checkout.push({
            status: 400,
            body: {
              code: 4001,
              msg: 'return_to must be a page on an allowed origin (IGEPAY_ALLOWED_ORIGINS).',
            },
          }),
        4001,
        /暂时无法购买/,
        'return_to must be a page on an allowed origin (IGEPAY_ALLOWED_ORIGINS).',
      ],
      [
        'too many checkouts',
        () => world.checkout.push({ status: 429, body: { code: 4290, msg: 'Too many' } }),
        4290,
        /支付服务繁忙/,
        'Too many',
      ],
      [
        'a server that is down',
        () =>
          world.checkout.push({
            status: 503,
            body: { code: 5030, msg: 'The service is temporarily unavailable' },
          }),
        5030,
        /支付服务繁忙/,
        'The service is temporarily unavailable',
      ],
      ['an unreachable server', () => world.checkout.push('network-error'), 0, /无法连接支付服务/],
      [
        'a failed payment',
        () => world.statuses.push({ status: 200, body: view('failed') }),
        4020,
        /支付未成功/,
      ],
      [
        'an expired order',
        () => world.statuses.push({ status: 200, body: view('expired') }),
        4100,
        /订单已过期/,
      ],
      [
        'an order the server does not know',
        () => world.statuses.push({ status: 404, body: { code: 4040, msg: 'Order not found' } }),
        4040,
        /暂时无法购买/,
        'Order not found',
      ],
    ];
    for (const [name, arrange, code, message, serverMessage] of cases) {
      it(`shows ${name} in the buyer's language, fires igepay-error, and has one way forward: pay again`, async () => {
        const el = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
        await settled(el);
        const seen = events(el);
        const warned: string[] = [];
        const warn = console.warn;
        console.warn = (...args: unknown[]) => warned.push(args.join(' '));
        try {
          arrange();
          part(el, 'button').click();
          await until(() => seen.some((e) => e.type === 'igepay-error'));
          await el.updateComplete;
        } finally {
          console.warn = warn;
        }
        const error = seen.find((e) => e.type === 'igepay-error')?.detail as {
          code: number;
          message: string;
          serverMessage?: string;
        };
        expect(error.code).to.equal(code);
        expect(error.message).to.match(message);
        expect(error.serverMessage).to.equal(serverMessage);
        expect(statusText(el)).to.match(message);
        // No English reaches a zh-CN buyer; the developer finds the server's words in the console.
        expect(statusText(el)).not.to.match(/[A-Za-z]{4,}/);
        if (serverMessage) expect(warned.join('\n')).to.contain(serverMessage);
        expect(part(el, 'status').classList.contains('bad')).to.equal(true);
        // One button, the pay button, and it makes a new order.
        expect(el.shadowRoot?.querySelectorAll('button')).to.have.length(1);
        expect(el.shadowRoot?.querySelector('input[type="radio"]:disabled')).to.equal(null);
        world.checkout = [];
        const before = world.bodies.length;
        part(el, 'button').click();
        // Until its window has igepay's page: no order of this test is still on its way after it.
        await until(() => world.bodies.length === before + 1 && world.forms.length === 1);
      });
    }

    it('taken out of the page while its order is being made, follows it only once put back', async () => {
      let release = () => {};
      world.checkoutHeld = new Promise((resolve) => {
        release = resolve;
      });
      const el = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
      await settled(el);
      const parent = el.parentElement as HTMLElement;
      part(el, 'button').click();
      await until(() => world.bodies.length === 1);
      el.remove();
      release();
      // The buyer's window still gets igepay's page, and the order is kept...
      await until(() => world.forms.length === 1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      // ...but nothing polls for an element no one sees (it would, unseen, for ever).
      expect(world.statusRequests).to.have.length(0);
      parent.append(el);
      await until(() => world.statusRequests.length === 1);
      await el.updateComplete;
      expect(statusText(el)).to.contain('新窗口');
    });

    it('shows an English buyer English', async () => {
      const el = await fixture<IgepayButton>(
        html`<igepay-button product="vip" lang="en" server="https://pay.example.com"></igepay-button>`,
      );
      await settled(el);
      const seen = events(el);
      world.checkout.push('network-error');
      part(el, 'button').click();
      await until(() => seen.some((e) => e.type === 'igepay-error'));
      await el.updateComplete;
      expect(statusText(el)).to.equal('Cannot reach the payment service; check your connection.');
    });

    it('never lets an exception escape', async () => {
      const el = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
      await settled(el);
      world.checkout.push({ status: 502, body: 'not json' });
      const errors: unknown[] = [];
      const onError = (event: PromiseRejectionEvent) => errors.push(event.reason);
      window.addEventListener('unhandledrejection', onError);
      part(el, 'button').click();
      await until(() => part(el, 'status').classList.contains('bad'));
      await new Promise((resolve) => setTimeout(resolve, 50));
      window.removeEventListener('unhandledrejection', onError);
      expect(errors).to.deep.equal([]);
    });
  });

  describe('a set-up that cannot take a payment, shown before the click', () => {
    /** Console warnings while `run` runs. */
    async function warnings(run: () => Promise<void>): Promise<string[]> {
      const warned: string[] = [];
      const warn = console.warn;
      console.warn = (...args: unknown[]) => warned.push(args.join(' '));
      try {
        await run();
      } finally {
        console.warn = warn;
      }
      return warned;
    }

    /** The element is shown disabled with `line`, and a click makes no order. */
    async function refuses(el: IgepayButton, line: string): Promise<void> {
      await until(() => statusText(el) === line);
      expect((part(el, 'button') as HTMLButtonElement).disabled).to.equal(true);
      expect(part(el, 'status').classList.contains('bad')).to.equal(true);
      part(el, 'button').click();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(world.bodies).to.have.length(0);
      expect(world.log).to.not.include('open');
    }

    it("says what the server makes of the element's attributes, once for two elements, and asks with them", async () => {
      const problem =
        'product="vip-year" is not in the catalog. The catalog (IGEPAY_PRODUCTS) has: vip, mug.';
      world.config = [{ status: 200, body: { ...CONFIG, problem } }];
      const server = 'https://catalog.example';
      const warned = await warnings(async () => {
        const el = await fixture<IgepayButton>(html`<div>
          <igepay-button product="vip-year" server=${server}></igepay-button>
          <igepay-button product="vip-year" server=${server}></igepay-button>
        </div>`);
        for (const button of el.querySelectorAll('igepay-button'))
          await refuses(button, '暂时无法购买，请稍后再试或联系商家。');
      });
      expect(warned).to.deep.equal([`<igepay-button>: ${server}: ${problem}`]);
      expect(world.log).to.include('fetch GET /api/config?product=vip-year');
    });

    it('asks about a price attribute too, in English for an English page', async () => {
      world.config = [
        { status: 200, body: { ...CONFIG, problem: 'This server takes catalog products only.' } },
      ];
      const el = await fixture<IgepayButton>(
        html`<igepay-button price="9.9" lang="en" server="https://shop.example"></igepay-button>`,
      );
      await refuses(el, 'This purchase cannot be made now; try later or contact the shop.');
      expect(world.log).to.include('fetch GET /api/config?price=9.9');
    });

    it('a server that cannot be reached: says so, and recovers by itself when it answers', async () => {
      world.config = ['network-error', { status: 200, body: CONFIG }];
      const warned = await warnings(async () => {
        const el = await fixture<IgepayButton>(
          html`<igepay-button product="vip" server="https://down.example"></igepay-button>`,
        );
        await refuses(el, '无法连接支付服务，请检查网络。');
        // It asks again by itself, and is ready once the server answers.
        await until(() => statusText(el) === '' && !(part(el, 'button') as HTMLButtonElement).disabled, 8000);
        expect(part(el, 'button').textContent?.trim()).to.equal('支付 ¥10.00');
      });
      expect(warned).to.deep.equal([
        '<igepay-button>: no igepay server answers at https://down.example/api/config: is it running, and is the server attribute its address?',
      ]);
    }).timeout(12_000);

    it('moved in the page while the server could not be reached: asks again at once', async () => {
      world.config = ['network-error', { status: 200, body: CONFIG }];
      await warnings(async () => {
        const el = await fixture<IgepayButton>(
          html`<igepay-button product="vip" server="https://moved.example"></igepay-button>`,
        );
        await refuses(el, '无法连接支付服务，请检查网络。');
        const elsewhere = document.createElement('div');
        document.body.append(elsewhere);
        elsewhere.append(el);
        // Well before the 5 s retry the disconnect stopped.
        await until(() => !(part(el, 'button') as HTMLButtonElement).disabled, 2000);
        elsewhere.remove();
      });
    });

    it('no server attribute, from npm: the page itself answers no igepay settings', async () => {
      world.config = [{ status: 200, body: '<!doctype html><title>My app</title>' }];
      const server = `${location.origin}/app`;
      const warned = await warnings(async () => {
        const el = await fixture<IgepayButton>(
          html`<igepay-button price="5" server=${server}></igepay-button>`,
        );
        await refuses(el, '无法连接支付服务，请检查网络。');
      });
      expect(warned.join('\n')).to.contain(
        `no igepay server answers at ${server}/api/config: is it running, and is the server attribute its address?`,
      );
    });
  });

  describe("WeChat's in-app browser", () => {
    const realAgent = navigator.userAgent;
    beforeEach(() => {
      Object.defineProperty(navigator, 'userAgent', {
        value: `${realAgent} MicroMessenger/8.0.50`,
        configurable: true,
      });
    });
    afterEach(() => {
      delete (navigator as { userAgent?: string }).userAgent;
    });

    it('says to open the page in a browser for Alipay, instead of failing', async () => {
      const el = await fixture<IgepayButton>(
        html`<igepay-button product="vip" channel="alipay"></igepay-button>`,
      );
      await settled(el);
      expect(statusText(el)).to.contain('在浏览器打开');
      expect((part(el, 'button') as HTMLButtonElement).disabled).to.equal(true);
    });

    it('pays WeChat Pay by redirect there', async () => {
      const el = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
      await settled(el);
      part(el, 'button').click();
      await until(() => world.forms.length === 1);
      expect(world.log).to.not.include('open');
      expect(world.forms[0]?.target).to.equal('_self');
    });
  });

  describe('appearance and access', () => {
    it('takes its colours from custom properties and its shapes from ::part', async () => {
      const style = document.createElement('style');
      style.textContent = `
        igepay-button.themed { --igepay-accent: rgb(1, 2, 3); --igepay-radius: 0px; }
        igepay-button.themed::part(status) { letter-spacing: 3px; }
        igepay-button.themed::part(channel) { padding: 17px; }`;
      document.head.append(style);
      try {
        const el = await fixture<IgepayButton>(
          html`<igepay-button class="themed" product="vip"></igepay-button>`,
        );
        await settled(el);
        const button = getComputedStyle(part(el, 'button'));
        expect(button.backgroundColor).to.equal('rgb(1, 2, 3)');
        expect(button.borderTopLeftRadius).to.equal('0px');
        expect(getComputedStyle(part(el, 'status')).letterSpacing).to.equal('3px');
        expect(getComputedStyle(part(el, 'channel-wechat')).paddingTop).to.equal('17px');
        // Unstyled, the pay button wears the chosen channel's colour.
        const plain = await fixture<IgepayButton>(
          html`<igepay-button product="vip" channel="alipay"></igepay-button>`,
        );
        expect(getComputedStyle(part(plain, 'button')).backgroundColor).to.equal('rgb(26, 107, 224)');
      } finally {
        style.remove();
      }
    });

    it('disables everything with the disabled attribute', async () => {
      const el = await fixture<IgepayButton>(html`<igepay-button product="vip" disabled></igepay-button>`);
      await settled(el);
      expect((part(el, 'button') as HTMLButtonElement).disabled).to.equal(true);
      for (const radio of el.shadowRoot?.querySelectorAll('input') ?? [])
        expect(radio.disabled).to.equal(true);
    });

    it('is keyboard operable: arrow keys choose the channel, the button is focusable', async () => {
      const el = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
      await settled(el);
      const radios = el.shadowRoot?.querySelectorAll<HTMLInputElement>('input[type=radio]') ?? [];
      expect(radios.length).to.equal(2);
      for (const radio of radios) expect(radio.tabIndex).to.equal(0);
      expect(part(el, 'button').tabIndex).to.equal(0);
      expect(part(el, 'status').getAttribute('aria-live')).to.equal('polite');
    });

    it('passes axe in every state: ready, open amount, creating, waiting, cancelled, paid, failed, refused', async () => {
      const open = await fixture<IgepayButton>(html`<igepay-button presets="1 2"></igepay-button>`);
      await expect(open).to.be.accessible();
      const el = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
      await settled(el);
      await expect(el).to.be.accessible();
      let answer: (reply: Response) => void = () => undefined;
      const realFetch = window.fetch;
      window.fetch = (input, init) =>
        String(input).endsWith('/api/checkout')
          ? new Promise((resolve) => (answer = resolve))
          : realFetch(input, init);
      part(el, 'button').click();
      await el.updateComplete;
      await expect(el).to.be.accessible(); // creating
      window.fetch = realFetch;
      answer(Response.json(checkoutReply({ channel: 'wechat', product: 'vip' }), { status: 201 }));
      await until(() => statusText(el).startsWith('请在新窗口'));
      await expect(el).to.be.accessible(); // waiting
      world.popups[0]?.close();
      await until(() => statusText(el).startsWith('支付窗口已关闭'), 3000);
      await expect(el).to.be.accessible(); // cancelled
      world.statuses.push({ status: 200, body: view('failed') });
      await until(() => statusText(el).startsWith('支付未成功'));
      await expect(el).to.be.accessible(); // failed
      world.statuses.push({ status: 200, body: view('paid') });
      part(el, 'button').click();
      await until(() => hasPart(el, 'receipt'));
      await expect(el).to.be.accessible(); // paid
      world.checkout.push({ status: 400, body: { code: 4006, msg: 'Out of range' } });
      const failing = await fixture<IgepayButton>(html`<igepay-button price="3"></igepay-button>`);
      part(failing, 'button').click();
      await until(() => statusText(failing).startsWith('暂时无法购买'));
      await expect(failing).to.be.accessible(); // refused
    });
  });
});
