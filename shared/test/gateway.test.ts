import { describe, expect, it } from 'vitest';
import { CHANNEL_TYPE, channelOfType } from '../src/channel.js';
import { NotificationSchema, PayFieldsSchema, PayRequestSchema } from '../src/gateway.js';
import { VECTORS } from './vectors.js';

const base = VECTORS.requests[1].fields;

describe('pay request fields (docs/protocol.md §1.1)', () => {
  it('accepts every vector', () => {
    for (const vector of VECTORS.requests) {
      expect(PayRequestSchema.parse({ ...vector.fields, key: vector.key })).toEqual({
        ...vector.fields,
        key: vector.key,
      });
    }
  });

  it.each([
    ['price without 2 decimals', { price: '10' }],
    ['price with 3 decimals', { price: '10.000' }],
    ['a zero price', { price: '0.00' }],
    ['a negative price', { price: '-1.00' }],
    ['type 3', { type: '3' }],
    ['a uid that is not a number', { uid: 'abc' }],
    ['an order_id of 51 characters', { order_id: 'x'.repeat(51) }],
    ['an empty order_id', { order_id: '' }],
    ['an order_name of 101 characters', { order_name: '会'.repeat(101) }],
    ['a control character in order_name', { order_name: 'a\nb' }],
    ['a notify_url that is not http', { notify_url: 'javascript:alert(1)' }],
    ['a return_url over 255 characters', { return_url: `http://a.example/${'x'.repeat(250)}` }],
    ['an unknown field', { extra: '1' }],
  ])('refuses %s', (_name, change) => {
    expect(PayFieldsSchema.safeParse({ ...base, ...change }).success).toBe(false);
  });

  it('counts characters, not bytes or UTF-16 units', () => {
    expect(PayFieldsSchema.safeParse({ ...base, order_name: '会'.repeat(100) }).success).toBe(true);
    expect(PayFieldsSchema.safeParse({ ...base, order_name: '😀'.repeat(100) }).success).toBe(true);
  });
});

describe('notification (docs/protocol.md §1.3)', () => {
  it('keeps values as received strings and allows extra fields', () => {
    const parsed = NotificationSchema.parse({
      pay_num: 'P1',
      order_id: '201710192541',
      price: '10',
      code: '0000',
      key: 'k',
      sign: 's',
      extra: 'x',
    });
    expect(parsed.price).toBe('10');
  });

  it('requires pay_num and code', () => {
    expect(NotificationSchema.safeParse({ order_id: '1', price: '1.00', key: 'k', sign: 's' }).success).toBe(
      false,
    );
  });
});

describe('channels', () => {
  it('maps wechat to 1 and alipay to 2, and back', () => {
    expect(CHANNEL_TYPE).toEqual({ wechat: '1', alipay: '2' });
    expect(channelOfType('1')).toBe('wechat');
    expect(channelOfType('2')).toBe('alipay');
    expect(channelOfType('3')).toBeUndefined();
  });
});
