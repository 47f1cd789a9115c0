import { expect, fixture, html } from '@open-wc/testing';
import '../src/index.js';
import type { IgepayButton } from '../src/igepay-button.js';
import { checkoutReply, until, view } from './fake-server.js';
import { freshWorldEachTest, hasPart, part, settled, statusText } from './support.js';

const worldOf = freshWorldEachTest();

describe('<igepay-button>', () => {
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
      await until(() => worldOf().forms.length === 1);
      expect(worldOf().log).to.not.include('open');
      expect(worldOf().forms[0]?.target).to.equal('_self');
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
      worldOf().popups[0]?.close();
      await until(() => statusText(el).startsWith('支付窗口已关闭'), 3000);
      await expect(el).to.be.accessible(); // cancelled
      worldOf().statuses.push({ status: 200, body: view('failed') });
      await until(() => statusText(el).startsWith('支付未成功'));
      await expect(el).to.be.accessible(); // failed
      worldOf().statuses.push({ status: 200, body: view('paid') });
      part(el, 'button').click();
      await until(() => hasPart(el, 'receipt'));
      await expect(el).to.be.accessible(); // paid
      worldOf().checkout.push({ status: 400, body: { code: 4006, msg: 'Out of range' } });
      const failing = await fixture<IgepayButton>(html`<igepay-button price="3"></igepay-button>`);
      part(failing, 'button').click();
      await until(() => statusText(failing).startsWith('暂时无法购买'));
      await expect(failing).to.be.accessible(); // refused
    });
  });
});
