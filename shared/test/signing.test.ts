import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PayFields } from '../src/gateway.js';
import { PayFieldsSchema } from '../src/gateway.js';
import {
  checkNotificationSign,
  KEY_FIELD_ORDER,
  md5Hex,
  notificationSign,
  requestKey,
  requestKeyContent,
  safeEqual,
  verifyNotificationSign,
} from '../src/signing/index.js';
import { OWN_VECTORS, VECTORS } from './vectors.js';

const { token } = VECTORS;

describe('request key (docs/protocol.md §1.2)', () => {
  it.each(VECTORS.requests.map((vector, index) => [index, vector] as const))(
    'matches vector %i, with and without order_uid signed',
    (_index, vector) => {
      const fields = PayFieldsSchema.parse(vector.fields);
      expect(requestKey(fields, token)).toBe(vector.key);
      expect(requestKey(fields, token, { signOrderUid: false })).toBe(vector.key);
      expect(requestKey(fields, token, { signOrderUid: true })).toBe(vector.key_with_order_uid);
    },
  );

  it('concatenates values in the documented order', () => {
    const fields = PayFieldsSchema.parse(VECTORS.requests[1].fields);
    expect(requestKeyContent(fields, 'TOKEN')).toBe(
      'http://shop.example.com/api/igepay/notify201710192541VIP会员10.00' +
        'http://shop.example.com/api/igepay/returnTOKEN210001',
    );
  });

  it('puts order_uid between order_name and price only when asked', () => {
    const fields = PayFieldsSchema.parse(VECTORS.requests[2].fields);
    expect(requestKeyContent(fields, 'T')).not.toContain('alice@example.com');
    expect(requestKeyContent(fields, 'T', { signOrderUid: true })).toContain('VIP会员alice@example.com10.00');
  });

  it('hashes the UTF-8 bytes of Chinese text', () => {
    // Known answers computed outside Node: MD5 of the UTF-8 bytes e4 bc 9a e5 91 98
    // (the UTF-16LE bytes would give f679803cd4af0f1a91439953edcb05b0).
    expect(md5Hex('会员')).toBe('4d9dd5e4987503f3e84976a233398d5a');
  });
});

describe('notification sign (docs/protocol.md §1.3)', () => {
  it.each(VECTORS.notifications.map((vector) => [vector.order_id, vector.price, vector] as const))(
    'matches the vector for order %s, price %s',
    (_id, _price, vector) => {
      expect(notificationSign(vector, token)).toBe(vector.sign);
      expect(verifyNotificationSign(vector, token)).toBe(true);
    },
  );

  it('signs the price exactly as received: 10 and 10.00 differ', () => {
    const [exact, short] = VECTORS.notifications;
    expect(verifyNotificationSign({ ...exact, sign: short.sign }, token)).toBe(false);
    expect(verifyNotificationSign({ ...short, sign: exact.sign }, token)).toBe(false);
  });

  it('refuses a wrong token, a changed field, uppercase hex and a truncated sign', () => {
    const vector = VECTORS.notifications[0];
    expect(verifyNotificationSign(vector, `${token}x`)).toBe(false);
    expect(verifyNotificationSign({ ...vector, order_id: `${vector.order_id}1` }, token)).toBe(false);
    expect(verifyNotificationSign({ ...vector, price: '10.01' }, token)).toBe(false);
    expect(verifyNotificationSign({ ...vector, sign: vector.sign.toUpperCase() }, token)).toBe(false);
    expect(verifyNotificationSign({ ...vector, sign: vector.sign.slice(0, 31) }, token)).toBe(false);
    expect(verifyNotificationSign({ ...vector, sign: '' }, token)).toBe(false);
  });
});

describe('our own vectors (docs/protocol.md §1.6)', () => {
  const { token40 } = OWN_VECTORS;

  it('signs a request and a notification with a 40-hex token, as real tokens are', () => {
    expect(token40).toMatch(/^[0-9a-f]{40}$/);
    const fields = PayFieldsSchema.parse(OWN_VECTORS.request.fields);
    expect(requestKey(fields, token40)).toBe(OWN_VECTORS.request.key);
    expect(checkNotificationSign(OWN_VECTORS.notification, token40)).toBe('as-received');
  });

  it('verifies the real notification captured by a production integration', () => {
    const { token: captureToken, ...captured } = OWN_VECTORS.captured;
    expect(notificationSign(captured, captureToken)).toBe(captured.sign);
    expect(verifyNotificationSign(captured, captureToken)).toBe(true);
    expect(verifyNotificationSign(captured, token)).toBe(false);
  });

  it.each(OWN_VECTORS.respelled.map((vector) => [vector.price, vector.check, vector] as const))(
    're-spells the price once: %s checks out as %s',
    (_price, check, vector) => {
      expect(checkNotificationSign(vector, token40)).toBe(check);
      // The rule still needs the token.
      expect(checkNotificationSign(vector, token)).toBe(false);
    },
  );
});

describe('safeEqual', () => {
  it('is equality of strings, including different lengths and non-ASCII', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        expect(safeEqual(a, b)).toBe(a === b);
        expect(safeEqual(a, a)).toBe(true);
      }),
    );
  });
});

// Generated pay fields: arbitrary (valid) values for every signed field, optional ones sometimes.
const text = (max: number) => fc.string({ unit: 'grapheme', minLength: 1, maxLength: max });
const payFields: fc.Arbitrary<PayFields> = fc.record(
  {
    uid: fc.integer({ min: 1, max: 2_000_000_000 }).map(String),
    price: fc.integer({ min: 1, max: 10_000_000 }).map((cents) => (cents / 100).toFixed(2)),
    type: fc.constantFrom('1' as const, '2' as const),
    notify_url: text(40).map((path) => `http://shop.example.com/${encodeURIComponent(path)}`),
    return_url: text(40).map((path) => `https://shop.example.com/r?${encodeURIComponent(path)}`),
    order_id: text(50),
    order_uid: text(100),
    order_name: text(100),
  },
  { requiredKeys: ['uid', 'price', 'type', 'notify_url', 'return_url', 'order_id'] },
);

describe('request key properties', () => {
  it('does not depend on the order of the fields', () => {
    fc.assert(
      fc.property(payFields, fc.boolean(), fc.func(fc.integer()), (fields, signOrderUid, rank) => {
        const shuffled = Object.fromEntries(
          Object.entries(fields).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b)),
        ) as PayFields;
        expect(requestKey(shuffled, token, { signOrderUid })).toBe(
          requestKey(fields, token, { signOrderUid }),
        );
      }),
    );
  });

  it('changes when any signed field or the token changes', () => {
    const signedNames = [
      'uid',
      'price',
      'type',
      'notify_url',
      'return_url',
      'order_id',
      'order_name',
    ] as const;
    fc.assert(
      fc.property(payFields, fc.constantFrom(...signedNames), fc.boolean(), (fields, name, signOrderUid) => {
        const before = requestKey(fields, token, { signOrderUid });
        const changed = { ...fields, [name]: `${fields[name] ?? ''}Z` };
        expect(requestKey(changed, token, { signOrderUid })).not.toBe(before);
        expect(requestKey(fields, `${token}0`, { signOrderUid })).not.toBe(before);
      }),
    );
  });

  it('covers order_uid exactly when the switch is on', () => {
    fc.assert(
      fc.property(payFields, text(100), (fields, uid) => {
        const other = { ...fields, order_uid: `${fields.order_uid ?? ''}${uid}` };
        expect(requestKey(other, token)).toBe(requestKey(fields, token));
        expect(requestKey(other, token, { signOrderUid: true })).not.toBe(
          requestKey(fields, token, { signOrderUid: true }),
        );
      }),
    );
  });
});

describe('KEY_FIELD_ORDER', () => {
  it('is every pay field plus token, in ascending order of name', () => {
    const names = [...Object.keys(PayFieldsSchema.shape), 'token'].sort();
    expect([...KEY_FIELD_ORDER]).toEqual(names);
  });
});
