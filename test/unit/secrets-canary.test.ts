/**
 * Canary secrets: an API key (`sk-canary-…`) and an `${input:}` value are planted, a hostile server
 * and a hostile endpoint try to make them show up, and afterwards every place the extension writes
 * to is searched: the log (every level, trace included), the history file, every message the panel
 * (RequestQueue) posts to the webview, the server's log lines (Show Server Log), and every result or
 * error text the server received. Neither canary may appear in any of them. The stderr tail
 * (shown in the Servers view tooltip) has its own test below.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveDefinitionVariables } from '../../src/core/config/variables';
import { JsonlHistory } from '../../src/core/history/history';
import { ConnectionManager } from '../../src/core/mcp/connectionManager';
import { OpenAiCompatibleProvider } from '../../src/core/providers/openaiCompatible';
import { ProviderRegistry } from '../../src/core/providers/registry';
import { createSamplingHandler } from '../../src/core/sampling/handlerAdapter';
import { createSamplingPipeline } from '../../src/core/sampling/pipeline';
import { DEFAULT_SAMPLING_SETTINGS, type SamplingSettings } from '../../src/core/sampling/settings';
import { parseWebviewMessage, type HostToWebview } from '../../src/shared/protocol';
import { ApprovalQueue } from '../../src/core/approval/queue';
import { handleRequestMessage, toHostMessage } from '../../src/vscode/panel/bridge';
import { RedactingLogger } from '../../src/vscode/redactingLogger';
import { startOpenAiStub } from '../fixtures/openaiStub';
import { callHostile, guardUnhandledRejections, hostileDefinition, hostileWorld, RecordingLogger, waitFor } from './hostile-harness';
import { ENGLISH_CARD_WORDS } from '../../src/vscode/panel/toView';

guardUnhandledRejections();

const random = () => Math.random().toString(36).slice(2, 10) + Date.now().toString(36);
const CANARY_KEY = `sk-canary-${random()}`;
const CANARY_INPUT = `input-canary-${random()}`;

test('the canary API key and ${input:} value appear in no log, history line, webview message or server-facing text', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'secrets-canary-'));
  const logger = new RecordingLogger();
  const posted: HostToWebview[] = [];
  const serverSaw: string[] = [];
  const stub = await startOpenAiStub({ apiKey: CANARY_KEY });
  // An endpoint that echoes the Authorization header back in its error, as some proxies do.
  const echoing = http.createServer((req, res) => {
    if (req.method === 'GET') return void res.writeHead(404).end();
    req.resume();
    req.on('end', () => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `upstream refused credentials "${req.headers.authorization}" (key ${CANARY_KEY})`, type: 'server_error' } }));
    });
  });
  await new Promise<void>((resolve) => echoing.listen(0, '127.0.0.1', resolve));
  const secrets = () => [CANARY_KEY, CANARY_INPUT];

  const post = (message: HostToWebview): void => {
    posted.push(JSON.parse(JSON.stringify(message)) as HostToWebview);
    // The "user" approves everything, through the webview's own message validator and the panel bridge.
    if (message.type === 'request-added') {
      const approve = parseWebviewMessage({ type: 'approve', requestId: message.request.requestId });
      setImmediate(() => approve && approve.type === 'approve' && handleRequestMessage(queue, approve, { post, openDiff: () => {} }));
    }
  };
  const queue: ApprovalQueue = new ApprovalQueue(logger, { changed: (event) => post(toHostMessage(event, ENGLISH_CARD_WORDS)), attention: () => {}, pendingCountChanged: () => {} });
  const registry = new ProviderRegistry(logger);
  const keyed = (id: string, baseUrl: string, model: string) =>
    new OpenAiCompatibleProvider({ setting: { id, baseUrl, defaultModel: model, models: [{ id: model }] }, getApiKey: async () => CANARY_KEY, logger, maxRetries: 0, timeoutMs: 5000 });
  registry.register(keyed('good', stub.baseUrl, 'stub-echo'));
  registry.register(keyed('echoing', `http://127.0.0.1:${(echoing.address() as AddressInfo).port}/v1`, 'any'));
  registry.register(keyed('broken', stub.baseUrl, 'stub-500'));
  const settings: SamplingSettings = { ...DEFAULT_SAMPLING_SETTINGS, approval: 'ask', reviewResponses: false, defaultProvider: 'good', serverSampling: {} };
  const history = new JsonlHistory({ directory: dir, maxEntries: () => 100, secrets, logger });
  const pipeline = createSamplingPipeline({ config: { get: () => settings }, providers: registry, prompter: queue, history, logger, secrets });
  const manager = new ConnectionManager({
    logger,
    samplingHandler: createSamplingHandler(pipeline, { serverSource: () => 'test' }),
    samplingTools: true,
    killGraceMs: 500,
    resolveVariables: (definition, signal) =>
      resolveDefinitionVariables(definition, { workspaceFolder: () => undefined, userHome: () => '/home/test', env: () => undefined, input: async () => CANARY_INPUT }, signal),
  });

  const ask = async (kind: string, provider?: string): Promise<string> => {
    (settings as { serverSampling: SamplingSettings['serverSampling'] }).serverSampling = provider ? { leaky: { provider } } : {};
    const result = await manager.callTool('leaky', 'sample', { kind, text: 'tell me a secret' });
    const text = JSON.stringify(result);
    serverSaw.push(text);
    return text;
  };

  try {
    await manager.update([hostileDefinition('leaky', [], { HOSTILE_TOKEN: '${input:token}' })]);
    assert.equal(manager.status('leaky')?.status, 'connected', manager.status('leaky')?.error);
    const conn = manager.getConnection('leaky')!;
    await waitFor(() => logger.lines.some((l) => l.text.includes('my token is')), 'the leaked log message');

    // Each path that could carry a secret, with a check that it really ran.
    assert.match(await ask('valid', 'good'), /echo: tell me a secret/);
    assert.match(await ask('valid', 'echoing'), /upstream refused credentials/);
    assert.match(await ask('valid', 'broken'), /HTTP 500/);
    assert.match(await ask('dup-tool'), /duplicate tool name/);
    const records = await history.read();
    assert.equal(records.length, 4, 'all four requests are in the history');

    const places: Record<string, string> = {
      log: logger.all(),
      history: readFileSync(history.path, 'utf8'),
      webview: JSON.stringify(posted),
      'server results and errors': serverSaw.join('\n'),
      'server log lines': conn.logLines().join('\n'),
    };
    for (const [where, text] of Object.entries(places)) {
      assert.ok(text.length > 0, `${where} is not empty`);
      assert.ok(!text.includes(CANARY_KEY), `the API key canary leaked into the ${where}`);
      assert.ok(!text.includes(CANARY_INPUT), `the \${input:} canary leaked into the ${where}`);
    }
    // The canaries were there to leak: each was replaced, not merely absent.
    assert.match(places['server log lines']!, /starting with token \S/);
    assert.match(places['log']!, /my token is \S/);
    assert.match(places['server results and errors']!, /upstream refused credentials \W+Bearer \[redacted\]\W+ \(key \[redacted\]\)/);
    assert.match(places['history']!, /duplicate tool name \\"\[redacted\]\\"/);
    assert.ok(posted.some((m) => m.type === 'request-added'), 'the webview saw the requests');
    assert.ok(posted.some((m) => m.type === 'closed' && /HTTP 500/.test(m.reason)), 'the webview saw the failures');
  } finally {
    await manager.dispose();
    echoing.closeAllConnections();
    await Promise.all([stub.close(), new Promise((r) => echoing.close(r))]);
    rmSync(dir, { recursive: true, force: true });
  }
});

// Found by this suite and fixed in 9068878: the kept stderr tail (Servers view tooltip, status events)
// used to hold the raw lines.
test('the ${input:} canary does not appear in the stderr tail the Servers view shows', async () => {
  const manager = new ConnectionManager({
    logger: new RecordingLogger(),
    samplingHandler: async () => {
      throw new Error('unused');
    },
    killGraceMs: 500,
    resolveVariables: (definition, signal) =>
      resolveDefinitionVariables(definition, { workspaceFolder: () => undefined, userHome: () => '/home/test', env: () => undefined, input: async () => CANARY_INPUT }, signal),
  });
  try {
    await manager.update([hostileDefinition('tail-leak', [], { HOSTILE_TOKEN: '${input:token}' })]);
    const conn = manager.getConnection('tail-leak')!;
    await waitFor(() => conn.stderrTail().some((l) => l.includes('starting with token')), 'the stderr line');
    assert.ok(!conn.stderrTail().join('\n').includes(CANARY_INPUT), 'stderrTail() holds the secret');
    await conn.close();
    assert.ok(!JSON.stringify(conn.state.stderrTail).includes(CANARY_INPUT), 'the status stderrTail holds the secret');
  } finally {
    await manager.dispose();
  }
});

test('the production log chain (RedactingLogger over the output channel) masks the canaries even in trace-level prompt logging', async () => {
  const written: string[] = [];
  const channel = Object.fromEntries(
    ['trace', 'debug', 'info', 'warn', 'error'].map((level) => [level, (message: string, ...args: unknown[]) => written.push(`${level} ${message} ${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`)]),
  ) as unknown as ConstructorParameters<typeof RedactingLogger>[0];
  const logger = new RedactingLogger(channel);
  logger.secrets.register(CANARY_KEY);
  logger.secrets.register(CANARY_INPUT);
  const world = hostileWorld({ logger, settings: { approval: 'auto' }, secrets: () => [CANARY_KEY, CANARY_INPUT] });
  try {
    const conn = await world.connect(hostileDefinition('prompt-leaker', [], { HOSTILE_TOKEN: CANARY_INPUT }), { secrets: new Set([CANARY_INPUT]) });
    const outcome = await callHostile(conn, 'sample', { kind: 'leak-prompt' });
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    logger.error(new Error(`provider said ${CANARY_KEY}`));
    const log = written.join('\n');
    assert.match(log, /trace Sampling .* sending to Echo\/echo-1/, 'the prompt was logged at trace level');
    assert.match(log, /the token is \[redacted\]/);
    assert.match(log, /provider said \[redacted\]/);
    assert.ok(!log.includes(CANARY_INPUT) && !log.includes(CANARY_KEY), 'no canary in the output channel');
  } finally {
    await world.close();
  }
});
