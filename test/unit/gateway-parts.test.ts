/** The gateway's pure parts: names, request checks, the per-caller bound, which servers are offered. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assignNames, MAX_NAME_LENGTH } from '../../src/core/gateway/naming';
import { hasValidBearer, isBrowserRequest, isLoopbackHost, newGatewayToken } from '../../src/core/gateway/security';
import { CallLimiter, CallLimitError } from '../../src/core/gateway/callLimiter';
import { isExposed } from '../../src/core/gateway/exposure';
import { clientConfigs } from '../../src/core/gateway/clientConfigs';
import { callerLabel } from '../../src/core/gateway/gatewayServer';
import { parseServerDefinition, type ServerDefinition } from '../../src/core/config/serverDefinition';

const names = (items: { server: string; name: string }[]) => [...assignNames(items)].map(([gatewayName, item]) => [gatewayName, item.server, item.name]);

test('names: <server>__<tool>, within 64 characters of [A-Za-z0-9_-], containing the tool name', () => {
  assert.deepEqual(names([{ server: 'everything', name: 'trigger-sampling-request' }]), [['everything__trigger-sampling-request', 'everything', 'trigger-sampling-request']]);
  const long = 'a-very-long-tool-name-that-takes-most-of-the-room-0123456789';
  const name = names([{ server: 'my server with spaces', name: long }])[0]![0] as string;
  assert.ok(name.length <= MAX_NAME_LENGTH && name.endsWith(`__${long}`), name);
  const dotted = names([{ server: 'files', name: 'read.file' }])[0]![0] as string;
  assert.equal(dotted, 'files__read_file');
  const huge = names([{ server: 's', name: 'x'.repeat(200) }])[0]![0] as string;
  assert.ok(huge.length <= MAX_NAME_LENGTH && /^s__x+_[0-9a-f]{6}$/.test(huge), huge);
  for (const [n] of names([{ server: 'ü/é', name: '名前' }, { server: '', name: '' }])) assert.match(n as string, /^[A-Za-z0-9_-]{1,64}$/);
});

test('names are stable: colliding pairs get a hash of their own, whatever the order', () => {
  const a = { server: 'a.b', name: 'c' };
  const b = { server: 'a_b', name: 'c' };
  const c = { server: 'other', name: 'c' };
  const forward = new Map(names([a, b, c]).map(([n, s, t]) => [`${s}/${t}`, n]));
  const backward = new Map(names([c, b, a]).map(([n, s, t]) => [`${s}/${t}`, n]));
  assert.deepEqual(forward, backward);
  assert.notEqual(forward.get('a.b/c'), forward.get('a_b/c'));
  assert.equal(forward.get('other/c'), 'other__c', 'a name that does not collide keeps its plain form');
  assert.ok(forward.get('a.b/c')!.includes('__c_'));
});

test('Host must be a loopback name with the gateway’s port', () => {
  for (const host of ['127.0.0.1:3000', 'localhost:3000', '[::1]:3000', 'LOCALHOST:3000', '127.0.0.1']) assert.ok(isLoopbackHost(host, 3000), host);
  for (const host of [undefined, '', 'evil.example:3000', '127.0.0.1:3001', 'localhost.evil.example:3000', '127.0.0.2:3000', '0.0.0.0:3000', '[::1]:80', 'localhost:3000:1'])
    assert.ok(!isLoopbackHost(host, 3000), String(host));
});

test('any Origin is a browser', () => {
  assert.ok(isBrowserRequest('https://evil.example'));
  assert.ok(isBrowserRequest('null'));
  assert.ok(!isBrowserRequest(undefined));
});

test('bearer tokens: 256 random bits; only the exact token passes', () => {
  const token = newGatewayToken();
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(newGatewayToken(), token);
  assert.ok(hasValidBearer(`Bearer ${token}`, token));
  assert.ok(hasValidBearer(`bearer ${token}`, token));
  for (const header of [undefined, '', token, `Bearer ${token}x`, `Bearer ${token.slice(1)}`, `Basic ${token}`, 'Bearer', `Bearer ${token} extra`]) assert.ok(!hasValidBearer(header, token), String(header));
  assert.ok(!hasValidBearer('Bearer ', ''), 'an empty expected token never matches');
});

test('the call limiter runs at most maxConcurrent, queues maxQueued more in order, refuses the rest', async () => {
  const limiter = new CallLimiter({ maxConcurrent: 2, maxQueued: 2 });
  const releases: (() => void)[] = [];
  const order: number[] = [];
  const task = (i: number) => () => new Promise<number>((resolve) => releases.push(() => (order.push(i), resolve(i))));
  const running = [0, 1, 2, 3].map((i) => limiter.run(undefined, task(i)));
  await new Promise((r) => setImmediate(r));
  assert.equal(limiter.inFlight, 2);
  assert.equal(limiter.queued, 2);
  await assert.rejects(limiter.run(undefined, task(9)), CallLimitError);
  const abort = new AbortController();
  // A full queue refuses; after one finishes, a waiting call that is cancelled leaves the queue.
  releases.shift()!();
  await running[0];
  const cancelled = limiter.run(abort.signal, task(8));
  abort.abort(new Error('gone'));
  await assert.rejects(cancelled, /gone/);
  while (releases.length) {
    releases.shift()!();
    await new Promise((r) => setImmediate(r));
  }
  assert.deepEqual(await Promise.all(running), [0, 1, 2, 3]);
  assert.deepEqual(order, [0, 1, 2, 3]);
  assert.equal(limiter.peak, 2);
  assert.equal(limiter.inFlight, 0);
});

function def(raw: Record<string, unknown>, source = 'settings'): ServerDefinition {
  const r = parseServerDefinition('s', raw, source);
  if (!r.ok) throw new Error(r.error);
  return r.definition;
}

test('exposure: settings servers by default, mcp.json ones on opt-in, workspace ones only when trusted, never the gateway itself', () => {
  const ctx = { exposeMcpJsonServers: false, workspaceTrusted: true, gatewayPort: 4321 };
  assert.ok(isExposed(def({ command: 'x' }), 'settings', ctx));
  assert.ok(!isExposed(def({ command: 'x', gateway: false }), 'settings', ctx));
  assert.ok(!isExposed(def({ command: 'x' }), 'userMcpJson', ctx));
  assert.ok(isExposed(def({ command: 'x' }), 'userMcpJson', { ...ctx, exposeMcpJsonServers: true }));
  assert.ok(isExposed(def({ command: 'x', gateway: true }), 'workspaceMcpJson', ctx));
  assert.ok(!isExposed(def({ command: 'x', gateway: true }), 'workspaceMcpJson', { ...ctx, workspaceTrusted: false }));
  assert.ok(!isExposed(def({ command: 'x' }), 'workspaceMcpJson', { exposeMcpJsonServers: true, workspaceTrusted: false }));
  assert.ok(!isExposed(def({ url: 'http://127.0.0.1:4321/mcp' }), 'settings', ctx));
  assert.ok(!isExposed(def({ url: 'http://localhost:4321/mcp' }), 'settings', ctx));
  assert.ok(isExposed(def({ url: 'http://127.0.0.1:4322/mcp' }), 'settings', ctx));
  assert.equal(parseServerDefinition('s', { command: 'x', gateway: 'no' }, 'settings').ok, false, '"gateway" must be a boolean');
});

test('client configurations: each holds the URL and the token in its client’s documented shape', () => {
  const url = 'http://127.0.0.1:4321/mcp';
  const token = 'T'.repeat(43);
  const configs = new Map(clientConfigs(url, token).map((c) => [c.id, c.text]));
  assert.equal(configs.get('claude-code'), `claude mcp add --transport http mcp-sampling ${url} --header "Authorization: Bearer ${token}"`);
  assert.deepEqual(JSON.parse(configs.get('cursor')!), { mcpServers: { 'mcp-sampling': { url, headers: { Authorization: `Bearer ${token}` } } } });
  assert.equal(JSON.parse(configs.get('cline')!).mcpServers['mcp-sampling'].type, 'streamableHttp');
  assert.equal(JSON.parse(configs.get('gemini-cli')!).mcpServers['mcp-sampling'].httpUrl, url);
  assert.deepEqual(JSON.parse(configs.get('mcp-json')!), { servers: { 'mcp-sampling': { type: 'http', url, headers: { Authorization: `Bearer ${token}` } } } });
  assert.match(configs.get('continue')!, new RegExp(`type: streamable-http\\n    url: ${url.replace(/[.]/g, '\\.')}\\n[\\s\\S]*Authorization: "Bearer ${token}"`));
});

test('callerLabel: only VS Code\'s token is "VS Code agent"; any other name is a quoted claim, whatever its spelling', () => {
  assert.equal(callerLabel(true, 'anything'), 'VS Code agent via the gateway');
  assert.equal(callerLabel(false, 'Claude Code'), '"Claude Code" via the gateway');
  assert.equal(callerLabel(false, undefined), 'An MCP client via the gateway');
  assert.equal(callerLabel(false, ' \u00a0 '), 'An MCP client via the gateway');
  const claim = '"VS Code agent" (not VS Code\'s own client) via the gateway';
  assert.equal(callerLabel(false, 'VS Code agent'), claim);
  assert.equal(callerLabel(false, 'VS\u00a0Code agent'), claim, 'a no-break space');
  assert.equal(callerLabel(false, 'VS   Code agent'), claim, 'several spaces');
  assert.equal(callerLabel(false, 'ＶＳ Ｃｏｄｅ agent'), claim, 'full-width letters');
  assert.equal(callerLabel(false, 'Visual Studio Code'), '"Visual Studio Code" (not VS Code\'s own client) via the gateway');
  // A Cyrillic С in place of the Latin C: not caught by the check, so shown quoted.
  assert.equal(callerLabel(false, 'VS \u0421ode agent'), '"VS \u0421ode agent" via the gateway');
  // Separators between the letters (issue 23): still a claim, and said to be not VS Code's client.
  assert.equal(callerLabel(false, 'VS-Code agent'), '"VS-Code agent" (not VS Code\'s own client) via the gateway');
  assert.equal(callerLabel(false, 'V.S. Code'), '"V.S. Code" (not VS Code\'s own client) via the gateway');
  assert.equal(callerLabel(false, 'vs_code'), '"vs_code" (not VS Code\'s own client) via the gateway');
  // A quote in the name cannot close the claim early.
  assert.equal(callerLabel(false, 'x" via the gateway, and "VS Code agent'), '"x\' via the gateway, and \'VS Code agent" (not VS Code\'s own client) via the gateway');
});
