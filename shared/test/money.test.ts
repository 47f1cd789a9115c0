import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPrice, MAX_CENTS, parsePrice, priceEquals, yuan } from '../src/money.js';

describe('parsePrice', () => {
  it.each([
    ['0.01', 1],
    ['10.00', 1000],
    ['12.3', 1230],
    ['12.30', 1230],
    ['12', 1200],
    ['0', 0],
    ['9999999999.99', MAX_CENTS],
  ])('reads %s as %i cents', (text, cents) => {
    expect(parsePrice(text)).toBe(cents);
  });

  it.each([
    '',
    ' 1.00',
    '1.00 ',
    '1 .00',
    '+1.00',
    '-1.00',
    '1e2',
    '1E2',
    '1.001',
    '1.',
    '.5',
    '01.00',
    '00',
    '1,00',
    '０.５０',
    'NaN',
    'Infinity',
    '0x10',
    '10000000000.00',
    '１２',
  ])('refuses %j', (text) => {
    expect(parsePrice(text)).toBeUndefined();
  });

  it('refuses non-strings', () => {
    expect(parsePrice(12.3)).toBeUndefined();
    expect(parsePrice(null)).toBeUndefined();
    expect(parsePrice(['1.00'])).toBeUndefined();
  });

  it('requires exactly 2 decimals when asked', () => {
    expect(parsePrice('10.00', { exactDecimals: true })).toBe(1000);
    expect(parsePrice('10.0', { exactDecimals: true })).toBeUndefined();
    expect(parsePrice('10', { exactDecimals: true })).toBeUndefined();
  });
});

describe('formatPrice', () => {
  it('always writes 2 decimals', () => {
    expect(formatPrice(0)).toBe('0.00');
    expect(formatPrice(1)).toBe('0.01');
    expect(formatPrice(1230)).toBe('12.30');
    expect(formatPrice(MAX_CENTS)).toBe('9999999999.99');
  });

  it('refuses what is not a whole number of cents in range', () => {
    for (const bad of [-1, 0.5, Number.NaN, MAX_CENTS + 1, Number.POSITIVE_INFINITY]) {
      expect(() => formatPrice(bad)).toThrow(RangeError);
    }
  });

  it('round-trips with parsePrice for every amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_CENTS }), (cents) => {
        const text = formatPrice(cents);
        expect(text).toMatch(/^\d+\.\d{2}$/);
        expect(parsePrice(text, { exactDecimals: true })).toBe(cents);
      }),
    );
  });

  it('reads back every well-formed string to the same digits', () => {
    const amount = fc
      .tuple(
        fc.oneof(fc.constant('0'), fc.stringMatching(/^[1-9]\d{0,9}$/)),
        fc.stringMatching(/^(\.\d{1,2})?$/),
      )
      .map(([whole, fraction]) => whole + fraction);
    fc.assert(
      fc.property(amount, (text) => {
        const cents = parsePrice(text);
        expect(cents).toBeDefined();
        // Same value, written the canonical way: compare as exact digit strings.
        const [whole, fraction = ''] = text.split('.');
        expect(formatPrice(cents ?? -1)).toBe(`${whole}.${fraction.padEnd(2, '0')}`);
      }),
    );
  });
});

describe('priceEquals', () => {
  it('compares amounts, not spellings', () => {
    expect(priceEquals('12.3', 1230)).toBe(true);
    expect(priceEquals('12.30', 1230)).toBe(true);
    expect(priceEquals('12', 1200)).toBe(true);
    expect(priceEquals('12.31', 1230)).toBe(false);
    expect(priceEquals('1230', 1230)).toBe(false);
    expect(priceEquals('12.300', 1230)).toBe(false);
    expect(priceEquals(undefined, 0)).toBe(false);
  });
});

describe('yuan', () => {
  it('shows an amount as a person reads it: thousands grouped, the 2 decimals exact', () => {
    expect(yuan('0.01')).toBe('¥0.01');
    expect(yuan('999.99')).toBe('¥999.99');
    expect(yuan('1288.00')).toBe('¥1,288.00');
    expect(yuan('1234567.80')).toBe('¥1,234,567.80');
    expect(yuan(formatPrice(MAX_CENTS))).toBe('¥9,999,999,999.99');
  });
});
