/**
 * A stubbed signing server and browser for the widget's tests: `fetch`, `window.open` and
 * form submission are replaced, and everything the element does is recorded in order. A
 * payment window has a real blank document of the page's origin, as a new window has; a form
 * the page posts to a window's name is taken as WebKit takes it once the window's opener is cut
 * (found by no name: lost), unless the window is one an earlier page opened.
 */
import type { CheckoutResponse, OrderView, PublicConfig } from '@igepay/shared';
import { formatPrice, parsePrice } from '@igepay/shared/browser';

/** A reply the fake server gives. */
export interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

/** A form the element submitted (to igepay's pay page). */
export interface SubmittedForm {
  /** The document it was submitted from: the page's, or the payment window's (its index). */
  readonly from: 'page' | number;
  readonly action: string;
  readonly method: string;
  readonly target: string;
  readonly acceptCharset: string;
  readonly fields: Record<string, string>;
}

export const CONFIG: PublicConfig = {
  open_amounts: true,
  min_price: '0.01',
  max_price: '500.00',
  products: { vip: { name: 'VIP会员', price: '10.00' }, mug: { name: 'Coffee mug', price: '12.30' } },
  sandbox: true,
};

/** The checkout reply for a request body. */
export function checkoutReply(body: { channel: string; price?: string; product?: string }): CheckoutResponse {
  // The server signs the amount exactly 2 decimals, however the page wrote it.
  const price = body.product
    ? (CONFIG.products[body.product]?.price ?? '1.00')
    : formatPrice(parsePrice(body.price) ?? 100);
  return {
    order_id: 'O-1',
    client_secret: 'cs_secret',
    gateway: {
      action: 'https://gateway.example/Home/Pay/payFor',
      method: 'POST',
      fields: {
        uid: '10001',
        price,
        type: body.channel === 'wechat' ? '1' : '2',
        notify_url: 'https://shop.example/api/igepay/notify',
        return_url: 'https://shop.example/api/igepay/return?order_id=O-1',
        order_id: 'O-1',
        order_name: '会员',
        key: 'a'.repeat(32),
      },
    },
  };
}

/** What the element keeps of the checkout above while it is pending. */
export function pendingOrder() {
  const { gateway } = checkoutReply({ channel: 'wechat', product: 'vip' });
  return { order_id: 'O-1', client_secret: 'cs_secret', price: '10.00', channel: 'wechat', gateway };
}

/** An order view with `status`. */
export function view(
  status: OrderView['status'],
  price = '10.00',
  channel: OrderView['channel'] = 'wechat',
): OrderView {
  return {
    order_id: 'O-1',
    status,
    price,
    channel,
    product: null,
    order_name: null,
    created_at: '2026-11-26T00:00:00.000Z',
    expires_at: '2026-11-26T00:30:00.000Z',
    paid_at: status === 'paid' ? '2026-11-26T00:01:00.000Z' : null,
    late_until: '2026-11-26T00:45:00.000Z',
    late: false,
    livemode: false,
  };
}

/** A fake popup window. */
export interface FakePopup {
  readonly name: string;
  /** A window an earlier page opened (see {@link FakeWorld.earlierWindow}). */
  readonly earlier?: boolean;
  closed: boolean;
  opener: unknown;
  /** Its document: blank and of the page's origin when new; a window of an earlier page's throws. */
  readonly document: Document;
  /** How many times it was brought to the front. */
  focused: number;
  close(): void;
  focus(): void;
}

/** The world of the running test, whose log a wait that fails shows. */
let current: FakeWorld | undefined;

/** The fake world of one test. */
export class FakeWorld {
  /** Everything that happened, in order: `open`, `fetch METHOD PATH`, `submit TARGET`. */
  readonly log: string[] = [];
  readonly bodies: unknown[] = [];
  readonly forms: SubmittedForm[] = [];
  readonly popups: FakePopup[] = [];
  /** Replies to `GET /api/config`, in turn (the last repeats); default: {@link CONFIG}. */
  config: Array<Reply | 'network-error'> = [];
  /** Replies to `POST /api/checkout`, in turn (the last repeats); default: success. */
  checkout: Array<Reply | 'network-error'> = [];
  /** Replies to status requests, in turn; when none is left, the request is held (a long poll). */
  statuses: Array<Reply | 'network-error'> = [];
  /** While set, checkout replies wait for it (an order still being made). */
  checkoutHeld: Promise<void> | undefined;
  /** Whether `window.open` is blocked. */
  blockPopups = false;
  /**
   * `window.open` finds the window an earlier page opened under this name, as Chromium and
   * Firefox do after a reload: showing igepay's page, of another origin.
   */
  earlierWindow: string | undefined;
  statusInFlight = 0;
  maxStatusInFlight = 0;
  readonly #restore: Array<() => void> = [];

  constructor() {
    current = this;
    const realFetch = window.fetch;
    const realOpen = window.open;
    const realSubmit = HTMLFormElement.prototype.submit;
    window.fetch = (input, init) => this.#fetch(String(input), init ?? {});
    window.open = (_url, name = '') => {
      this.log.push('open');
      if (this.blockPopups) return null;
      const popup = this.popups.find((p) => !p.closed && p.name === String(name) && p.opener === window);
      if (popup) return popup as unknown as Window; // Found by name only while its opener is ours.
      const created =
        String(name) === this.earlierWindow ? crossOriginWindow(String(name)) : this.#window(String(name));
      this.popups.push(created);
      return created as unknown as Window;
    };
    const forms = this.forms;
    const log = this.log;
    const popups = this.popups;
    this.#record = (from) =>
      function (this: HTMLFormElement) {
        // The page posting to a window's name: only an earlier page's window answers to it here.
        const named = popups.find((p) => p.name === this.target && !p.closed);
        const lost = from === 'page' && this.target !== '_self' && !named?.earlier;
        log.push(
          `submit ${from === 'page' ? 'page' : `popup ${from}`} ${this.target}${lost ? ' (lost)' : ''}`,
        );
        forms.push({
          from,
          action: this.action,
          method: this.method,
          target: this.target,
          acceptCharset: this.acceptCharset,
          fields: Object.fromEntries(new FormData(this) as unknown as Iterable<[string, string]>),
        });
      };
    HTMLFormElement.prototype.submit = this.#record('page');
    this.#restore.push(() => {
      window.fetch = realFetch;
      window.open = realOpen;
      HTMLFormElement.prototype.submit = realSubmit;
      localStorage.clear();
    });
  }

  /** Puts the real browser back. */
  restore(): void {
    for (const popup of this.popups) popup.close();
    for (const undo of this.#restore.splice(0)) undo();
  }

  #record: (from: 'page' | number) => () => void = () => () => undefined;

  /** A new window: its document is a real one, blank and of this page's origin (a hidden frame's). */
  #window(name: string): FakePopup {
    const frame = document.createElement('iframe');
    frame.hidden = true;
    document.body.append(frame);
    const inner = frame.contentWindow as Window & typeof globalThis;
    inner.HTMLFormElement.prototype.submit = this.#record(this.popups.length);
    const log = this.log;
    const index = this.popups.length;
    return {
      name,
      closed: false,
      opener: window,
      document: inner.document,
      focused: 0,
      close() {
        if (!this.closed) log.push(`close popup ${index}`);
        this.closed = true;
        frame.remove();
      },
      focus() {
        this.focused += 1;
      },
    };
  }

  /** The status requests made so far. */
  get statusRequests(): string[] {
    return this.log.filter((line) => line.startsWith('fetch GET /api/orders/'));
  }

  async #fetch(url: string, init: RequestInit): Promise<Response> {
    const { pathname, search } = new URL(url, location.href);
    this.log.push(`fetch ${init.method ?? 'GET'} ${pathname}${search}`);
    if (pathname.endsWith('/api/config')) {
      const reply = this.config.length > 1 ? this.config.shift() : this.config[0];
      if (reply === 'network-error') throw new TypeError('Failed to fetch');
      return json(reply ?? { status: 200, body: CONFIG });
    }
    if (pathname === '/api/checkout') {
      const body = JSON.parse(String(init.body)) as { channel: string };
      this.bodies.push(body);
      await this.checkoutHeld;
      const reply = this.checkout.length > 1 ? this.checkout.shift() : this.checkout[0];
      if (reply === 'network-error') throw new TypeError('Failed to fetch');
      return json(reply ?? { status: 201, body: checkoutReply(body) });
    }
    if (pathname.startsWith('/api/orders/')) return this.#status(init.signal ?? undefined);
    return json({ status: 404, body: { code: 4041, msg: 'not found' } });
  }

  async #status(signal: AbortSignal | undefined): Promise<Response> {
    this.statusInFlight += 1;
    this.maxStatusInFlight = Math.max(this.maxStatusInFlight, this.statusInFlight);
    try {
      // Like the server's long poll: answer after a moment, or hold until there is news.
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        if (signal?.aborted) {
          this.log.push('status request aborted');
          throw new DOMException('aborted', 'AbortError');
        }
        const reply = this.statuses.shift();
        if (reply) this.log.push(`status reply ${reply === 'network-error' ? reply : reply.status}`);
        if (reply === 'network-error') throw new TypeError('Failed to fetch');
        if (reply) return json(reply);
      }
    } finally {
      this.statusInFlight -= 1;
    }
  }
}

/** A window an earlier page opened, now on igepay's page: this page may not read or write in it. */
function crossOriginWindow(name: string): FakePopup {
  return {
    name,
    earlier: true,
    closed: false,
    // Its opener was cut by the page that opened it, and another origin's may not be set.
    get opener(): null {
      return null;
    },
    set opener(_value: unknown) {
      throw new DOMException('Blocked a frame from accessing a cross-origin frame.', 'SecurityError');
    },
    get document(): Document {
      throw new DOMException('Blocked a frame from accessing a cross-origin frame.', 'SecurityError');
    },
    focused: 0,
    close() {
      this.closed = true;
    },
    focus() {
      this.focused += 1;
    },
  };
}

function json(reply: Reply): Response {
  return new Response(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body), {
    status: reply.status,
    headers: { 'content-type': 'application/json', ...reply.headers },
  });
}

/**
 * Waits until `check` is true (polling), failing after `ms` with what the element did, so that
 * a wait that fails once in a while on a loaded machine says why.
 */
export async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) {
      const seen = current?.log.slice(-20).join('\n  ') ?? '';
      const visible = document.visibilityState;
      throw new Error(`condition not met in time (${check}); page ${visible}; last:\n  ${seen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
