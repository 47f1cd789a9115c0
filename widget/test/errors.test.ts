import { expect, fixture, html } from '@open-wc/testing';
import '../src/index.js';
import type { IgepayButton } from '../src/igepay-button.js';
import { CONFIG, until, view } from './fake-server.js';
import { events, freshWorldEachTest, part, settled, statusText } from './support.js';

const worldOf = freshWorldEachTest();

describe('<igepay-button>', () => {
  describe('errors', () => {
    // The buyer reads the element's language; the server's English goes to the event's
    // serverMessage and the console, for the developer.
    const cases: Array<[string, () => void, number, RegExp, string?]> = [
      [
        'a refused amount',
        () =>
          worldOf().checkout.push({
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
          worldOf().checkout.push({
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
        () => worldOf().checkout.push({ status: 429, body: { code: 4290, msg: 'Too many' } }),
        4290,
        /支付服务繁忙/,
        'Too many',
      ],
      [
        'a server that is down',
        () =>
          worldOf().checkout.push({
            status: 503,
            body: { code: 5030, msg: 'The service is temporarily unavailable' },
          }),
        5030,
        /支付服务繁忙/,
        'The service is temporarily unavailable',
      ],
      ['an unreachable server', () => worldOf().checkout.push('network-error'), 0, /无法连接支付服务/],
      [
        'a failed payment',
        () => worldOf().statuses.push({ status: 200, body: view('failed') }),
        4020,
        /支付未成功/,
      ],
      [
        'an expired order',
        () => worldOf().statuses.push({ status: 200, body: view('expired') }),
        4100,
        /订单已过期/,
      ],
      [
        'an order the server does not know',
        () => worldOf().statuses.push({ status: 404, body: { code: 4040, msg: 'Order not found' } }),
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
        worldOf().checkout = [];
        const before = worldOf().bodies.length;
        part(el, 'button').click();
        // Until its window has igepay's page: no order of this test is still on its way after it.
        await until(() => worldOf().bodies.length === before + 1 && worldOf().forms.length === 1);
      });
    }

    it('taken out of the page while its order is being made, follows it only once put back', async () => {
      let release = () => {};
      worldOf().checkoutHeld = new Promise((resolve) => {
        release = resolve;
      });
      const el = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
      await settled(el);
      const parent = el.parentElement as HTMLElement;
      part(el, 'button').click();
      await until(() => worldOf().bodies.length === 1);
      el.remove();
      release();
      // The buyer's window still gets igepay's page, and the order is kept...
      await until(() => worldOf().forms.length === 1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      // ...but nothing polls for an element no one sees (it would, unseen, for ever).
      expect(worldOf().statusRequests).to.have.length(0);
      parent.append(el);
      await until(() => worldOf().statusRequests.length === 1);
      await el.updateComplete;
      expect(statusText(el)).to.contain('新窗口');
    });

    it('shows an English buyer English', async () => {
      const el = await fixture<IgepayButton>(
        html`<igepay-button product="vip" lang="en" server="https://pay.example.com"></igepay-button>`,
      );
      await settled(el);
      const seen = events(el);
      worldOf().checkout.push('network-error');
      part(el, 'button').click();
      await until(() => seen.some((e) => e.type === 'igepay-error'));
      await el.updateComplete;
      expect(statusText(el)).to.equal('Cannot reach the payment service; check your connection.');
    });

    it('never lets an exception escape', async () => {
      const el = await fixture<IgepayButton>(html`<igepay-button product="vip"></igepay-button>`);
      await settled(el);
      worldOf().checkout.push({ status: 502, body: 'not json' });
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
      expect(worldOf().bodies).to.have.length(0);
      expect(worldOf().log).to.not.include('open');
    }

    it("says what the server makes of the element's attributes, once for two elements, and asks with them", async () => {
      const problem =
        'product="vip-year" is not in the catalog. The catalog (IGEPAY_PRODUCTS) has: vip, mug.';
      worldOf().config = [{ status: 200, body: { ...CONFIG, problem } }];
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
      expect(worldOf().log).to.include('fetch GET /api/config?product=vip-year');
    });

    it('asks about a price attribute too, in English for an English page', async () => {
      worldOf().config = [
        { status: 200, body: { ...CONFIG, problem: 'This server takes catalog products only.' } },
      ];
      const el = await fixture<IgepayButton>(
        html`<igepay-button price="9.9" lang="en" server="https://shop.example"></igepay-button>`,
      );
      await refuses(el, 'This purchase cannot be made now; try later or contact the shop.');
      expect(worldOf().log).to.include('fetch GET /api/config?price=9.9');
    });

    it('a server that cannot be reached: says so, and recovers by itself when it answers', async () => {
      worldOf().config = ['network-error', { status: 200, body: CONFIG }];
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
      worldOf().config = ['network-error', { status: 200, body: CONFIG }];
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
      worldOf().config = [{ status: 200, body: '<!doctype html><title>My app</title>' }];
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
});
