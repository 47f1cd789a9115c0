import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { parseTrustProxy } from '../../src/config/trust-proxy.js';
import { trustFunction } from '../../src/http/proxy.js';
import { requestIdOf } from '../../src/http/request-id.js';

describe('parseTrustProxy and trustFunction', () => {
  it('reads hop counts and address lists', () => {
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('10.0.0.0/8, 127.0.0.1')).toEqual(['10.0.0.0/8', '127.0.0.1']);
    const list = trustFunction(['10.0.0.0/8', 'loopback']);
    expect(list('10.1.2.3', 0)).toBe(true);
    expect(list('127.0.0.1', 1)).toBe(true);
    expect(list('192.0.2.1', 0)).toBe(false);
    const hops = trustFunction(1);
    expect(hops('192.0.2.1', 0)).toBe(true);
    expect(hops('192.0.2.1', 1)).toBe(false);
    expect(trustFunction(undefined)('127.0.0.1', 0)).toBe(false);
  });
});

describe('requestIdOf', () => {
  const request = (remoteAddress: string, id?: string) =>
    ({
      headers: id === undefined ? {} : { 'x-request-id': id },
      socket: { remoteAddress },
    }) as IncomingMessage;
  const trust = trustFunction(['127.0.0.1']);

  it("takes a trusted proxy's id and makes one otherwise", () => {
    expect(requestIdOf(request('127.0.0.1', 'abc-123'), trust)).toBe('abc-123');
    const untrusted = requestIdOf(request('192.0.2.1', 'abc-123'), trust);
    expect(untrusted).not.toBe('abc-123');
    expect(untrusted).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdOf(request('127.0.0.1'), trust)).not.toBe(requestIdOf(request('127.0.0.1'), trust));
  });

  it('never takes an id that could break a log line or a header', () => {
    for (const bad of ['a b', 'a\nb', 'x'.repeat(129), '', '<script>', 'a"b']) {
      expect(requestIdOf(request('127.0.0.1', bad), trust)).not.toBe(bad);
    }
  });
});
