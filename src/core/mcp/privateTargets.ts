/**
 * Keeps a public MCP server from using us to reach the user's own network (blind SSRF): the OAuth
 * requests the SDK makes for it (protected-resource and authorization-server metadata, dynamic
 * registration, tokens) and the CLI's headless sign-in go to URLs the server names, before any
 * sign-in modal. A URL on another origin than the server's whose host is (or resolves to) a
 * loopback, private, link-local or otherwise local address is refused, unless the MCP server itself
 * is on such an address (a local or intranet server's authorization server usually is too, as the
 * conformance suite's are). Redirects are followed here, at most MAX_REDIRECTS (fetch's own bound),
 * and each hop is checked the same way. A name that resolves differently between the check and the
 * connection (DNS rebinding) is not caught; the check is about what a server can name.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import type { FetchLike } from './limitedFetch';

/** What fetch itself allows. */
export const MAX_REDIRECTS = 20;

export type Lookup = (hostname: string) => Promise<readonly string[]>;

const defaultLookup: Lookup = async (hostname) => (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

const LOCAL = new BlockList();
for (const [net, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) {
  LOCAL.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96]] as const) {
  LOCAL.addSubnet(net, prefix, 'ipv6');
}

/** Whether an IP address (v4, v6, or v4-mapped v6) is loopback, private, link-local, unspecified or multicast. */
export function isLocalAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped) return LOCAL.check(mapped[1]!, 'ipv4');
  const family = isIP(bare);
  if (family === 4) return LOCAL.check(bare, 'ipv4');
  if (family === 6) return LOCAL.check(bare, 'ipv6');
  return false;
}

/** Whether a host name is, or resolves to, a local address (`localhost` and `*.localhost` always are). */
export async function isLocalHost(hostname: string, lookup: Lookup = defaultLookup): Promise<boolean> {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) !== 0) return isLocalAddress(host);
  try {
    return (await lookup(host)).some(isLocalAddress);
  } catch {
    return false; // Unresolvable: the request fails on its own.
  }
}

export class PrivateTargetError extends Error {}

/**
 * A fetch that refuses requests to local addresses on other origins than `serverUrl`'s, unless the
 * server is local itself; it follows redirects itself so each hop is checked.
 */
export function guardPrivateTargets(fetch: FetchLike, serverUrl: URL, lookup: Lookup = defaultLookup): FetchLike {
  let serverIsLocal: Promise<boolean> | undefined;
  const assertAllowed = async (url: URL): Promise<void> => {
    if (url.origin === serverUrl.origin) return;
    if (await (serverIsLocal ??= isLocalHost(serverUrl.hostname, lookup))) return;
    if (await isLocalHost(url.hostname, lookup)) {
      throw new PrivateTargetError(`Refused a request to ${url.origin}: it is a local or private address, and the MCP server (${serverUrl.origin}) is not.`);
    }
  };
  return async (input, init) => {
    let url = new URL(String(input));
    let request: RequestInit | undefined = init;
    for (let hop = 0; ; hop++) {
      await assertAllowed(url);
      const response = await fetch(url, { ...request, redirect: 'manual' });
      const location = response.headers.get('location');
      if (![301, 302, 303, 307, 308].includes(response.status) || !location || request?.redirect === 'manual') return response;
      if (hop >= MAX_REDIRECTS) throw new Error(`More than ${MAX_REDIRECTS} redirects from ${url.origin}.`);
      await response.body?.cancel().catch(() => undefined);
      // As fetch does: 303, and 301/302 after a POST, continue as a GET without a body.
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && request?.method === 'POST')) {
        const { body: _body, ...rest } = request ?? {};
        request = { ...rest, method: 'GET' };
      }
      const next = new URL(location, url);
      // As fetch does: credentials do not follow a redirect to another origin.
      if (next.origin !== url.origin && request?.headers !== undefined) {
        const headers = new Headers(request.headers);
        headers.delete('authorization');
        headers.delete('cookie');
        request = { ...request, headers };
      }
      url = next;
    }
  };
}
