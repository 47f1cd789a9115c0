import { render, type TemplateResult } from 'lit-html';

/**
 * How a reactive property is declared in `static properties`, a subset of Lit's
 * `PropertyDeclaration` (the custom-elements manifest reads these as it reads Lit's).
 */
export interface PropertyDeclaration {
  /** The attribute's name; `false` for none. Default: the property's name in lower case. */
  readonly attribute?: string | false;
  /** `Boolean`: the attribute's presence. Otherwise the attribute's text. */
  readonly type?: BooleanConstructor;
  /** Writes the property back to its attribute after each update. */
  readonly reflect?: boolean;
  /** Internal state: no attribute. */
  readonly state?: boolean;
}

/** The properties changed since the last update, with their previous values. */
export type PropertyValues<T> = Map<keyof T, unknown>;

/** Something that takes part in its host's life: Lit's `ReactiveController`, as this base calls it. */
export interface ReactiveController {
  hostConnected?(): void;
  hostDisconnected?(): void;
}

/** What a controller may ask of its host. */
export interface ReactiveControllerHost {
  addController(controller: ReactiveController): void;
  requestUpdate(): void;
  readonly updateComplete: Promise<unknown>;
}

/** Each class's stylesheet, made once and shared by all its elements. */
const sheets = new WeakMap<typeof BaseElement, CSSStyleSheet | string>();

/**
 * `HTMLElement`, or on a server, where a page that uses the element is rendered (Next.js, Nuxt)
 * and there is none, a class that lets this module load: nothing is defined there.
 */
const ServerSafeHTMLElement: typeof HTMLElement =
  globalThis.HTMLElement ?? (class {} as unknown as typeof HTMLElement);

/**
 * A custom element that renders a lit-html template into its shadow root when a declared
 * property changes, batched into one update a microtask later; controllers follow its
 * connection. It is what `<igepay-button>` takes of `LitElement`, in far fewer bytes:
 * `/widget.js` has a size budget, and Lit's `ReactiveElement` was most of what it could lose.
 * As in Lit, the first update waits for the element to be connected, and properties set on
 * the element before its definition loaded are kept.
 */
export abstract class BaseElement extends ServerSafeHTMLElement implements ReactiveControllerHost {
  /** The reactive properties, declared as in Lit. */
  static properties: Record<string, PropertyDeclaration> = {};
  /** The stylesheet's text, adopted by every element of the class. */
  static styles = '';
  /** Attribute name → property name, made with the accessors when the class is defined. */
  static #attributes = new WeakMap<typeof BaseElement, Map<string, string>>();

  // `this` is the class being defined, a subclass: the accessors go on its prototype.
  // biome-ignore-start lint/complexity/noThisInStatic: BaseElement would be the wrong class
  static get observedAttributes(): string[] {
    const attributes = new Map<string, string>();
    for (const [name, declared] of Object.entries(this.properties)) {
      Object.defineProperty(this.prototype, name, {
        get(this: BaseElement) {
          return this.#values.get(name);
        },
        set(this: BaseElement, value: unknown) {
          const old = this.#values.get(name);
          if (old === value) return;
          this.#values.set(name, value);
          this.requestUpdate(name, old);
        },
        configurable: true,
      });
      if (!declared.state && declared.attribute !== false)
        attributes.set(declared.attribute || name.toLowerCase(), name);
    }
    BaseElement.#attributes.set(this, attributes);
    return [...attributes.keys()];
  }
  // biome-ignore-end lint/complexity/noThisInStatic: BaseElement would be the wrong class

  readonly #values = new Map<string, unknown>();
  #changed = new Map<PropertyKey, unknown>();
  /** Values set on the element before it was upgraded: they win over the constructor's. */
  readonly #early = new Map<string, unknown>();
  readonly #controllers: ReactiveController[] = [];
  #update: Promise<boolean> | undefined;
  #connect!: () => void;
  readonly #connected = new Promise<void>((resolve) => (this.#connect = resolve));

  constructor() {
    super();
    const type = this.constructor as typeof BaseElement;
    for (const name of Object.keys(type.properties))
      if (Object.hasOwn(this, name)) {
        this.#early.set(name, this[name as keyof this]);
        delete this[name as keyof this];
      }
    const root = this.attachShadow({ mode: 'open' });
    let sheet = sheets.get(type);
    if (sheet === undefined) {
      // Safari before 16.4 has no constructable stylesheets: a <style> in each root instead.
      if ('replaceSync' in CSSStyleSheet.prototype) {
        sheet = new CSSStyleSheet();
        sheet.replaceSync(type.styles);
      } else sheet = type.styles;
      sheets.set(type, sheet);
    }
    if (typeof sheet === 'string')
      root.append(Object.assign(document.createElement('style'), { textContent: sheet }));
    else root.adoptedStyleSheets = [sheet];
    this.requestUpdate();
  }

  /** Resolves after the pending update (`true` when no other one is pending then). */
  get updateComplete(): Promise<boolean> {
    return this.#update ?? Promise.resolve(true);
  }

  addController(controller: ReactiveController): void {
    this.#controllers.push(controller);
    if (this.isConnected) controller.hostConnected?.();
  }

  connectedCallback(): void {
    this.#connect();
    for (const controller of this.#controllers) controller.hostConnected?.();
  }

  disconnectedCallback(): void {
    for (const controller of this.#controllers) controller.hostDisconnected?.();
  }

  attributeChangedCallback(attribute: string, _old: string | null, value: string | null): void {
    const name = BaseElement.#attributes.get(this.constructor as typeof BaseElement)?.get(attribute);
    if (!name) return;
    const type = (this.constructor as typeof BaseElement).properties[name]?.type;
    (this as Record<string, unknown>)[name] = type === Boolean ? value !== null : value;
  }

  /** Asks for an update; `name` and `old` record which property changed, and from what. */
  requestUpdate(name?: PropertyKey, old?: unknown): void {
    if (name !== undefined && !this.#changed.has(name)) this.#changed.set(name, old);
    this.#update ??= this.#run();
  }

  async #run(): Promise<boolean> {
    await this.#connected;
    for (const [name, value] of this.#early) (this as Record<string, unknown>)[name] = value;
    this.#early.clear();
    // Properties set in willUpdate or render belong to this update; later ones ask for the next.
    const changed = this.#changed;
    let template: TemplateResult;
    try {
      this.willUpdate(changed as PropertyValues<this>);
      template = this.render();
    } finally {
      this.#changed = new Map();
      this.#update = undefined;
    }
    render(template, this.shadowRoot as ShadowRoot, { host: this });
    const declared = (this.constructor as typeof BaseElement).properties;
    for (const name of changed.keys()) {
      const { reflect, type, attribute } = declared[name as string] ?? {};
      if (!reflect) continue;
      const value = this.#values.get(name as string);
      const attr = attribute || (name as string).toLowerCase();
      if (type === Boolean ? !value : value == null) this.removeAttribute(attr);
      else this.setAttribute(attr, type === Boolean ? '' : String(value));
    }
    return !this.#update;
  }

  /** Before each render: derive what the render needs from what changed. */
  protected willUpdate(_changed: PropertyValues<this>): void {}

  /** The shadow root's content. */
  protected abstract render(): TemplateResult;
}
