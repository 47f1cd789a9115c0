import type { DefineComponent } from "vue";
import type {
  IgepayButton,
  IgepayOrderDetail,
  IgepayPaidDetail,
  IgepayErrorDetail,
  IgepayCancelDetail,
} from "../dist/lib/index.js";

type IgepayButtonProps = {
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
  onIgepayOrder?: (e: CustomEvent<IgepayOrderDetail>) => void;
  /** The payment was verified: `{ order_id, price, channel }`. Once per order. */
  onIgepayPaid?: (e: CustomEvent<IgepayPaidDetail>) => void;
  /** Something went wrong: `{ code, message, serverMessage? }` (`code` 0: network; 4020: payment failed; 4100: order expired; otherwise the server's code). `message` is the buyer's, in the element's language; `serverMessage` the server's English. */
  onIgepayError?: (e: CustomEvent<IgepayErrorDetail>) => void;
  /** The buyer stopped waiting for a payment: `{ order_id }`. */
  onIgepayCancel?: (e: CustomEvent<IgepayCancelDetail>) => void;
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
  "igepay-button": DefineComponent<IgepayButtonProps>;
};

declare module "vue" {
  // eslint-disable-next-line @typescript-eslint/no-empty-interface
  interface GlobalComponents extends CustomElements {}
}

declare global {
  namespace JSX {
    // eslint-disable-next-line @typescript-eslint/no-empty-interface
    interface IntrinsicElements extends CustomElements {}
  }
}
