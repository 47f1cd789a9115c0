import { css } from './css.js';

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
    --igepay-focus: #c76b00;
    /*
     * The brands' green and blue, deepened until white text on them passes 4.5:1, and no more,
     * so that as a border they still pass 3:1 on the dark surface too: one pair for both modes.
     * The focus ring's amber passes 3:1 on both surfaces.
     */
    --igepay-wechat: #08843f;
    --igepay-alipay: #1a6be0;
    --igepay-channel-color: var(--igepay-wechat);
    display: block;
    max-width: 26rem;
    /* Its own line height, not the page's: its height is then known ahead (docs/widget.md). */
    line-height: 1.4;
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
  /* Rows of things side by side. */
  .amount,
  .presets,
  .channels,
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }
  /* Boxes the buyer picks or types in. */
  .field,
  .channel,
  .secondary {
    border: 1px solid var(--igepay-border);
    border-radius: var(--igepay-radius);
    background: var(--igepay-background);
  }
  .amount {
    align-items: baseline;
    justify-content: space-between;
  }
  /* The price is known only when the config arrives: its line is there before. */
  .price:empty::before {
    content: '\\a0';
  }
  .price {
    font-size: 1.5em;
    font-weight: 700;
  }
  .field {
    display: flex;
    align-items: center;
    gap: 0.25rem;
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
  .field input::placeholder {
    color: var(--igepay-muted);
  }
  .channels {
    border: 0;
    margin: 0;
    padding: 0;
  }
  .channel {
    flex: auto;
    display: flex;
    align-items: center;
    gap: 0.4rem;
    white-space: nowrap;
    padding: 0.6rem;
    cursor: pointer;
  }
  .channel:has(:checked),
  [aria-pressed='true'] {
    border-color: var(--igepay-accent);
    box-shadow: inset 0 0 0 1px var(--igepay-accent);
  }
  .field:focus-within,
  .channel:has(:focus-visible),
  button:focus-visible {
    outline: 3px solid var(--igepay-focus);
    outline-offset: 2px;
  }
  /*
   * Each method's mark: its first character on its colour, as igepay's cashier shows it
   * (simplified, not the trademarked logos). Drawn by CSS: no text of the element's.
   */
  .mark::before {
    content: '微';
    display: inline-grid;
    place-items: center;
    width: 1.25rem;
    height: 1.25rem;
    border-radius: 5px;
    font: normal 700 0.75rem/1 sans-serif;
    color: #fff;
    background: var(--igepay-wechat);
  }
  [part~='channel-alipay'] .mark::before {
    content: '支';
    background: var(--igepay-alipay);
  }
  /* The radio scales with the text; the choice's own ring is the one, the radio draws none. */
  .channel input {
    accent-color: var(--igepay-accent);
    margin: 0;
    width: 1em;
    height: 1em;
    outline: none;
  }
  button {
    font: inherit;
    border-radius: var(--igepay-radius);
    cursor: pointer;
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.55;
  }
  /* Side by side while they fit; "start over" goes below on a narrow card. */
  .row > * {
    flex: auto;
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
    color: inherit;
    padding: 0.55rem 0.9rem;
  }
  /* Two lines are kept for the status, so that no message moves what is below or around it. */
  .foot {
    min-height: 2.7em;
  }
  .foot.paid {
    order: -1;
    min-height: 0;
  }
  .status {
    font-size: 0.92em;
    line-height: 1.45;
    color: var(--igepay-muted);
  }
  .status.wait::before,
  [aria-busy='true']::before {
    content: '';
    display: inline-block;
    /* Border included and below the baseline's reach: the line keeps its height in every engine (WebKit grew it). */
    box-sizing: border-box;
    vertical-align: -0.1em;
    width: 0.8em;
    height: 0.8em;
    margin-inline-end: 0.5em;
    border: 2px solid;
    border-right-color: transparent;
    border-radius: 50%;
    animation: igepay-spin 0.8s linear infinite;
  }
  @keyframes igepay-spin {
    to {
      transform: rotate(1turn);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    ::before {
      animation-duration: 3s !important;
    }
  }
  .receipt {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 0.35rem 1rem;
    margin: 0;
  }
  .receipt dt {
    color: var(--igepay-muted);
  }
  .receipt dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .status.paid {
    color: var(--igepay-success);
    font-weight: 600;
    font-size: 1.1em;
  }
  .status.bad {
    color: var(--igepay-danger);
  }
  /* Beside the first line of the status, which flows under it: the status keeps its width. */
  .sandbox {
    float: right;
    margin-inline-start: 0.5rem;
    font-size: 0.75em;
    color: #6b5200;
    background: #fff4d6;
    border-radius: 4px;
    padding: 0 0.35rem;
  }
`;
