import { describe, expect, it } from 'vitest';
import * as paths from '../src/paths.js';
import { orderPath, returnPath } from '../src/paths.js';
import { classifyPayment } from '../src/payment.js';

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
