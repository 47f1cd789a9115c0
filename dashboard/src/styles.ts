import { css } from 'lit';

/**
 * One stylesheet for every view: system fonts, light and dark from the system's preference,
 * colours chosen for WCAG AA on both surfaces, and a layout that folds to one column on a phone.
 */
export const shared = css`
  :host {
    --bg: #f6f7f9;
    --surface: #fff;
    --text: #1b1f24;
    --muted: #57606a;
    --line: #d0d7de;
    --accent: #0b62c4;
    --good: #116329;
    --warn: #9a4d00;
    --bad: #b3261e;
    --wechat: #08843f;
    --alipay: #1a6be0;
    --focus: #c76b00;
    display: block;
    color: var(--text);
    font: 15px/1.5 system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --bg: #0d1117;
      --surface: #161b22;
      --text: #e6edf3;
      --muted: #9ea7b3;
      --line: #3d444d;
      --accent: #6cb6ff;
      --good: #57d27a;
      --warn: #f0a44b;
      --bad: #ff8a80;
      --wechat: #3fcf7f;
      --alipay: #79aef5;
    }
  }
  * {
    box-sizing: border-box;
  }
  h1,
  h2,
  h3 {
    margin: 0 0 0.6rem;
    line-height: 1.25;
  }
  h2 {
    font-size: 1.15rem;
  }
  h3 {
    font-size: 1rem;
  }
  a {
    color: var(--accent);
  }
  .card {
    background: var(--surface);
    border: 1px solid var(--line);
    border-radius: 10px;
    padding: 1rem;
    margin-bottom: 1rem;
  }
  .grid {
    display: grid;
    gap: 1rem;
    grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
    margin-bottom: 1rem;
  }
  .grid .card {
    margin: 0;
  }
  .big {
    font-size: 1.6rem;
    font-weight: 650;
    font-variant-numeric: tabular-nums;
  }
  .muted {
    color: var(--muted);
  }
  .num {
    font-variant-numeric: tabular-nums;
    text-align: right;
    white-space: nowrap;
  }
  button,
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
  }
  input,
  select,
  textarea {
    background: var(--surface);
    border: 1px solid var(--muted);
    border-radius: 6px;
    padding: 0.4rem 0.55rem;
    min-width: 0;
  }
  button {
    background: var(--accent);
    color: var(--surface);
    border: 1px solid var(--accent);
    border-radius: 6px;
    padding: 0.4rem 0.9rem;
    cursor: pointer;
    font-weight: 600;
  }
  button.quiet {
    background: transparent;
    color: var(--accent);
  }
  button[disabled] {
    opacity: 0.6;
    cursor: default;
  }
  :focus-visible {
    outline: 3px solid var(--focus);
    outline-offset: 2px;
  }
  table {
    width: 100%;
    border-collapse: collapse;
  }
  th,
  td {
    text-align: left;
    padding: 0.45rem 0.5rem;
    border-bottom: 1px solid var(--line);
    vertical-align: top;
  }
  th {
    color: var(--muted);
    font-weight: 600;
    font-size: 0.85rem;
  }
  .scroll {
    overflow-x: auto;
  }
  .tag {
    display: inline-block;
    border: 1px solid currentColor;
    border-radius: 999px;
    padding: 0 0.5rem;
    font-size: 0.8rem;
    font-weight: 600;
    white-space: nowrap;
  }
  .paid {
    color: var(--good);
  }
  .pending {
    color: var(--muted);
  }
  .failed,
  .bad {
    color: var(--bad);
  }
  .expired,
  .warn {
    color: var(--warn);
  }
  .wechat {
    color: var(--wechat);
  }
  .alipay {
    color: var(--alipay);
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: end;
  }
  label {
    display: grid;
    gap: 0.2rem;
    font-size: 0.85rem;
    color: var(--muted);
  }
  pre {
    white-space: pre-wrap;
    word-break: break-all;
    background: var(--bg);
    border: 1px solid var(--line);
    border-radius: 6px;
    padding: 0.5rem;
    margin: 0.3rem 0 0;
    font-size: 0.8rem;
  }
  code {
    word-break: break-all;
  }
  .row > * {
    min-width: 0;
  }
  [role="alert"] {
    color: var(--bad);
  }
  [role="status"] {
    color: var(--good);
  }
  .only-narrow {
    display: none;
  }
  @media (max-width: 640px) {
    .hide-narrow {
      display: none;
    }
    .only-narrow {
      display: inline;
    }
    .big {
      font-size: 1.3rem;
    }
  }
`;
