import { expect, fixture, html } from '@open-wc/testing';
import '../src/index.js';
import type { IgepayButton } from '../src/igepay-button.js';
import { CONFIG, until } from './fake-server.js';
import { events, freshWorldEachTest, hasPart, part, settled, statusText } from './support.js';

const worldOf = freshWorldEachTest();

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
      const calls = worldOf().log.filter((line) => line !== 'fetch GET /api/config');
      expect(calls[0]).to.equal('open');
      expect(calls.slice(1)).to.deep.equal(['fetch POST /api/checkout']);
      await until(() => worldOf().forms.length === 1);
      expect(worldOf().bodies).to.deep.equal([{ channel: 'alipay', product: 'vip' }]);
      const [form] = worldOf().forms;
      expect(form?.action).to.equal('https://gateway.example/Home/Pay/payFor');
      expect(form?.method).to.equal('post');
      expect(form?.acceptCharset).to.equal('utf-8');
      // Posted from inside the window's own blank document: no engine has to find the window by
      // its name, which WebKit no longer does once its opener is cut.
      expect(form?.from).to.equal(0);
      expect(form?.target).to.equal('_self');
      expect(worldOf().log).to.not.include(`submit page igepay-${location.origin}|vip (lost)`);
      expect(worldOf().popups).to.have.length(1);
      expect(worldOf().popups[0]?.name).to.equal(`igepay-${location.origin}|vip`);
      expect(form?.fields).to.include({ order_id: 'O-1', price: '10.00', type: '2', key: 'a'.repeat(32) });
      // The pay page cannot reach back into this page.
      expect(worldOf().popups[0]?.opener).to.equal(null);
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
      await until(() => worldOf().bodies.length === 1);
      // As the page wrote it: the server signs it exactly 2 decimals.
      expect(worldOf().bodies[0]).to.deep.equal({
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
      expect(worldOf().bodies).to.deep.equal([]);

      const presets = el.shadowRoot?.querySelectorAll<HTMLButtonElement>('[part="preset"]') ?? [];
      expect([...presets].map((p) => p.textContent)).to.deep.equal(['¥6.66', '¥18.80']);
      presets[1]?.click();
      await el.updateComplete;
      expect(part(el, 'button').textContent?.trim()).to.equal('支付 ¥18.80');
      part(el, 'button').click();
      await until(() => worldOf().bodies.length === 1);
      expect(worldOf().bodies[0]).to.deep.equal({ channel: 'wechat', price: '18.80' });
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
      expect(worldOf().bodies).to.deep.equal([]);
      // Within the test server's bounds (at most 500.00), and paid with Enter.
      expect(await typed(' ８８，８ 元')).to.equal('支付 ¥88.80');
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
      await until(() => worldOf().bodies.length === 1);
      expect(worldOf().bodies[0]).to.deep.equal({ channel: 'wechat', price: '88.80' });
      // A second Enter while that checkout is under way starts nothing.
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(worldOf().bodies).to.have.length(1);
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
      await until(() => worldOf().bodies.length === 1);
      expect(worldOf().bodies[0]).to.deep.equal({ channel: 'alipay', price: '6.66' });
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
      worldOf().blockPopups = true;
      const el = await fixture<IgepayButton>(html`<igepay-button product="mug"></igepay-button>`);
      await settled(el);
      part(el, 'button').click();
      await until(() => worldOf().forms.length === 1);
      expect(worldOf().forms[0]?.target).to.equal('_self');
      expect(worldOf().bodies[0]).to.deep.equal({
        channel: 'wechat',
        product: 'mug',
        return_to: location.href,
      });
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
      expect(kept.gateway.fields).to.deep.equal(worldOf().forms[0]?.fields);
    });

    it('redirect mode never opens a window', async () => {
      const el = await fixture<IgepayButton>(
        html`<igepay-button product="vip" mode="redirect"></igepay-button>`,
      );
      await settled(el);
      part(el, 'button').click();
      await until(() => worldOf().forms.length === 1);
      expect(worldOf().log).to.not.include('open');
      expect(worldOf().forms[0]?.target).to.equal('_self');
    });
  });
});
