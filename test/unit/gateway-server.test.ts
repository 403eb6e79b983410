/**
 * The gateway over real HTTP with the real SDK client, in front of a real ConnectionManager with two
 * fixture servers (stdio processes), whose sampling requests go through the real pipeline to a
 * scripted prompter (the panel's interface, deciding programmatically) and an echo provider.
 */
import { EchoProvider } from '../support/echoProvider';
import { FakePrompter } from '../support/fakePrompter';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema, type CallToolResult, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { parseServerDefinition, type ServerDefinition } from '../../src/core/config/serverDefinition';
import { ConnectionManager } from '../../src/core/mcp/connectionManager';
import { ProviderRegistry } from '../../src/core/providers/registry';
import { createSamplingHandler } from '../../src/core/sampling/handlerAdapter';
import { createSamplingPipeline } from '../../src/core/sampling/pipeline';
import { DEFAULT_SAMPLING_SETTINGS } from '../../src/core/sampling/settings';
import { GatewayServer } from '../../src/core/gateway/gatewayServer';
import { fixtureDefinition, repoRoot, waitFor } from '../fixtures/fixtureServers';
import { silentLogger } from '../../src/core/logger';
import { ENGLISH_CARD_WORDS, toRequestView } from '../../src/vscode/panel/toView';

const TOKEN = 'test-token-0123456789abcdef0123456789abcdef';
const VSCODE_TOKEN = 'vscode-token-0123456789abcdef0123456789abcd';

function gatewayFixture(name: string): ServerDefinition {
  const result = parseServerDefinition(name, { command: process.execPath, args: [path.join(repoRoot(), 'out/test/fixtures/gatewayFixtureServer.js'), '--name', name] }, 'settings');
  if (!result.ok) throw new Error(result.error);
  return result.definition;
}

/** The panel, deciding by script: approves, or rejects prompts containing "reject". */
const scriptedPrompter = () =>
  new FakePrompter({
    approve: (request) => (/reject/.test(JSON.stringify(request.params.messages)) ? { kind: 'reject', reason: 'rejected by the test' } : { kind: 'approve', params: request.params, choice: request.choice }),
  });

const textOf = (result: unknown) => ((result as CallToolResult).content as { text?: string }[]).map((c) => c.text ?? '').join('');

describe('the gateway over HTTP with the real SDK client', () => {
  const prompter = scriptedPrompter();
  let manager: ConnectionManager;
  let gateway: GatewayServer;
  let url: URL;
  const clients: Client[] = [];

  before(async () => {
    const providers = new ProviderRegistry();
    providers.register(new EchoProvider({ models: [{ id: 'echo-1', family: 'echo' }] }));
    const pipeline = createSamplingPipeline({
      config: { get: () => ({ ...DEFAULT_SAMPLING_SETTINGS, defaultProvider: 'echo', reviewResponses: false }) },
      providers,
      prompter,
    });
    manager = new ConnectionManager({ logger: silentLogger, samplingHandler: createSamplingHandler(pipeline), killGraceMs: 500, reconnect: { maxAttempts: 0 } });
    await manager.update([fixtureDefinition('alpha', { source: 'settings' }), gatewayFixture('beta'), { ...fixtureDefinition('hidden', { source: 'settings' }), gateway: false }]);
    gateway = new GatewayServer({
      backend: manager,
      isExposed: (status) => status.definition.gateway !== false,
      token: () => TOKEN,
      vscodeToken: () => VSCODE_TOKEN,
      logger: silentLogger,
      limits: { maxConcurrent: 4, maxQueued: 64 },
      listChangeDelayMs: 20,
    });
    await gateway.start(0);
    url = new URL(gateway.url!);
  });

  after(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    await gateway.stop();
    await manager.dispose();
  });

  async function connect(name: string, token = TOKEN): Promise<Client> {
    const client = new Client({ name, version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
    clients.push(client);
    return client;
  }

  it('lists the tools of both exposed servers under stable names, with schemas and annotations passed through', async () => {
    const client = await connect('lister');
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    assert.ok(names.includes('alpha__echo') && names.includes('alpha__sample') && names.includes('beta__wait'), names.join(', '));
    assert.ok(!names.some((n) => n.startsWith('hidden')), 'a server with "gateway": false is not offered');
    for (const name of names) assert.match(name, /^[A-Za-z0-9_-]{1,64}$/);
    const typed = tools.find((t) => t.name === 'beta__typed')!;
    const original = manager.listTools('beta').find((t) => t.name === 'typed')!;
    assert.deepEqual({ ...typed, name: 'typed' }, original, 'everything but the name is the server’s own');
    assert.equal(typed.annotations?.readOnlyHint, true);
    assert.ok(typed.outputSchema, 'the output schema is passed through');

    assert.equal(textOf(await client.callTool({ name: 'alpha__echo', arguments: { text: 'hi' } })), 'hi');
    const structured = await client.callTool({ name: 'beta__typed', arguments: { n: 21 } });
    assert.deepEqual(structured.structuredContent, { doubled: 42 });
    const failed = await client.callTool({ name: 'beta__fail', arguments: {} });
    assert.equal(failed.isError, true, 'a tool error stays a tool error');
    assert.equal(textOf(failed), 'this tool always fails');
    await assert.rejects(client.callTool({ name: 'nope__nothing', arguments: {} }), /Unknown tool/);
  });

  it('passes prompts and resources through', async () => {
    const client = await connect('prompts');
    const { prompts } = await client.listPrompts();
    assert.ok(prompts.some((p) => p.name === 'beta__greet'));
    const prompt = await client.getPrompt({ name: 'beta__greet', arguments: { who: 'gateway' } });
    assert.deepEqual(prompt.messages[0]?.content, { type: 'text', text: 'Hello, gateway!' });
    const { resources } = await client.listResources();
    assert.ok(resources.some((r) => r.uri === 'fixture://beta/notes'));
    const read = await client.readResource({ uri: 'fixture://beta/notes' });
    assert.equal((read.contents[0] as { text: string }).text, 'notes of beta');
    // Both ran within the caller's call bound (its peak counts them), not beside it.
    assert.equal(gateway.status().callers.find((c) => c.name === '"prompts" via the gateway')?.peakInFlight, 1);
  });

  it('answers a server’s sampling request through the pipeline, and the card names the caller', async () => {
    const client = await connect('Claude Code');
    const before = prompter.approvals.length;
    const result = await client.callTool({ name: 'alpha__sample', arguments: { prompt: 'through the gateway' } });
    assert.notEqual(result.isError, true, textOf(result));
    assert.equal((JSON.parse(textOf(result)) as { content: { text: string } }).content.text, 'echo: through the gateway');
    const approval = prompter.approvals[before]!;
    assert.equal(approval.origin.serverName, 'alpha');
    // Over 2025-11-25 stdio the request is only known to arrive while that call ran.
    assert.equal(approval.origin.toolCall, undefined);
    assert.deepEqual(approval.origin.runningToolCall, { name: 'sample', caller: '"Claude Code" via the gateway' });

    // VS Code's own client is known by its own token, not by what it calls itself.
    const vscodeClient = await connect('Claude Code', VSCODE_TOKEN);
    await vscodeClient.callTool({ name: 'alpha__sample', arguments: { prompt: 'from the agent' } });
    assert.equal(prompter.approvals.at(-1)!.origin.runningToolCall?.caller, 'VS Code agent via the gateway');
    const impostor = await connect('VS Code agent');
    await impostor.callTool({ name: 'alpha__sample', arguments: { prompt: 'from an impostor' } });
    assert.equal(prompter.approvals.at(-1)!.origin.runningToolCall?.caller, '"VS Code agent" (not VS Code\'s own client) via the gateway', 'a client cannot pass for VS Code by its name');

    const rejected = await client.callTool({ name: 'alpha__sample', arguments: { prompt: 'please reject this' } });
    assert.equal(rejected.isError, true, 'the server’s error for a rejected request reaches the caller');
    assert.match(textOf(rejected), /reject/i);
  });

  it('a sampling request caused by prompts/get or resources/read names its caller too (issue 23)', async () => {
    const client = await connect('Prompt Reader');
    const before = prompter.approvals.length;
    const prompt = await client.getPrompt({ name: 'beta__ask' });
    assert.deepEqual(prompt.messages[0]?.content, { type: 'text', text: 'echo: from a prompt' });
    const read = await client.readResource({ uri: 'fixture://beta/asked' });
    assert.equal((read.contents[0] as { text: string }).text, 'echo: from a resource');
    const [fromPrompt, fromResource] = prompter.approvals.slice(before);
    for (const approval of [fromPrompt, fromResource]) {
      assert.equal(approval?.origin.serverName, 'beta');
      assert.equal(approval?.origin.caller, '"Prompt Reader" via the gateway');
      assert.equal(approval?.origin.runningToolCall, undefined, 'no tool was running');
    }
    const view = toRequestView(fromPrompt!, { state: 'pending', step: 'approval', responseText: '' }, ENGLISH_CARD_WORDS);
    assert.equal(view.toolCaller, '"Prompt Reader" via the gateway', 'the card says "Called by"');
  });

  it('passes the server’s progress to the caller', async () => {
    const client = await connect('progress');
    const seen: Progress[] = [];
    const result = await client.callTool({ name: 'alpha__slow', arguments: { steps: 5, delayMs: 20 } }, undefined, { onprogress: (p) => seen.push(p) });
    assert.equal(textOf(result), 'done after 5 steps');
    // The SDK's client handles a notification a microtask after a response read in the same chunk, so
    // the step sent just before the result can be dropped (on the gateway's own server link too): the
    // caller must see the steps in order, with the server's totals and messages, all but possibly the last.
    const expected = [1, 2, 3, 4, 5].map((i) => [i, 5, `step ${i}`]);
    const got = seen.map((p) => [p.progress, p.total, p.message]);
    assert.ok(got.length >= 4, `progress seen: ${JSON.stringify(got)}`);
    assert.deepEqual(got, expected.slice(0, got.length));
  });

  it('passes the caller’s cancellation to the server', async () => {
    const client = await connect('canceller');
    const abort = new AbortController();
    const call = client.callTool({ name: 'beta__wait', arguments: { ms: 60_000, tag: 'cancel-me' } }, undefined, { signal: abort.signal });
    // Cancel once the server runs the call (a call cancelled before it was sent never reaches the server).
    await waitFor(async () => (JSON.parse(textOf(await client.callTool({ name: 'beta__stats', arguments: {} }))) as { running: number }).running > 0, 10_000, 'the server to run the call');
    abort.abort('the caller gave up');
    await assert.rejects(call);
    const stats = await waitFor(async () => {
      const s = JSON.parse(textOf(await client.callTool({ name: 'beta__stats', arguments: {} }))) as { cancellations: string[] };
      return s.cancellations.includes('cancel-me') && s;
    }, 5000, 'the server to see the cancellation');
    assert.ok(stats.cancellations.includes('cancel-me'));
    await waitFor(() => gateway.status().inFlight === 0, 5000, 'the gateway to count the call as ended');
  });

  it('tells callers when the tools change: a server connects, disconnects, or adds a tool', async () => {
    const client = await connect('watcher');
    let notices = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => void (notices += 1));
    // Let the client open its standalone SSE stream, where notifications travel.
    await new Promise((r) => setTimeout(r, 200));
    await manager.update([...manager.list().map((s) => s.definition), fixtureDefinition('gamma', { source: 'settings' })]);
    await waitFor(() => notices >= 1, 5000, 'tools/list_changed after gamma connected');
    assert.ok((await client.listTools()).tools.some((t) => t.name === 'gamma__echo'));

    const afterConnect = notices;
    await manager.disconnect('gamma');
    await waitFor(() => notices > afterConnect, 5000, 'tools/list_changed after gamma disconnected');
    assert.ok(!(await client.listTools()).tools.some((t) => t.name.startsWith('gamma__')));
    const gone = await client.callTool({ name: 'gamma__echo', arguments: { text: 'x' } });
    assert.equal(gone.isError, true);
    assert.match(textOf(gone), /Server "gamma" is not connected/);

    const afterDisconnect = notices;
    await client.callTool({ name: 'alpha__add_tool', arguments: {} });
    await waitFor(() => notices > afterDisconnect, 5000, 'tools/list_changed after alpha added a tool');
    assert.ok((await client.listTools()).tools.some((t) => t.name === 'alpha__added_1'));
  });

  it('a running server set to "gateway": false leaves the list at once, callers are told, and its tools cannot be called', async () => {
    const client = await connect('exposure');
    let notices = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => void (notices += 1));
    await new Promise((r) => setTimeout(r, 200));
    assert.ok((await client.listTools()).tools.some((t) => t.name === 'alpha__echo'));
    const original = manager.list().map((s) => s.definition);
    const before = notices;
    // Only the exposure changes: nothing to reconnect.
    await manager.update(original.map((d) => (d.name === 'alpha' ? { ...d, gateway: false } : d)));
    await waitFor(() => notices > before, 5000, 'tools/list_changed after alpha was hidden');
    assert.ok(!(await client.listTools()).tools.some((t) => t.name.startsWith('alpha__')));
    await assert.rejects(client.callTool({ name: 'alpha__echo', arguments: { text: 'x' } }), /Unknown tool "alpha__echo"/);
    assert.equal(manager.status('alpha')?.status, 'connected', 'the server itself kept running');
    await manager.update(original);
    await waitFor(async () => (await client.listTools()).tools.some((t) => t.name === 'alpha__echo'), 5000, 'alpha offered again');
  });

  it('a server that disconnects mid-call gives the caller a tool error', async () => {
    await manager.update([...manager.list().map((s) => s.definition), gatewayFixture('delta')]);
    const client = await connect('mid-call');
    const call = client.callTool({ name: 'delta__wait', arguments: { ms: 60_000 } });
    await waitFor(() => gateway.status().inFlight > 0, 5000, 'the call to be in flight');
    await manager.disconnect('delta');
    const result = await call;
    assert.equal(result.isError, true);
    assert.match(textOf(result), /delta/);
  });

  it('50 concurrent calls from two callers all finish, within the per-caller bound', async () => {
    const one = await connect('caller one');
    const two = await connect('caller two');
    const before = JSON.parse(textOf(await one.callTool({ name: 'beta__stats', arguments: { reset: true } }))) as { calls: number; running: number };
    const calls = Array.from({ length: 50 }, (_, i) => (i % 2 ? one : two).callTool({ name: 'beta__wait', arguments: { ms: 30, tag: `c${i}` } }));
    const results = await Promise.all(calls);
    results.forEach((r, i) => assert.equal(textOf(r), `waited 30 ms for c${i}`));
    const callers = gateway.status().callers.filter((c) => c.name === '"caller one" via the gateway' || c.name === '"caller two" via the gateway');
    assert.equal(callers.length, 2);
    for (const c of callers) {
      assert.ok(c.peakInFlight <= 4, `${c.name} ran ${c.peakInFlight} calls at once (bound 4)`);
      assert.ok(c.peakInFlight >= 2, `${c.name} ran calls concurrently (peak ${c.peakInFlight})`);
    }
    const after = JSON.parse(textOf(await one.callTool({ name: 'beta__stats', arguments: {} }))) as { calls: number; maxRunning: number };
    assert.equal(after.calls - before.calls, 50);
    assert.ok(after.maxRunning - before.running <= 8, `the server saw at most 2 × 4 of these calls at once, not ${after.maxRunning - before.running}`);
  });
});

describe('the gateway refuses requests that are not from a local MCP client with the token', () => {
  let gateway: GatewayServer;
  let manager: ConnectionManager;
  before(async () => {
    manager = new ConnectionManager({ logger: silentLogger, samplingHandler: async () => assert.fail('no sampling here') });
    gateway = new GatewayServer({ backend: manager, isExposed: () => true, token: () => TOKEN, logger: silentLogger });
    await gateway.start(0);
  });
  after(async () => {
    await gateway.stop();
    await manager.dispose();
  });

  const initialize = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });

  /** A raw HTTP POST (node:http, so Host and Origin can be set freely). */
  function post(headers: Record<string, string>): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port: gateway.port, path: '/mcp', method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
        },
      );
      req.on('error', reject);
      req.end(initialize);
    });
  }

  it('no token or a wrong token: 401', async () => {
    const none = await post({});
    assert.equal(none.status, 401);
    assert.match(String(none.headers['www-authenticate']), /^Bearer/);
    assert.equal((await post({ authorization: `Bearer ${TOKEN}x` })).status, 401);
    assert.equal((await post({ authorization: `Basic ${TOKEN}` })).status, 401);
    assert.equal((await post({ authorization: 'Bearer ' })).status, 401);
  });

  it('a foreign Host (DNS rebinding) or a browser Origin: 403, even with the token', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    assert.equal((await post({ ...auth, host: `evil.example:${gateway.port}` })).status, 403);
    assert.equal((await post({ ...auth, host: `127.0.0.1:${gateway.port! + 1}` })).status, 403);
    assert.equal((await post({ ...auth, origin: 'https://evil.example' })).status, 403);
    assert.equal((await post({ ...auth, origin: `http://127.0.0.1:${gateway.port}` })).status, 403);
    const ok = await post({ ...auth, host: `localhost:${gateway.port}` });
    assert.equal(ok.status, 200, ok.body);
  });

  it('never puts the token in an answer', async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: "Bearer wrong" }, { authorization: `Bearer ${TOKEN}`, origin: "https://x" }];
    for (const headers of attempts) {
      const res = await post(headers);
      assert.ok(!res.body.includes(TOKEN) && !JSON.stringify(res.headers).includes(TOKEN));
    }
  });
});

describe('the gateway\'s session places', () => {
  it('an initialize the transport refuses (a wrong Accept header) does not keep a place among maxSessions', async () => {
    const manager = new ConnectionManager({ logger: silentLogger, samplingHandler: async () => assert.fail('no sampling here') });
    const gateway = new GatewayServer({ backend: manager, isExposed: () => true, token: () => TOKEN, logger: silentLogger, limits: { maxSessions: 2 } });
    await gateway.start(0);
    const client = new Client({ name: 'after the refusals', version: '1.0.0' });
    try {
      const initialize = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
      for (let i = 0; i < 3; i++) {
        const refused = await fetch(`${gateway.url}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', accept: 'application/json' }, body: initialize });
        assert.equal(refused.status, 406, await refused.text());
      }
      // The 30 s timeout for a pending session has not passed: the places must be free already.
      await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url!), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }));
      assert.equal(gateway.status().callers.length, 1);
    } finally {
      await client.close();
      await gateway.stop();
      await manager.dispose();
    }
  });
});
