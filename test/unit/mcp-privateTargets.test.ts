/**
 * Issue 23, item 12: OAuth metadata discovery and dynamic registration (and the CLI's headless
 * sign-in GET) went to any URL a server named, private and link-local addresses included, before
 * any sign-in modal (blind SSRF). Now refused unless the MCP server itself is on such an address.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { guardPrivateTargets, isLocalAddress, isLocalHost, MAX_REDIRECTS, PrivateTargetError } from '../../src/core/mcp/privateTargets';
import { createHeadlessAuthorizationUi } from '../../src/cli/headlessAuthorization';
import type { FetchLike } from '../../src/core/mcp/limitedFetch';

const DNS: Record<string, string[]> = {
  'mcp.example.com': ['93.184.216.34'],
  'auth.example.com': ['93.184.216.35'],
  'intranet.example.com': ['192.168.1.20'],
  'sneaky.example.com': ['93.184.216.36', '10.0.0.7'],
};
const lookup = async (host: string) => {
  const found = DNS[host];
  if (!found) throw new Error(`ENOTFOUND ${host}`);
  return found;
};

/** A fetch that records what it was asked and answers from `routes` (by href), 200 otherwise. */
function recordingFetch(routes: Record<string, { status: number; location?: string }> = {}) {
  const seen: { url: string; init: RequestInit | undefined }[] = [];
  const fetch: FetchLike = async (url, init) => {
    seen.push({ url: String(url), init });
    const route = routes[String(url)];
    return new Response(route ? null : 'ok', { status: route?.status ?? 200, headers: route?.location ? { location: route.location } : {} });
  };
  return { fetch, seen };
}

test('local, private and link-local addresses are recognized, v4, v6 and v4-mapped', () => {
  for (const local of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.0.1', '169.254.169.254', '0.0.0.0', '100.64.0.1', '::1', '[::1]', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:169.254.169.254', '::']) {
    assert.equal(isLocalAddress(local), true, local);
  }
  for (const remote of ['93.184.216.34', '172.32.0.1', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8', 'example.com']) {
    assert.equal(isLocalAddress(remote), false, remote);
  }
});

test('host names: localhost always, others by what they resolve to (any local address counts)', async () => {
  assert.equal(await isLocalHost('localhost', lookup), true);
  assert.equal(await isLocalHost('api.localhost', lookup), true);
  assert.equal(await isLocalHost('intranet.example.com', lookup), true);
  assert.equal(await isLocalHost('sneaky.example.com', lookup), true);
  assert.equal(await isLocalHost('auth.example.com', lookup), false);
});

test('a public server cannot send our metadata or registration requests to local addresses', async () => {
  const { fetch, seen } = recordingFetch();
  const guarded = guardPrivateTargets(fetch, new URL('https://mcp.example.com/mcp'), lookup);
  for (const target of ['http://169.254.169.254/latest/meta-data/.well-known/oauth-authorization-server', 'http://127.0.0.1:8080/register', 'http://[::1]:9000/.well-known/openid-configuration', 'https://intranet.example.com/.well-known/oauth-protected-resource', 'https://sneaky.example.com/register', 'http://localhost:631/']) {
    await assert.rejects(guarded(target, { method: 'POST', body: '{}' }), PrivateTargetError, target);
  }
  assert.equal(seen.length, 0, 'nothing was sent');
  // Public authorization servers and the server's own origin are fine.
  assert.equal((await guarded('https://auth.example.com/.well-known/oauth-authorization-server')).status, 200);
  assert.equal((await guarded('https://mcp.example.com/.well-known/oauth-protected-resource')).status, 200);
});

test('a redirect to a local address is refused too; credentials do not follow another origin; hops are bounded', async () => {
  const { fetch, seen } = recordingFetch({
    'https://auth.example.com/.well-known/oauth-authorization-server': { status: 302, location: 'http://169.254.169.254/computeMetadata/v1/' },
    'https://auth.example.com/token': { status: 307, location: 'https://mcp.example.com/token' },
    'https://auth.example.com/loop': { status: 302, location: 'https://auth.example.com/loop' },
  });
  const guarded = guardPrivateTargets(fetch, new URL('https://mcp.example.com/mcp'), lookup);
  await assert.rejects(guarded('https://auth.example.com/.well-known/oauth-authorization-server'), PrivateTargetError);
  assert.deepEqual(seen.map((s) => s.url), ['https://auth.example.com/.well-known/oauth-authorization-server']);

  const answered = await guarded('https://auth.example.com/token', { method: 'POST', body: 'grant_type=x', headers: { Authorization: 'Bearer abc', 'x-kept': '1' } });
  assert.equal(answered.status, 200);
  const followed = seen.at(-1)!;
  assert.equal(followed.url, 'https://mcp.example.com/token');
  assert.equal(followed.init?.method, 'POST', '307 keeps the method');
  assert.equal(new Headers(followed.init?.headers).get('authorization'), null);
  assert.equal(new Headers(followed.init?.headers).get('x-kept'), '1');

  await assert.rejects(guarded('https://auth.example.com/loop'), new RegExp(`More than ${MAX_REDIRECTS} redirects`));
});

test('a server on a local address keeps its local authorization servers (the conformance suite’s case)', async () => {
  const { fetch } = recordingFetch();
  const guarded = guardPrivateTargets(fetch, new URL('http://127.0.0.1:3000/mcp'), lookup);
  assert.equal((await guarded('http://127.0.0.1:4000/.well-known/oauth-authorization-server')).status, 200);
  assert.equal((await guarded('http://localhost:4001/register', { method: 'POST' })).status, 200);
  const intranet = guardPrivateTargets(fetch, new URL('https://intranet.example.com/mcp'), lookup);
  assert.equal((await intranet('http://10.0.0.9/token', { method: 'POST' })).status, 200);
});

test('the CLI’s headless sign-in does not GET a local authorization URL for a public server', async () => {
  const { fetch, seen } = recordingFetch();
  const ui = createHeadlessAuthorizationUi(undefined, fetch as typeof globalThis.fetch, new URL('https://93.184.216.34/mcp'));
  await assert.rejects(ui.authorize(new URL('http://169.254.169.254/authorize?client_id=x'), new AbortController().signal), PrivateTargetError);
  assert.equal(seen.length, 0);
});
