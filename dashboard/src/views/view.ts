import { html, LitElement, nothing, type PropertyDeclarations } from 'lit';
import { ApiError, SIGNED_OUT } from '../api.js';
import { type Lang, STRINGS, type Strings } from '../i18n.js';
import { shared } from '../styles.js';

/**
 * What every page of the dashboard shares: its language, the strings of it, and one way to
 * load data and show what went wrong (a signed-out reply sends the app to its sign-in page).
 */
export class View extends LitElement {
  static override styles = [shared];

  static override properties: PropertyDeclarations = {
    failure: { state: true },
    language: { attribute: false },
  };

  declare language: Lang;

  constructor() {
    super();
    this.failure = '';
    this.language = 'zh-CN';
  }

  declare protected failure: string;

  protected get s(): Strings {
    return STRINGS[this.language];
  }

  /** Runs `work`, and shows why when it fails. */
  protected async attempt<T>(work: () => Promise<T>): Promise<T | undefined> {
    this.failure = '';
    try {
      return await work();
    } catch (error) {
      if (error instanceof ApiError && error.code === SIGNED_OUT) return undefined;
      this.failure =
        error instanceof ApiError && error.status === 0
          ? this.s.offline
          : `${this.s.error}${error instanceof Error ? error.message : String(error)}`;
      return undefined;
    }
  }

  protected failureLine() {
    return this.failure ? html`<p role="alert">${this.failure}</p>` : nothing;
  }
}
