import type { PageLang } from '../pages/html.js';

/**
 * The simulator's refusals, in the gateway's JSON shape `{ msg, code }` (docs/protocol.md §1.1).
 * igepay does not publish its codes; these are the simulator's own, stable for scripts.
 */
export const GATEWAY_ERRORS = {
  INVALID_FIELDS: { code: 1001, status: 400, zh: '请求参数错误', en: 'The request has invalid fields' },
  UNKNOWN_MERCHANT: { code: 1002, status: 400, zh: '商户不存在', en: 'Unknown merchant uid' },
  BAD_KEY: { code: 1003, status: 400, zh: '签名（key）错误', en: 'The key does not match the fields' },
  ORDER_CONFLICT: {
    code: 1004,
    status: 409,
    zh: '订单号已存在，且参数与原订单不一致',
    en: 'This order_id was already posted with different fields',
  },
  NOT_FOUND: { code: 1005, status: 404, zh: '支付单不存在', en: 'No such payment' },
  NOT_PAYABLE: { code: 1006, status: 409, zh: '该订单已无法支付', en: 'This payment can no longer be paid' },
  BAD_ENCODING: {
    code: 1007,
    status: 400,
    zh: '请求必须是 UTF-8 编码的表单（application/x-www-form-urlencoded）',
    en: 'The request must be a UTF-8 form (application/x-www-form-urlencoded)',
  },
  NOTIFY_NOT_ALLOWED: {
    code: 1008,
    status: 400,
    zh: '沙箱只向本机或已配置的地址发送通知',
    en: 'The sandbox notifies only this machine and the addresses it is configured with',
  },
} as const;

/** One of the simulator's refusals. */
export type GatewayErrorName = keyof typeof GATEWAY_ERRORS;

/** A refusal by the simulator, with the details a merchant needs to fix the request. */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';

  constructor(
    readonly errorName: GatewayErrorName,
    /** What exactly is wrong, e.g. `price: must have exactly 2 decimals`. */
    readonly details: readonly string[] = [],
  ) {
    super(GATEWAY_ERRORS[errorName].en);
  }

  get statusCode(): number {
    return GATEWAY_ERRORS[this.errorName].status;
  }

  get code(): number {
    return GATEWAY_ERRORS[this.errorName].code;
  }

  /** The message shown to the buyer, with the details appended. */
  text(lang: PageLang): string {
    const headline = GATEWAY_ERRORS[this.errorName][lang === 'en' ? 'en' : 'zh'];
    return this.details.length === 0 ? headline : `${headline}: ${this.details.join('; ')}`;
  }
}
