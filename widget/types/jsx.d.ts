import type {
  IgepayButton,
  IgepayOrderDetail,
  IgepayPaidDetail,
  IgepayErrorDetail,
  IgepayCancelDetail,
} from "../dist/lib/index.js";

/**
 * This type can be used to create scoped tags for your components.
 *
 * Usage:
 *
 * ```ts
 * import type { ScopedElements } from "path/to/library/jsx-integration";
 *
 * declare module "my-library" {
 *   namespace JSX {
 *     interface IntrinsicElements
 *       extends ScopedElements<'test-', ''> {}
 *   }
 * }
 * ```
 *
 */
export type ScopedElements<Prefix extends string = "", Suffix extends string = ""> = {
  [Key in keyof CustomElements as `${Prefix}${Key}${Suffix}`]: CustomElements[Key];
};

type BaseProps = {
  /** Content added between the opening and closing tags of the element */
  children?: any;
  /** Used for declaratively styling one or more elements using CSS (Cascading Stylesheets) */
  class?: string;
  /** Used for declaratively styling one or more elements using CSS (Cascading Stylesheets) */
  className?: string;
  /** Takes an object where the key is the class name(s) and the value is a boolean expression. When true, the class is applied, and when false, it is removed. */
  classList?: Record<string, boolean | undefined>;
  /** Specifies the text direction of the element. */
  dir?: "ltr" | "rtl";
  /** Contains a space-separated list of the part names of the element that should be exposed on the host element. */
  exportparts?: string;
  /** For <label> and <output>, lets you associate the label with some control. */
  htmlFor?: string;
  /** Specifies whether the element should be hidden. */
  hidden?: boolean | string;
  /** A unique identifier for the element. */
  id?: string;
  /** Keys tell React which array item each component corresponds to */
  key?: string | number;
  /** Specifies the language of the element. */
  lang?: string;
  /** Contains a space-separated list of the part names of the element. Part names allows CSS to select and style specific elements in a shadow tree via the ::part pseudo-element. */
  part?: string;
  /** Use the ref attribute with a variable to assign a DOM element to the variable once the element is rendered. */
  ref?: unknown | ((e: unknown) => void);
  /** Adds a reference for a custom element slot */
  slot?: string;
  /** Prop for setting inline styles */
  style?: Record<string, string | number>;
  /** Overrides the default Tab button behavior. Avoid using values other than -1 and 0. */
  tabIndex?: number;
  /** Specifies the tooltip text for the element. */
  title?: string;
  /** Passing 'no' excludes the element content from being translated. */
  translate?: "yes" | "no";
};

type BaseEvents = {};

export type IgepayButtonProps = {
  /** Base URL of the signing server. Default: the origin `/widget.js` was loaded from. */
  server?: IgepayButton["server"];
  /** A fixed open amount in yuan (`12.30`). Give `price` or `product`; with neither, the buyer types the amount. */
  price?: IgepayButton["price"];
  /** A catalog product key: the server decides its name and price. */
  product?: IgepayButton["product"];
  /** The payment methods offered, space-separated. */
  channels?: IgepayButton["channels"];
  /** The preselected payment method (`wechat` or `alipay`); reflects the buyer's choice. */
  channel?: IgepayButton["channel"];
  /** The product name shown at igepay for an open amount. */
  "order-name"?: IgepayButton["orderName"];
  /** Your customer id, shown in igepay's back office and echoed in the notification. */
  "order-uid"?: IgepayButton["orderUid"];
  /** `popup` (default): pay in a window over the page. `redirect`: the page goes to igepay and comes back. */
  mode?: IgepayButton["mode"];
  /** `zh-CN` or `en`; by default the nearest `lang` of the page, then the browser's language (Chinese unless English). */
  lang?: IgepayButton["lang"];
  /** Disables the element. */
  disabled?: IgepayButton["disabled"];
  /** Amounts the buyer can pick for an open amount, space-separated (`6.66 18.88 66`). */
  presets?: IgepayButton["presets"];

  /** The server created the order: `{ order_id }`. */
  "onigepay-order"?: (e: CustomEvent<IgepayOrderDetail>) => void;
  /** The payment was verified: `{ order_id, price, channel }`. Once per order. */
  "onigepay-paid"?: (e: CustomEvent<IgepayPaidDetail>) => void;
  /** Something went wrong: `{ code, message, serverMessage? }` (`code` 0: network; 4020: payment failed; 4100: order expired; otherwise the server's code). `message` is the buyer's, in the element's language; `serverMessage` the server's English. */
  "onigepay-error"?: (e: CustomEvent<IgepayErrorDetail>) => void;
  /** The buyer stopped waiting for a payment: `{ order_id }`. */
  "onigepay-cancel"?: (e: CustomEvent<IgepayCancelDetail>) => void;
};

export type CustomElements = {
  /**
   * `<igepay-button>`: take WeChat Pay and Alipay through igepay on any page. The buyer picks a
   * channel and pays on igepay's page (in a popup, or by redirect); the element shows the
   * status the server verified. It never sees the merchant's token and computes no signature.
   * ---
   *
   *
   * ### **Events:**
   *  - **igepay-order** - The server created the order: `{ order_id }`.
   * - **igepay-paid** - The payment was verified: `{ order_id, price, channel }`. Once per order.
   * - **igepay-error** - Something went wrong: `{ code, message, serverMessage? }` (`code` 0: network; 4020: payment failed; 4100: order expired; otherwise the server's code). `message` is the buyer's, in the element's language; `serverMessage` the server's English.
   * - **igepay-cancel** - The buyer stopped waiting for a payment: `{ order_id }`.
   *
   * ### **CSS Properties:**
   *  - **--igepay-accent** - Colour of the pay button, the chosen method's border and the pressed preset (default: the chosen channel's colour). _(default: undefined)_
   * - **--igepay-accent-text** - Pay button text colour. _(default: undefined)_
   * - **--igepay-radius** - Corner radius of fields and buttons. _(default: undefined)_
   * - **--igepay-font** - Font family. _(default: undefined)_
   * - **--igepay-text** - Text colour. _(default: undefined)_
   * - **--igepay-muted** - Secondary text colour. _(default: undefined)_
   * - **--igepay-background** - Background of fields and choices. _(default: undefined)_
   * - **--igepay-border** - Border colour. _(default: undefined)_
   * - **--igepay-success** - Colour of the paid status. _(default: undefined)_
   * - **--igepay-danger** - Colour of errors. _(default: undefined)_
   * - **--igepay-focus** - Focus ring colour. _(default: undefined)_
   * - **--igepay-wechat** - WeChat Pay's colour (deepened for contrast). _(default: undefined)_
   * - **--igepay-alipay** - Alipay's colour (deepened for contrast). _(default: undefined)_
   *
   * ### **CSS Parts:**
   *  - **base** - The element's layout box.
   * - **amount** - The amount row (name and price, or the amount field).
   * - **name** - The product name.
   * - **price** - The price.
   * - **amount-input** - The amount field of an open amount.
   * - **preset** - A preset amount button.
   * - **channels** - The group of payment methods.
   * - **channel** - One payment method (also `channel-wechat` or `channel-alipay`).
   * - **button** - The pay button; "Continue paying" while an order is pending with the method chosen (`aria-busy` while it is being made, or while a payment igepay sent the buyer back from is confirmed).
   * - **start-over** - "Start over": gives up the pending order, so that a new one can be made.
   * - **status** - The status line (an `aria-live` region; two lines are kept for it).
   * - **receipt** - The paid order's receipt (item, amount, method, order number, time), in place of the inputs.
   * - **again** - "Pay again", under a receipt: the element is ready for another purchase.
   */
  "igepay-button": Partial<IgepayButtonProps & BaseProps & BaseEvents>;
};
