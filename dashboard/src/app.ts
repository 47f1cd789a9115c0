import { css, html, LitElement, nothing } from 'lit';
import { ApiError, resume, SIGNED_OUT_EVENT, signIn, signOut } from './api.js';
import { type Lang, langOf, STRINGS } from './i18n.js';
import { shared } from './styles.js';
import './views/overview.js';
import './views/orders.js';
import './views/order.js';
import './views/reconcile.js';
import './views/audit.js';

type Route =
  | { readonly page: 'overview' }
  | { readonly page: 'orders'; readonly query: string }
  | { readonly page: 'order'; readonly id: string }
  | { readonly page: 'reconcile' }
  | { readonly page: 'audit' };

/** The page a location hash names (`#/orders?q=…`, `#/orders/<id>`), the overview by default. */
function routeOf(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const [page, id] = path.split('/');
  if (page === 'orders' && id) return { page: 'order', id: decodeURIComponent(id) };
  if (page === 'orders') return { page: 'orders', query };
  if (page === 'reconcile' || page === 'audit') return { page };
  return { page: 'overview' };
}

/**
 * `<igepay-dashboard>`: the merchant's dashboard, served by the signing server at `/admin/`.
 * Signs in with the dashboard's password, then shows the overview, the orders, one order's
 * timeline, what needs resolving and the audit trail. Pages are location hashes, so the
 * server serves one page under any prefix.
 */
export class IgepayDashboard extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        min-height: 100vh;
        background: var(--bg);
      }
      header {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem 1rem;
        padding: 0.6rem 1rem;
        background: var(--surface);
        border-bottom: 1px solid var(--line);
      }
      nav {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 1rem;
      }
      nav a {
        text-decoration: none;
        padding: 0.2rem 0;
        border-bottom: 2px solid transparent;
      }
      nav a[aria-current="page"] {
        border-color: currentColor;
        font-weight: 650;
      }
      .end {
        margin-left: auto;
        display: flex;
        gap: 0.25rem;
      }
      .mode {
        font-size: 0.8rem;
        font-weight: 700;
        padding: 0.1rem 0.55rem;
        border-radius: 999px;
        border: 2px solid currentColor;
      }
      .mode.live {
        color: var(--good);
      }
      .mode.sandbox {
        color: var(--warn);
      }
      main {
        max-width: 72rem;
        margin: 0 auto;
        padding: 1rem;
      }
      .sign-in form {
        max-width: 22rem;
        margin: 12vh auto 0;
        display: grid;
        gap: 0.8rem;
      }
    `,
  ];

  static override properties = {
    busy: { state: true },
    message: { state: true },
    language: { state: true },
    signedIn: { state: true },
    route: { state: true },
    livemode: { state: true },
  };

  declare private language: Lang;
  /** `undefined` while the session is being checked. */
  declare private signedIn: boolean | undefined;
  declare private route: Route;
  declare private livemode: boolean | undefined;

  constructor() {
    super();
    this.busy = false;
    this.message = '';
    this.language = langOf(location.search, navigator.languages);
    this.route = routeOf(location.hash);
  }

  declare private message: string;
  declare private busy: boolean;

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('hashchange', this.#onHash);
    addEventListener(SIGNED_OUT_EVENT, this.#onSignedOut);
    document.documentElement.lang = this.language;
    // The page has no stylesheet of its own (its CSP allows no inline style): the one rule it
    // needs is set through the CSSOM, which the CSP allows.
    document.body.style.margin = '0';
    void this.#start();
  }

  override disconnectedCallback(): void {
    removeEventListener('hashchange', this.#onHash);
    removeEventListener(SIGNED_OUT_EVENT, this.#onSignedOut);
    super.disconnectedCallback();
  }

  readonly #onHash = () => {
    this.route = routeOf(location.hash);
  };

  readonly #onSignedOut = () => {
    this.signedIn = false;
  };

  async #start(): Promise<void> {
    try {
      const session = await resume();
      this.signedIn = session !== undefined;
      this.livemode = session?.livemode;
    } catch {
      this.signedIn = false;
      this.message = STRINGS[this.language].offline;
    }
  }

  get #s() {
    return STRINGS[this.language];
  }

  async #signIn(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const password = (form.elements.namedItem('password') as HTMLInputElement).value;
    this.busy = true;
    this.message = '';
    try {
      this.livemode = (await signIn(password)).livemode;
      form.reset();
      this.signedIn = true;
    } catch (error) {
      const code = error instanceof ApiError ? error.code : 0;
      this.message =
        code === 4012 ? this.#s.wrongPassword : code === 4290 ? this.#s.tooMany : this.#s.offline;
    } finally {
      this.busy = false;
    }
  }

  async #signOut(): Promise<void> {
    await signOut().catch(() => undefined);
    this.signedIn = false;
    this.message = this.#s.signedOut;
  }

  #toggleLang(): void {
    this.language = this.language === 'en' ? 'zh-CN' : 'en';
    document.documentElement.lang = this.language;
    const url = new URL(location.href);
    url.searchParams.set('lang', this.language);
    history.replaceState(null, '', url);
  }

  override render() {
    const s = this.#s;
    document.title = s.title;
    const langButton = html`<button class="quiet" lang=${this.language === 'en' ? 'zh-CN' : 'en'}
      @click=${this.#toggleLang}>${s.language}</button>`;
    if (this.signedIn === undefined) return html`<main aria-busy="true"></main>`;
    if (!this.signedIn) {
      return html`<main class="sign-in">
        <form class="card" @submit=${this.#signIn}>
          <h1>${s.title}</h1>
          <label>${s.password}
            <input type="password" name="password" autocomplete="current-password" required autofocus />
          </label>
          <button ?disabled=${this.busy}>${s.signIn}</button>
          <p role=${this.message === s.signedOut ? 'status' : 'alert'}>${this.message}</p>
          ${langButton}
        </form>
      </main>`;
    }
    const page = this.route.page === 'order' ? 'orders' : this.route.page;
    const link = (to: string, label: string) =>
      html`<a href="#/${to}" aria-current=${page === to ? 'page' : 'false'}>${label}</a>`;
    return html`<header>
        <strong class="brand">${s.title}</strong>
        ${
          this.livemode === undefined
            ? nothing
            : html`<span class="mode ${this.livemode ? 'live' : 'sandbox'}">${this.livemode ? s.live : s.sandbox}</span>`
        }
        <nav>
          ${link('overview', s.overview)} ${link('orders', s.orders)} ${link('reconcile', s.reconcile)}
          ${link('audit', s.audit)}
        </nav>
        <span class="end">${langButton}<button class="quiet" @click=${this.#signOut}>${s.signOut}</button></span>
      </header>
      <main>${this.#page()}</main>`;
  }

  #page() {
    const { route, language } = this;
    switch (route.page) {
      case 'overview':
        return html`<igepay-overview .language=${language}></igepay-overview>`;
      case 'orders':
        return html`<igepay-orders .language=${language} .query=${route.query}></igepay-orders>`;
      case 'order':
        return html`<igepay-order .language=${language} .orderId=${route.id}></igepay-order>`;
      case 'reconcile':
        return html`<igepay-reconcile .language=${language}></igepay-reconcile>`;
      case 'audit':
        return html`<igepay-audit .language=${language}></igepay-audit>`;
    }
  }
}

customElements.define('igepay-dashboard', IgepayDashboard);
