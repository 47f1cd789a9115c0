import { ADMIN_API, ERRORS } from '@igepay/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, get, pathOf, post, resume, SIGNED_OUT, SIGNED_OUT_EVENT, signIn } from '../src/api.js';

/** What the dashboard sent, and the replies it gets, in order. */
let sent: Array<{ url: string; init: RequestInit }>;
let replies: Array<Response | Error>;
let page: EventTarget;

beforeEach(() => {
  sent = [];
  replies = [];
  page = new EventTarget();
  vi.stubGlobal('window', page);
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    sent.push({ url, init });
    const reply = replies.shift();
    if (reply === undefined) throw new Error('no reply planned');
    if (reply instanceof Error) throw reply;
    return reply;
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe("the dashboard's API client", () => {
  it('calls every route relative to the page, its parameters encoded', () => {
    expect(pathOf('order', { order_id: 'a/b c?' })).toBe('api/orders/a%2Fb%20c%3F');
    expect(pathOf('resolve', { id: 7 })).toBe('api/unapplied/7/resolve');
    expect(pathOf('overview', {}, 'tz_offset=480')).toBe('api/overview?tz_offset=480');
    for (const path of Object.values(ADMIN_API)) expect(path).toMatch(/^api\//);
  });

  it('knows signed out by the code the server sends for it', () => {
    expect(SIGNED_OUT).toBe(ERRORS.IGEPAY_ERR_SIGNED_OUT.code);
  });

  it('sends the CSRF token of the session with every change, and none with a read', async () => {
    replies.push(
      json(201, { csrf_token: 'tok', signed_in_at: 'x', expires_at: 'y', livemode: false }),
      json(200, { id: 3, resolved_at: '2026-12-07T00:00:00.000Z' }),
      json(200, { actions: [] }),
    );
    expect((await signIn('pw')).livemode).toBe(false);
    expect(await post('resolve', { id: 3 }, { note: 'refunded' })).toEqual({
      id: 3,
      resolved_at: '2026-12-07T00:00:00.000Z',
    });
    await get('audit');
    const headers = sent.map(({ init }) => new Headers(init.headers));
    expect(headers[0]?.get('x-csrf-token')).toBe('');
    expect(headers[1]?.get('x-csrf-token')).toBe('tok');
    expect(JSON.parse(String(sent[1]?.init.body))).toEqual({ note: 'refunded' });
    expect(headers[2]?.has('x-csrf-token')).toBe(false);
    expect(sent.map(({ url, init }) => `${init.method} ${url}`)).toEqual([
      'POST api/session',
      'POST api/unapplied/3/resolve',
      'GET api/audit',
    ]);
  });

  it('turns a refusal into an ApiError with the code and words of the server, and a signed-out one into the event', async () => {
    let signedOut = 0;
    page.addEventListener(SIGNED_OUT_EVENT, () => signedOut++);
    replies.push(
      json(400, { code: 4001, msg: 'note: say what was done' }),
      json(401, { code: SIGNED_OUT, msg: 'x' }),
    );
    const refused = await post('resolve', { id: 1 }, { note: '' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: 400, code: 4001, message: 'note: say what was done' });
    expect(signedOut).toBe(0);
    await expect(get('overview')).rejects.toMatchObject({ status: 401, code: SIGNED_OUT });
    expect(signedOut).toBe(1);
  });

  it('reads a signed-out session as none, and a server that does not answer as status 0', async () => {
    replies.push(json(401, { code: SIGNED_OUT, msg: 'Sign in' }), new TypeError('fetch failed'));
    expect(await resume()).toBeUndefined();
    await expect(get('audit')).rejects.toMatchObject({ status: 0, code: 0 });
  });

  it('shows control characters and bidirectional overrides from outside visibly, in every string of a reply', async () => {
    replies.push(
      json(200, {
        unapplied: [
          {
            fields: { order_name: 'a\u001b[2Jb\u0085\u202egnp.exe' },
            reason: 'unknown-order',
            resolved_note: '\u0007\u2066',
          },
        ],
      }),
    );
    const { unapplied } = await get('unapplied');
    expect(unapplied[0]?.fields.order_name).toBe('a\\x1b[2Jb\\x85\\u202egnp.exe');
    expect(unapplied[0]?.resolved_note).toBe('\\x07\\u2066');
  });

  it('reads a reply that is not JSON as a plain HTTP error', async () => {
    replies.push(new Response('<html>bad gateway</html>', { status: 502 }));
    await expect(get('overview')).rejects.toMatchObject({ status: 502, code: 0, message: 'HTTP 502' });
  });
});
