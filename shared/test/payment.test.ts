import { describe, expect, it } from 'vitest';
import * as paths from '../src/paths.js';
import { orderPath, returnPath } from '../src/paths.js';
import { classifyPayment, echoMismatch } from '../src/payment.js';
import { gatewayName, htmlSpecialChars } from '../src/text.js';

const order = { status: 'pending', requestKey: 'k'.repeat(32), priceCents: 1230, payNum: null } as const;
const claim = { requestKey: 'k'.repeat(32), priceCents: 1230, payNum: 'P1' };

describe('a verified payment against its stored order', () => {
  it('is payable when it describes an order that is not paid yet', () => {
    expect(classifyPayment(order, claim)).toBe('payable');
    expect(classifyPayment({ ...order, status: 'expired' }, claim)).toBe('payable');
    expect(classifyPayment({ ...order, status: 'failed' }, claim)).toBe('payable');
  });

  it('tells a resend from another payment of a paid order', () => {
    const paid = { ...order, status: 'paid', payNum: 'P1' } as const;
    expect(classifyPayment(paid, claim)).toBe('duplicate');
    expect(classifyPayment(paid, { ...claim, payNum: 'P2' })).toBe('already-paid-by-other-payment');
  });

  it('does not describe an unknown order, or one of another key or amount (paid or not)', () => {
    expect(classifyPayment(undefined, claim)).toBe('unknown-order');
    expect(classifyPayment(order, { ...claim, requestKey: 'x'.repeat(32) })).toBe('key-mismatch');
    expect(classifyPayment(order, { ...claim, requestKey: 'k' })).toBe('key-mismatch');
    expect(classifyPayment(order, { ...claim, priceCents: 1231 })).toBe('price-mismatch');
    expect(classifyPayment(order, { ...claim, priceCents: -1 })).toBe('price-mismatch');
    const paid = { ...order, status: 'paid', payNum: 'P1' } as const;
    expect(classifyPayment(paid, { ...claim, priceCents: 1 })).toBe('price-mismatch');
  });
});

describe('a payment that names no key (the default: docs/protocol.md §1.6)', () => {
  it('is judged on the order and the amount alone', () => {
    expect(classifyPayment(order, { ...claim, requestKey: null })).toBe('payable');
    expect(classifyPayment(order, { ...claim, requestKey: null, priceCents: 1 })).toBe('price-mismatch');
  });
});

describe('echoes that differ from the order', () => {
  const stored = { requestKey: 'k'.repeat(32), orderUid: 'alice' };

  it('are none when the key and order_uid come back as sent, or order_uid not at all', () => {
    expect(echoMismatch(stored, { key: 'k'.repeat(32), order_uid: 'alice' })).toBeNull();
    expect(echoMismatch(stored, { key: 'k'.repeat(32) })).toBeNull();
    expect(echoMismatch({ ...stored, orderUid: null }, { key: 'k'.repeat(32), order_uid: '' })).toBeNull();
  });

  it('name each differing field with what was received, cut to 200 characters', () => {
    expect(echoMismatch(stored, { key: 'e'.repeat(32), order_uid: 'bob' })).toEqual({
      key: 'e'.repeat(32),
      order_uid: 'bob',
    });
    expect(echoMismatch(stored, { order_uid: 'alice' })).toEqual({ key: null });
    expect(echoMismatch(stored, { key: 'k'.repeat(32), order_uid: 'x'.repeat(500) })).toEqual({
      order_uid: 'x'.repeat(200),
    });
  });
});

describe('names sent to the gateway', () => {
  const name = gatewayName(100);

  it.each(['VIP会员', 'Tea + Cake (2)', 'a/b;c:d', '50% off!', '年卡 · 2026'])('takes %s', (value) => {
    expect(name.safeParse(value).success).toBe(true);
  });

  it.each([
    ['A&B'],
    ['say "hi"'],
    ['<b>'],
    ["it's"],
    [' \u3000 '],
    [''],
    ['a\u0085b'],
    ['a\u202Eb'],
    ['a\u2067b'],
    ['a\u200Fb'],
    ['x'.repeat(101)],
  ])('refuses %j', (value) => {
    expect(name.safeParse(value).success).toBe(false);
  });

  it('are rewritten by the gateway filter as PHP 8.1+ htmlspecialchars does', () => {
    expect(htmlSpecialChars(`A&B "c" <d> 'e'`)).toBe('A&amp;B &quot;c&quot; &lt;d&gt; &#039;e&#039;');
    expect(htmlSpecialChars('会员 A+B')).toBe('会员 A+B');
  });
});

describe('API paths', () => {
  it('are the pinned contract', () => {
    expect(paths).toMatchObject({
      CHECKOUT_PATH: '/api/checkout',
      CONFIG_PATH: '/api/config',
      ORDER_PATH: '/api/orders/:order_id',
      NOTIFY_PATH: '/api/igepay/notify',
      RETURN_PATH: '/api/igepay/return',
      HEALTH_PATH: '/healthz',
      WIDGET_PATH: '/widget.js',
    });
  });

  it('encode the order id they carry', () => {
    expect(orderPath('2026a')).toBe('/api/orders/2026a');
    expect(orderPath('a/b?c')).toBe('/api/orders/a%2Fb%3Fc');
    expect(returnPath('a&b')).toBe('/api/igepay/return?order_id=a%26b');
  });
});
