/**
 * The gateway's checks on each HTTP request, before any MCP code runs: the `Host` must name the
 * loopback interface (DNS-rebinding protection), a browser `Origin` is refused, and the bearer token
 * must match (compared in constant time).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits, base64url (43 characters). */
export function newGatewayToken(): string {
  return randomBytes(32).toString('base64url');
}

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** True when the `Host` header is a loopback name, with no port or the gateway's port. */
export function isLoopbackHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(host.trim().toLowerCase());
  if (!match) return false;
  const [, name, portText] = match;
  if (!LOOPBACK_NAMES.has(name!)) return false;
  return portText === undefined || Number(portText) === port;
}

/**
 * Browsers send `Origin` on every cross-origin POST and on fetches from pages; MCP clients that run
 * as programs do not. Any `Origin` is refused, so no web page can reach the gateway even with the token.
 */
export function isBrowserRequest(origin: string | undefined): boolean {
  return origin !== undefined && origin !== '';
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Compares `Authorization: Bearer <token>` with the expected token in constant time. */
export function hasValidBearer(authorization: string | undefined, expected: string): boolean {
  if (!authorization || expected.length === 0) return false;
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
  // Hashing both sides gives equal lengths, so timingSafeEqual never throws and leaks no length.
  const given = match ? match[1]! : '';
  return timingSafeEqual(digest(given), digest(expected)) && match !== null;
}
