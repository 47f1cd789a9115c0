import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TrustFunction } from './proxy.js';

/** The header a request id comes in and goes back out in. */
export const REQUEST_ID_HEADER = 'x-request-id';

// Ids proxies generate (nginx's $request_id, UUIDs, AWS trace ids): nothing that could
// break a log line or a header.
const ACCEPTED_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/**
 * The id of one request: the `X-Request-Id` a trusted proxy set, so one id follows the request
 * through the proxy's log and ours; otherwise a fresh UUID (a client cannot choose the id our
 * log files a request under).
 */
export function requestIdOf(request: IncomingMessage, trust: TrustFunction): string {
  const given = request.headers[REQUEST_ID_HEADER];
  if (typeof given === 'string' && ACCEPTED_ID.test(given) && trust(request.socket.remoteAddress ?? '', 0)) {
    return given;
  }
  return randomUUID();
}
