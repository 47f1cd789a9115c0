import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import {
  secretKey,
  sign,
  signAsync,
  verifyWebhook,
  verifyWebhookAsync,
  type WebhookRequestHeaders,
  WebhookVerificationError,
  webhookHeaders,
} from '../src/index.js';

// 32 random bytes, as `echo "whsec_$(openssl rand -base64 32)"` makes them.
const SECRET = 'whsec_6kK1m3Xq8bq0Zf8oZb2k2nQe0q3tQ5b3pG8vC1w4yHk=';
const ID = 'evt_paid_o1';
const BODY = `{"id":"${ID}","type":"order.paid","created":1795661859,"livemode":true,"data":{"order_id":"o1","price":"12.30"}}`;
const NOW = 1795661859;
const at = (seconds: number) => () => seconds * 1000;
const signed = (overrides: Partial<{ id: string; timestamp: number; body: string; secret: string }> = {}) =>
  webhookHeaders(
    overrides.id ?? ID,
    overrides.timestamp ?? NOW,
    overrides.body ?? BODY,
    overrides.secret ?? SECRET,
  );

describe('webhook signatures (Standard Webhooks)', () => {
  it("matches the specification's worked example", () => {
    // From standardwebhooks.com; the value checks with openssl:
    // printf '%s' 'msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}' |
    //   openssl dgst -sha256 -mac HMAC -macopt hexkey:<the secret's bytes in hex> -binary | base64
    expect(
      sign(
        'msg_p5jXN8AQM9LWM0D4loKWxJek',
        1614265330,
        '{"test": 2432232314}',
        'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      ),
    ).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('signs what the published standardwebhooks library verifies, and verifies what it signs', () => {
    const library = new Webhook(SECRET);
    // The library checks the age against its own clock.
    const now = Math.floor(Date.now() / 1000);
    expect(library.verify(BODY, signed({ timestamp: now }))).toEqual(JSON.parse(BODY));
    const theirs = library.sign(ID, new Date(NOW * 1000), BODY);
    expect(theirs).toBe(sign(ID, NOW, BODY, SECRET));
    const headers = { 'webhook-id': ID, 'webhook-timestamp': String(NOW), 'webhook-signature': theirs };
    expect(verifyWebhook(BODY, headers, SECRET, { now: at(NOW) }).id).toBe(ID);
    // And it refuses what another secret signed, as ours does.
    expect(() =>
      library.verify(BODY, signed({ timestamp: now, secret: `whsec_${'B'.repeat(44)}` })),
    ).toThrow();
  });

  it('accepts the body it signed, as a string or a Buffer, and returns the event', () => {
    expect(verifyWebhook(BODY, signed(), SECRET, { now: at(NOW + 10) }).id).toBe(ID);
    const asArrays = Object.fromEntries(Object.entries(signed()).map(([name, value]) => [name, [value]]));
    expect(verifyWebhook(Buffer.from(BODY), asArrays, SECRET, { now: at(NOW) }).data).toEqual({
      order_id: 'o1',
      price: '12.30',
    });
    // A rotated secret: any v1 that matches is enough.
    const rotated = {
      ...signed(),
      'webhook-signature': `v1,${'A'.repeat(44)} ${signed()['webhook-signature']}`,
    };
    expect(verifyWebhook(BODY, rotated, SECRET, { now: at(NOW) }).type).toBe('order.paid');
  });

  it.each<[string, string, WebhookRequestHeaders, number, RegExp]>([
    [
      'a wrong secret',
      BODY,
      signed({ secret: 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' }),
      NOW,
      /is the secret the same as IGEPAY_FORWARD_SECRET/,
    ],
    ['a changed body', BODY.replace('12.30', '1.00'), signed(), NOW, /raw request body/],
    ['re-serialized JSON', JSON.stringify(JSON.parse(BODY), null, 2), signed(), NOW, /raw request body/],
    ['another id', BODY, { ...signed(), 'webhook-id': 'evt_other' }, NOW, /does not match/],
    ['an id the body does not carry', BODY, signed({ id: 'evt_other' }), NOW, /not the event’s id/],
    ['an old timestamp', BODY, signed(), NOW + 301, /301 s old, more than the 300 s/],
    ['a timestamp from the future', BODY, signed({ timestamp: NOW + 3600 }), NOW, /future/],
    ['no headers', BODY, {}, NOW, /must all be there/],
    ['a malformed timestamp', BODY, { ...signed(), 'webhook-timestamp': 'soon' }, NOW, /unix seconds/],
  ])('refuses %s, saying what to check (also with WebCrypto)', async (_name, body, headers, now, message) => {
    expect(() => verifyWebhook(body, headers, SECRET, { now: at(now) })).toThrow(WebhookVerificationError);
    expect(() => verifyWebhook(body, headers, SECRET, { now: at(now) })).toThrow(message);
    await expect(verifyWebhookAsync(body, headers, SECRET, { now: at(now) })).rejects.toThrow(
      WebhookVerificationError,
    );
    await expect(verifyWebhookAsync(body, headers, SECRET, { now: at(now) })).rejects.toThrow(message);
  });

  it('reads the headers as Node, Fetch or a Map gives them, and checks the same with WebCrypto', async () => {
    const node = Object.fromEntries(Object.entries(signed()).map(([name, value]) => [name, [value]]));
    const fetchHeaders = new Headers(signed());
    // A Map as an app may build it, names as they were written on the wire.
    const { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature } = signed();
    const map = new Map([
      ['Webhook-Id', id],
      ['Webhook-Timestamp', timestamp],
      ['Webhook-Signature', signature],
    ]);
    for (const headers of [signed(), node, fetchHeaders, map] as WebhookRequestHeaders[]) {
      expect(verifyWebhook(BODY, headers, SECRET, { now: at(NOW) }).id).toBe(ID);
      expect(
        (await verifyWebhookAsync(new TextEncoder().encode(BODY), headers, SECRET, { now: at(NOW) })).id,
      ).toBe(ID);
    }
    // A Fetch Headers whose signature was tampered with is refused all the same.
    fetchHeaders.set('webhook-signature', `v1,${'A'.repeat(44)}`);
    expect(() => verifyWebhook(BODY, fetchHeaders, SECRET, { now: at(NOW) })).toThrow(/does not match/);
    await expect(verifyWebhookAsync(BODY, fetchHeaders, SECRET, { now: at(NOW) })).rejects.toThrow(
      /does not match/,
    );
    // Not headers at all: a clear refusal, not a crash inside.
    expect(() => verifyWebhook(BODY, undefined as never, SECRET)).toThrow(
      /request's: Node's request.headers/,
    );
  });

  it('signs with WebCrypto as with node:crypto', async () => {
    expect(await signAsync(ID, NOW, BODY, SECRET)).toBe(sign(ID, NOW, BODY, SECRET));
    await expect(signAsync(ID, NOW, BODY, 'not-a-secret')).rejects.toThrow(/whsec_/);
  });

  it('refuses a parsed body, and a secret that is not a whsec_ one', () => {
    expect(() => verifyWebhook(JSON.parse(BODY), signed(), SECRET)).toThrow(/raw body/);
    expect(() => verifyWebhook(BODY, signed(), 'plain-old-secret-0123456789')).toThrow(/whsec_/);
  });

  it('reads a whsec_ secret as its bytes: 24 to 64 of them', () => {
    expect(secretKey(SECRET)?.length).toBe(32);
    expect(secretKey(`whsec_${Buffer.alloc(23).toString('base64')}`)).toBeUndefined();
    expect(secretKey(`whsec_${Buffer.alloc(65).toString('base64')}`)).toBeUndefined();
    expect(secretKey('whsec_not base64!')).toBeUndefined();
    expect(secretKey(Buffer.alloc(32).toString('base64'))).toBeUndefined();
  });
});
