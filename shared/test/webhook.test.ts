import { describe, expect, it } from 'vitest';
import {
  computeSignature,
  signatureHeader,
  verifyWebhook,
  WebhookVerificationError,
} from '../src/webhook.js';

const SECRET = 'whsec_test_0123456789abcdef';
const BODY =
  '{"id":"evt_paid_o1","type":"order.paid","created":1795661859,"data":{"order_id":"o1","price":"12.30"}}';
const NOW = 1795661859;
const at = (seconds: number) => () => seconds * 1000;

describe('webhook signatures', () => {
  it('matches the worked example of the README', () => {
    // HMAC-SHA256(secret, "1795661859." + body) in hex; the value comes from openssl:
    // printf '%s' "1795661859.$BODY" | openssl dgst -sha256 -hmac "$SECRET"
    const expected = '297191adcfac7c7396960cf602b59daf468d39b8dfbb70071f301c4fdc9c2ec0';
    expect(computeSignature(NOW, BODY, SECRET)).toBe(expected);
    expect(signatureHeader(NOW, BODY, SECRET)).toBe(`t=1795661859,v1=${expected}`);
  });

  it('accepts the body it signed, as a string or a Buffer, and returns the event', () => {
    const header = signatureHeader(NOW, BODY, SECRET);
    expect(verifyWebhook(BODY, header, SECRET, { now: at(NOW + 10) }).id).toBe('evt_paid_o1');
    expect(verifyWebhook(Buffer.from(BODY), [header], SECRET, { now: at(NOW) }).data).toEqual({
      order_id: 'o1',
      price: '12.30',
    });
    // A rotated secret: any v1 that matches is enough.
    expect(
      verifyWebhook(BODY, `t=${NOW},v1=${'0'.repeat(64)},v1=${computeSignature(NOW, BODY, SECRET)}`, SECRET, {
        now: at(NOW),
      }).type,
    ).toBe('order.paid');
  });

  it.each([
    [
      'a wrong secret',
      BODY,
      signatureHeader(NOW, BODY, 'another-secret-entirely'),
      NOW,
      /is the secret the same as IGEPAY_FORWARD_SECRET/,
    ],
    [
      'a changed body',
      BODY.replace('12.30', '1.00'),
      signatureHeader(NOW, BODY, SECRET),
      NOW,
      /raw request body/,
    ],
    [
      're-serialized JSON',
      JSON.stringify(JSON.parse(BODY), null, 2),
      signatureHeader(NOW, BODY, SECRET),
      NOW,
      /raw request body/,
    ],
    [
      'an old timestamp',
      BODY,
      signatureHeader(NOW, BODY, SECRET),
      NOW + 301,
      /301 s old, more than the 300 s/,
    ],
    ['a timestamp from the future', BODY, signatureHeader(NOW + 3600, BODY, SECRET), NOW, /future/],
    ['no header', BODY, undefined, NOW, /No Igepay-Signature header/],
    ['a malformed header', BODY, 'sha256=abc', NOW, /must look like t=/],
  ])('refuses %s, saying what to check', (_name, body, header, now, message) => {
    expect(() => verifyWebhook(body, header, SECRET, { now: at(now) })).toThrow(WebhookVerificationError);
    expect(() => verifyWebhook(body, header, SECRET, { now: at(now) })).toThrow(message);
  });

  it('refuses a parsed body', () => {
    expect(() => verifyWebhook(JSON.parse(BODY), signatureHeader(NOW, BODY, SECRET), SECRET)).toThrow(
      /raw body/,
    );
  });
});
