import { expect, fixture, html } from '@open-wc/testing';
import '../src/index.js';
import type { IgepayButton } from '../src/igepay-button.js';
import { checkoutReply, pendingOrder, until, view } from './fake-server.js';
import { events, freshWorldEachTest, hasPart, part, settled, statusText } from './support.js';

const worldOf = freshWorldEachTest();

describe('<igepay-button>', () => {
  describe('the verified status', () => {
    it('long-polls one request at a time until paid, closes the popup, fires igepay-paid once', async () => {
      const el = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
      await settled(el);
      const seen = events(el);
      worldOf().statuses.push({ status: 200, body: view('pending') }, { status: 200, body: view('pending') });
      part(el, 'button').click();
      await until(() => worldOf().statusRequests.length === 2);
      worldOf().statuses.push({ status: 200, body: view('paid') }, { status: 200, body: view('paid') });
      await until(() => seen.some((e) => e.type === 'igepay-paid'));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(worldOf().maxStatusInFlight).to.equal(1);
      expect(worldOf().statusRequests[0]).to.contain('client_secret=cs_secret&wait=25');
      expect(seen.filter((e) => e.type === 'igepay-paid')).to.deep.equal([
        { type: 'igepay-paid', detail: { order_id: 'O-1', price: '10.00', channel: 'wechat' } },
      ]);
      await el.updateComplete;
      expect(statusText(el)).to.equal('✓ 支付成功 ¥10.00');
      // The window gets a moment to reach the return page (which closes itself), then goes.
      expect(worldOf().popups[0]?.closed).to.equal(false);
      await until(() => worldOf().popups[0]?.closed === true, 7000);
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
        worldOf().statuses.push({ status: 200, body: view('paid') });
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
      worldOf().statuses.push({ status: 200, body: view('pending') });
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
      worldOf().statuses.push({ status: 200, body: { ...view('paid'), paid_at: new Date().toISOString() } });
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
      worldOf().statuses.push({
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
      await until(() => worldOf().forms.length === 1);
      // The page goes away (a reload) while the buyer is still in the payment window.
      first.remove();
      worldOf().statuses.push({ status: 200, body: view('pending') });
      const again = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
      const seen = events(again);
      await until(() => statusText(again).startsWith('¥10.00（微信支付）待支付'));
      // A new order is not on offer: the pay button continues this one, or the buyer starts over.
      expect(part(again, 'button').textContent?.trim()).to.equal('继续支付 ¥10.00');
      expect(hasPart(again, 'start-over')).to.equal(true);
      worldOf().statuses.push({ status: 200, body: view('paid') });
      await until(() => seen.some((e) => e.type === 'igepay-paid'));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(seen.filter((e) => e.type === 'igepay-paid')).to.have.length(1);
      expect(worldOf().bodies).to.have.length(1);
      expect(statusText(again)).to.equal('✓ 支付成功 ¥10.00');
    });

    it('keeps following its order when the page moves it (a framework re-parenting it)', async () => {
      const el = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
      await settled(el);
      const seen = events(el);
      part(el, 'button').click();
      await until(() => worldOf().statusRequests.length === 1);
      // Moved: disconnected (the long poll stops) and connected again elsewhere.
      const elsewhere = document.createElement('div');
      document.body.append(elsewhere);
      elsewhere.append(el);
      worldOf().statuses.push({ status: 200, body: view('paid') });
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
      expect(worldOf().log.slice(-2)).to.deep.equal(['open', 'submit popup 0 _self']);
      expect(worldOf().forms[0]?.fields).to.deep.equal(pendingOrder().gateway.fields);
      expect(worldOf().bodies).to.have.length(0);
      await el.updateComplete;
      expect(statusText(el)).to.contain('Finish paying in the new window');
    });

    it('continues in the window an earlier page opened, which Chromium and Firefox find by its name', async () => {
      localStorage.setItem(`igepay-pending:${location.origin}|vip`, JSON.stringify(pendingOrder()));
      worldOf().earlierWindow = `igepay-${location.origin}|vip`;
      const el = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
      await until(() => statusText(el).includes('待支付'));
      part(el, 'button').click();
      // It shows igepay's page: this page may not write in it, only post to its name.
      expect(worldOf().log.slice(-2)).to.deep.equal(['open', `submit page igepay-${location.origin}|vip`]);
      expect(worldOf().popups).to.have.length(1);
      expect(worldOf().forms[0]?.fields).to.deep.equal(pendingOrder().gateway.fields);
    });

    it('keeps waiting through network errors (backing off), then shows paid', async () => {
      const el = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
      await settled(el);
      worldOf().statuses.push('network-error', { status: 200, body: view('paid') });
      part(el, 'button').click();
      await until(() => statusText(el).startsWith('✓'), 6000);
      expect(worldOf().statusRequests).to.have.length(2);
    });

    it('waits as long as a busy server asks (Retry-After) before asking again', async () => {
      const el = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
      await settled(el);
      const busy = { code: 5031, msg: 'busy' };
      worldOf().statuses.push(
        { status: 503, body: busy, headers: { 'retry-after': '2' } },
        { status: 200, body: view('paid') },
      );
      part(el, 'button').click();
      await until(() => worldOf().statusRequests.length === 1);
      // Its own backoff would have asked again within 1.5 s.
      await new Promise((resolve) => setTimeout(resolve, 1700));
      expect(worldOf().statusRequests).to.have.length(1);
      await until(() => statusText(el).startsWith('✓'), 6000);
      expect(worldOf().statusRequests).to.have.length(2);
    });

    it('pauses while the tab is hidden', async () => {
      const el = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
      await settled(el);
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      try {
        part(el, 'button').click();
        await until(() => worldOf().forms.length === 1);
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(worldOf().statusRequests).to.have.length(0);
      } finally {
        delete (document as { visibilityState?: string }).visibilityState;
      }
      worldOf().statuses.push({ status: 200, body: view('paid') });
      document.dispatchEvent(new Event('visibilitychange'));
      await until(() => statusText(el).startsWith('✓'));
    });

    it('closes the popup at once when the payment failed (nothing can be paid in it any more)', async () => {
      const el = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
      await settled(el);
      worldOf().statuses.push({ status: 200, body: view('failed') });
      part(el, 'button').click();
      await until(() => statusText(el).includes('支付未成功'));
      await until(() => worldOf().popups[0]?.closed === true, 500);
    });

    it('after the expiry, keeps listening for a late payment, which shows paid, also after a reload', async () => {
      const el = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
      await settled(el);
      const seen = events(el);
      const late = { ...view('expired'), late_until: new Date(Date.now() + 60_000).toISOString() };
      worldOf().statuses.push({ status: 200, body: late });
      part(el, 'button').click();
      await until(() => statusText(el).startsWith('订单已过期'));
      expect(statusText(el)).to.equal('订单已过期，未支付。如已付款，结果会显示在这里。');
      expect(seen.map((e) => [e.type, (e.detail as { code?: number }).code])).to.deep.equal([
        ['igepay-order', undefined],
        ['igepay-error', 4100],
      ]);
      // igepay's page says for itself whether it can still be paid: the window stays.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(worldOf().popups[0]?.closed).to.equal(false);
      // A fresh start is on offer meanwhile.
      expect(part(el, 'button').textContent?.trim()).to.equal('支付 ¥10.00');
      // The page goes away and comes back: the same words, still listening.
      const requests = worldOf().statusRequests.length;
      el.remove();
      worldOf().statuses.push({ status: 200, body: late });
      const again = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
      const heard = events(again);
      await until(() => worldOf().statusRequests.length > requests + 1);
      expect(statusText(again)).to.equal('订单已过期，未支付。如已付款，结果会显示在这里。');
      worldOf().statuses.push({ status: 200, body: { ...view('paid'), late: true } });
      await until(() => hasPart(again, 'receipt'));
      expect(statusText(again)).to.equal('✓ 支付成功 ¥10.00');
      expect(heard.map((e) => e.type)).to.deep.equal(['igepay-paid']);
    });

    it('stops listening, and forgets the order, once a late payment is no longer awaited', async () => {
      const el = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
      await settled(el);
      worldOf().statuses.push({ status: 200, body: view('expired') });
      part(el, 'button').click();
      await until(() => statusText(el).startsWith('订单已过期'));
      expect(statusText(el)).to.equal('订单已过期，未支付。');
      const requests = worldOf().statusRequests.length;
      await new Promise((resolve) => setTimeout(resolve, 1200));
      expect(worldOf().statusRequests).to.have.length(requests);
      expect(localStorage.length).to.equal(0);
    });

    it('the buyer closes the payment window: a fresh start, while a payment made anyway still shows', async () => {
      const el = await fixture<IgepayButton>(
        html`<igepay-button price="68" channel="alipay" lang="en"></igepay-button>`,
      );
      await el.updateComplete;
      const seen = events(el);
      part(el, 'button').click();
      await until(() => worldOf().forms.length === 1);
      await el.updateComplete;
      // While the window is open, the button continues this order; a second one is not on offer.
      expect(part(el, 'button').textContent?.trim()).to.equal('Continue paying ¥68.00');
      part(el, 'button').click();
      expect(worldOf().popups[0]?.focused).to.equal(1);
      expect(worldOf().forms).to.have.length(1);
      worldOf().popups[0]?.close();
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
      const requests = worldOf().statusRequests.length;
      worldOf().statuses.push({ status: 200, body: view('pending', '68.00', 'alipay') });
      await until(() => worldOf().statusRequests.length > requests);
      worldOf().statuses.push({ status: 200, body: view('paid', '68.00', 'alipay') });
      await until(() => hasPart(el, 'receipt'));
      expect(seen.map((e) => e.type)).to.deep.equal(['igepay-order', 'igepay-cancel', 'igepay-paid']);
    });

    it('cancel, then the other method: one new order, in one window, and the first is let go', async () => {
      const el = await fixture<IgepayButton>(html`<igepay-button price="68" lang="en"></igepay-button>`);
      await el.updateComplete;
      const seen = events(el);
      part(el, 'button').click();
      await until(() => worldOf().forms.length === 1);
      worldOf().popups[0]?.close();
      await until(() => statusText(el).startsWith('The payment window was closed'), 3000);
      part(el, 'channel-alipay').querySelector('input')?.click();
      await el.updateComplete;
      part(el, 'button').click();
      await until(() => worldOf().forms.length === 2);
      expect(worldOf().bodies).to.deep.equal([
        { channel: 'wechat', price: '68' },
        { channel: 'alipay', price: '68' },
      ]);
      expect(worldOf().popups.filter((p) => !p.closed)).to.have.length(1);
      expect(worldOf().forms[1]).to.include({ from: 1, target: '_self' });
      // Only the new order is followed: once its long poll is out, it is the one held, and stays so.
      await until(() => worldOf().statusInFlight === 1);
      const before = worldOf().statusRequests.length;
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(worldOf().statusInFlight).to.equal(1);
      expect(worldOf().statusRequests.length).to.equal(before);
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
      const before = worldOf().statusRequests.length;
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(worldOf().statusRequests.length).to.equal(before);
      expect(worldOf().bodies).to.have.length(0);
      part(el, 'button').click();
      await until(() => worldOf().bodies.length === 1);
    });

    it('shows the button busy while the order is being made, and keeps its height through every state', async () => {
      worldOf().checkout = [{ status: 201, body: checkoutReply({ channel: 'wechat', product: 'vip' }) }];
      const el = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
      await settled(el);
      const height = el.getBoundingClientRect().height;
      part(el, 'button').click();
      await el.updateComplete;
      expect(part(el, 'button').getAttribute('aria-busy')).to.equal('true');
      expect(el.getBoundingClientRect().height).to.equal(height);
      await until(() => worldOf().forms.length === 1);
      await el.updateComplete;
      expect(part(el, 'button').hasAttribute('aria-busy')).to.equal(false);
      expect(el.getBoundingClientRect().height).to.equal(height);
      worldOf().popups[0]?.close();
      await until(() => statusText(el).startsWith('支付窗口已关闭'), 3000);
      expect(el.getBoundingClientRect().height).to.equal(height);
      worldOf().statuses.push({ status: 200, body: view('failed') });
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
      worldOf().checkout = [{ status: 201, body: { ...sandbox, sandbox: true } }];
      const el = await fixture<IgepayButton>(
        html`<igepay-button product="vip" lang="en-GB"></igepay-button>`,
      );
      await settled(el);
      part(el, 'button').click();
      await until(() => worldOf().forms.length === 1);
      expect(worldOf().forms[0]?.action).to.equal('https://gateway.example/Home/Pay/payFor?lang=en');
      worldOf().checkout = [];
      part(el, 'start-over').click();
      await el.updateComplete;
      part(el, 'button').click();
      await until(() => worldOf().forms.length === 2);
      expect(worldOf().forms[1]?.action).to.equal('https://gateway.example/Home/Pay/payFor');
    });
  });
});
