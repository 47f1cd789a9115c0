import { css } from 'lit';

/** The element's look: tokens as custom properties on `:host`, every inner element a `::part`. */
export const styles = css`
  :host {
    --igepay-accent: var(--igepay-channel-color);
    --igepay-accent-text: #fff;
    --igepay-radius: 10px;
    --igepay-font: inherit;
    --igepay-text: #1f2329;
    --igepay-muted: #646a73;
    --igepay-background: #fff;
    --igepay-border: #dee0e3;
    --igepay-success: #057a3c;
    --igepay-danger: #c4261b;
    --igepay-focus: #f5a623;
    /* The brands' greens and blues, deepened until white text on them passes WCAG AA. */
    --igepay-wechat: #057a3c;
    --igepay-alipay: #0f62d6;
    --igepay-channel-color: var(--igepay-wechat);
    display: block;
    max-width: 26rem;
    -webkit-tap-highlight-color: transparent;
    font-family: var(--igepay-font);
    color: var(--igepay-text);
  }
  :host([data-channel='alipay']) {
    --igepay-channel-color: var(--igepay-alipay);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --igepay-text: #e8eaed;
      --igepay-muted: #a0a6ae;
      --igepay-background: #1f2227;
      --igepay-border: #3a3e45;
      --igepay-success: #3fcf7f;
      --igepay-danger: #ff6b5e;
    }
  }
  :host([hidden]) {
    display: none;
  }
  .base {
    display: grid;
    gap: 0.75rem;
  }
  .amount {
    display: flex;
    align-items: baseline;
    justify-content: space-between;
    gap: 0.5rem;
    flex-wrap: wrap;
  }
  .price {
    font-size: 1.5em;
    font-weight: 700;
    font-variant-numeric: tabular-nums;
  }
  .field {
    display: flex;
    align-items: center;
    gap: 0.25rem;
    border: 1px solid var(--igepay-border);
    border-radius: var(--igepay-radius);
    background: var(--igepay-background);
    padding: 0 0.75rem;
    font-size: 1.25em;
    font-weight: 600;
  }
  .field input {
    font: inherit;
    color: inherit;
    border: 0;
    background: transparent;
    width: 100%;
    padding: 0.5rem 0;
    outline: none;
  }
  .field:focus-within {
    outline: 3px solid var(--igepay-focus);
    outline-offset: 1px;
  }
  .presets {
    display: flex;
    gap: 0.5rem;
    flex-wrap: wrap;
  }
  .channels {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    border: 0;
    margin: 0;
    padding: 0;
  }
  .channel {
    flex: 1 1 auto;
    display: flex;
    align-items: center;
    gap: 0.4rem;
    white-space: nowrap;
    padding: 0.6rem 0.6rem;
    border: 1px solid var(--igepay-border);
    border-radius: var(--igepay-radius);
    background: var(--igepay-background);
    cursor: pointer;
  }
  .channel:has(input:checked),
  .secondary[aria-pressed='true'] {
    border-color: var(--igepay-accent);
    box-shadow: inset 0 0 0 1px var(--igepay-accent);
  }
  .channel:has(input:focus-visible) {
    outline: 3px solid var(--igepay-focus);
    outline-offset: 1px;
  }
  .channel svg {
    flex: none;
  }
  .channel input {
    accent-color: var(--igepay-accent);
    margin: 0;
  }
  /* The choice's own ring is the one: the radio inside draws none. */
  .channel input:focus-visible {
    outline: none;
  }
  button {
    font: inherit;
    border-radius: var(--igepay-radius);
    cursor: pointer;
  }
  button:focus-visible {
    outline: 3px solid var(--igepay-focus);
    outline-offset: 2px;
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.55;
  }
  .pay {
    border: 0;
    padding: 0.8rem 1rem;
    font-size: 1.05em;
    font-weight: 600;
    background: var(--igepay-accent);
    color: var(--igepay-accent-text);
  }
  .secondary {
    border: 1px solid var(--igepay-border);
    background: var(--igepay-background);
    color: inherit;
    padding: 0.55rem 0.9rem;
  }
  .status {
    min-height: 1.25em;
    font-size: 0.92em;
    color: var(--igepay-muted);
  }
  .status:empty {
    display: none;
  }
  .status.paid {
    color: var(--igepay-success);
    font-weight: 600;
    font-size: 1.1em;
  }
  .status.bad {
    color: var(--igepay-danger);
  }
  .actions {
    display: flex;
    gap: 0.5rem;
    flex-wrap: wrap;
  }
  .sandbox {
    justify-self: start;
    font-size: 0.75em;
    color: #6b5200;
    background: #fff4d6;
    border-radius: 4px;
    padding: 0 0.35rem;
  }
`;
