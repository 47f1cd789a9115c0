import { expect } from '@open-wc/testing';
import { html, type TemplateResult } from 'lit-html';
import { BaseElement, type PropertyValues } from '../src/base-element.js';

let defined = 0;

/** A fresh element class under a fresh tag: each test defines its own, as a page would once. */
function defineCounter(): { tag: string; renders: Array<Map<PropertyKey, unknown>> } {
  const tag = `test-counter-${++defined}`;
  const renders: Array<Map<PropertyKey, unknown>> = [];
  class Counter extends BaseElement {
    static override styles = ':host { display: block; color: rgb(1, 2, 3); }';
    static override properties = {
      label: {},
      orderName: { attribute: 'order-name' },
      choice: { reflect: true },
      off: { type: Boolean, reflect: true },
      _secret: { state: true },
    };
    declare label: string | undefined;
    declare orderName: string | undefined;
    declare choice: string | undefined;
    declare off: boolean;
    declare _secret: number;

    constructor() {
      super();
      this.label = 'default';
      this.off = false;
      this._secret = 0;
    }

    protected override willUpdate(changed: PropertyValues<this>): void {
      renders.push(new Map(changed));
    }

    protected override render(): TemplateResult {
      return html`<p>${this.label} ${this.orderName ?? ''} ${this.choice ?? ''} ${this.off} ${this._secret}</p>`;
    }
  }
  customElements.define(tag, Counter);
  return { tag, renders };
}

type Element = HTMLElement & Record<string, unknown> & { updateComplete: Promise<boolean> };

function text(el: HTMLElement): string {
  return el.shadowRoot?.querySelector('p')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

describe('BaseElement (what <igepay-button> takes of LitElement)', () => {
  it('renders once per batch of property changes, with what changed and from what', async () => {
    const { tag, renders } = defineCounter();
    const el = document.createElement(tag) as Element;
    document.body.append(el);
    await el.updateComplete;
    expect(text(el)).to.equal('default false 0');
    expect(renders).to.have.length(1);
    el.label = 'one';
    el.label = 'two';
    el._secret = 7;
    await el.updateComplete;
    expect(renders).to.have.length(2);
    expect([...(renders[1] ?? [])]).to.deep.equal([
      ['label', 'default'],
      ['_secret', 0],
    ]);
    expect(text(el)).to.equal('two false 7');
    el.label = 'two';
    await el.updateComplete;
    expect(renders, 'the same value is no change').to.have.length(2);
    el.remove();
  });

  it('waits for the element to be connected before its first update', async () => {
    const { tag, renders } = defineCounter();
    const el = document.createElement(tag) as Element;
    el.label = 'set early';
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(renders).to.have.length(0);
    expect(text(el)).to.equal('');
    document.body.append(el);
    await el.updateComplete;
    expect(renders).to.have.length(1);
    expect(text(el)).to.equal('set early false 0');
    el.remove();
  });

  it('reads attributes into properties (named, Boolean, none for state) and reflects the reflected ones', async () => {
    const { tag } = defineCounter();
    const holder = document.createElement('div');
    holder.innerHTML = `<${tag} label="from html" order-name="Tea" choice="alipay" off _secret="9"></${tag}>`;
    document.body.append(holder);
    const el = holder.firstElementChild as Element;
    await el.updateComplete;
    expect(text(el)).to.equal('from html Tea alipay true 0');
    el.removeAttribute('off');
    el.setAttribute('order-name', 'Coffee');
    await el.updateComplete;
    expect([el.off, el.orderName]).to.deep.equal([false, 'Coffee']);
    el.choice = 'wechat';
    el.off = true;
    await el.updateComplete;
    expect([el.getAttribute('choice'), el.getAttribute('off')]).to.deep.equal(['wechat', '']);
    el.choice = undefined;
    el.off = false;
    await el.updateComplete;
    expect([el.hasAttribute('choice'), el.hasAttribute('off')]).to.deep.equal([false, false]);
    expect(el.hasAttribute('label'), 'label is not reflected').to.equal(true);
    el.label = 'changed';
    await el.updateComplete;
    expect(el.getAttribute('label')).to.equal('from html');
    holder.remove();
  });

  it('keeps a property a framework set before the definition loaded, over the default', async () => {
    const tag = `test-counter-${defined + 1}`;
    const el = document.createElement(tag) as Element;
    el.label = 'from the framework';
    document.body.append(el);
    const { renders } = defineCounter();
    await (customElements.get(tag) && el.updateComplete);
    expect(text(el)).to.equal('from the framework false 0');
    expect(renders).to.have.length(1);
    el.label = 'reactive still';
    await el.updateComplete;
    expect(text(el)).to.equal('reactive still false 0');
    el.remove();
  });

  it('adopts one stylesheet for every element of a class', async () => {
    const { tag } = defineCounter();
    const [a, b] = [document.createElement(tag), document.createElement(tag)] as Element[];
    document.body.append(a as Element, b as Element);
    await Promise.all([a?.updateComplete, b?.updateComplete]);
    const sheets = [a, b].map((el) => el?.shadowRoot?.adoptedStyleSheets ?? []);
    expect(sheets[0]).to.have.length(1);
    expect(sheets[0]?.[0]).to.equal(sheets[1]?.[0]);
    expect(getComputedStyle(a as Element).color).to.equal('rgb(1, 2, 3)');
    a?.remove();
    b?.remove();
  });
});
