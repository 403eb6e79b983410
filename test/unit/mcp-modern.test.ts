/**
 * The connection against a server that speaks only MCP 2026-07-28 (test/fixtures/modernServer.ts),
 * over stdio (a real process) and Streamable HTTP (a real loopback server): discovery, the
 * envelope, every guard-pattern tool through the real sampling pipeline (route input-required),
 * requestState byte for byte, cancellation mid-round, servers that lie, and the choice of revision
 * (fallback to initialize for 2025-era servers, pins).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ServerDefinition } from '../../src/core/config/serverDefinition';
import { ServerConnection } from '../../src/core/mcp/connection';
import type { ServerConnectionOptions } from '../../src/core/mcp/types';
import { createElicitationHandler } from '../../src/core/mcp/protocolExtensions';
import { ProviderRegistry } from '../../src/core/providers/registry';
import { headlessElicitationPrompter } from '../../src/core/rounds/elicitation';
import { createSamplingHandler } from '../../src/core/sampling/handlerAdapter';
import { createSamplingPipeline } from '../../src/core/sampling/pipeline';
import { DEFAULT_SAMPLING_SETTINGS, type SamplingSettings } from '../../src/core/sampling/settings';
import { echoInAngles, EchoProvider } from '../support/echoProvider';
import { FakePrompter } from '../support/fakePrompter';
import { repoRoot, samplingServerPath } from '../fixtures/fixtureServers';
import { ModernServer, serveHttp, type ModernRecord } from '../fixtures/modernServer';

const modernServerPath = () => path.join(repoRoot(), 'out', 'test', 'fixtures', 'modernServer.js');
const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

interface Setup {
  readonly connection: ServerConnection;
  readonly prompter: FakePrompter;
  records(): ModernRecord[];
  close(): Promise<void>;
}

function pipelineOptions(prompter: FakePrompter): Pick<ServerConnectionOptions, 'samplingHandler' | 'inputRequiredSamplingHandler' | 'elicitationHandler'> {
  const registry = new ProviderRegistry();
  registry.register(new EchoProvider({ answer: echoInAngles }));
  const settings: SamplingSettings = { ...DEFAULT_SAMPLING_SETTINGS, approval: 'ask', defaultProvider: 'echo', reviewResponses: false };
  const pipeline = createSamplingPipeline({ config: { get: () => settings }, providers: registry, prompter });
  return {
    samplingHandler: createSamplingHandler(pipeline, { serverSource: () => 'test' }),
    inputRequiredSamplingHandler: createSamplingHandler(pipeline, { serverSource: () => 'test', route: 'input-required' }),
    elicitationHandler: createElicitationHandler(headlessElicitationPrompter),
  };
}

async function setupStdio(wait = false, extra: Partial<ServerConnectionOptions> = {}): Promise<Setup> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mcp-modern-'));
  const recordFile = path.join(dir, 'records.jsonl');
  const prompter = new FakePrompter(wait ? { approve: () => 'wait' } : {});
  const definition: ServerDefinition = { name: 'modern', source: 'test', disabled: false, type: 'stdio', command: process.execPath, args: [modernServerPath()], env: { MODERN_RECORD_FILE: recordFile } };
  const connection = new ServerConnection({ definition, logger: silent, samplingTools: true, ...pipelineOptions(prompter), ...extra });
  return {
    connection,
    prompter,
    records: () => {
      try {
        return readFileSync(recordFile, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as ModernRecord);
      } catch {
        return [];
      }
    },
    close: async () => {
      await connection.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function setupHttp(wait = false, extra: Partial<ServerConnectionOptions> = {}): Promise<Setup> {
  const server = new ModernServer();
  const served = await serveHttp(server);
  const prompter = new FakePrompter(wait ? { approve: () => 'wait' } : {});
  const definition: ServerDefinition = { name: 'modern-http', source: 'test', disabled: false, type: 'http', url: served.url, headers: {} };
  const connection = new ServerConnection({ definition, logger: silent, samplingTools: true, ...pipelineOptions(prompter), ...extra });
  return {
    connection,
    prompter,
    records: () => server.records,
    close: async () => {
      await connection.dispose();
      await served.close();
    },
  };
}

const text = (result: { content: unknown[] }) => (result.content[0] as { text: string }).text;

for (const [kind, setup] of [
  ['stdio', setupStdio],
  ['http', setupHttp],
] as const) {
  test(`${kind}: connects with MCP 2026-07-28 through server/discover, never initialize, and declares sampling.tools per request`, { timeout: 30_000 }, async () => {
    const s = await setup();
    try {
      const state = await s.connection.connect();
      assert.equal(state.status, 'connected', state.error);
      assert.equal(state.protocolVersion, '2026-07-28');
      assert.equal(s.connection.protocolVersion, '2026-07-28');
      assert.deepEqual(state.serverInfo, { name: 'modern-fixture', version: '1.0.0' });
      assert.equal(state.transport, kind === 'stdio' ? 'stdio' : 'streamableHttp');
      assert.ok(s.connection.tools.some((t) => t.name === 'summarize'));
      assert.deepEqual(s.connection.prompts.map((p) => p.name), ['haiku']);
      const records = s.records();
      assert.ok(!records.some((r) => r.method === 'initialize'), 'no initialize was sent');
      const discover = records.find((r) => r.method === 'server/discover');
      assert.deepEqual((discover?.capabilities as { sampling?: unknown }).sampling, { tools: {} });
    } finally {
      await s.close();
    }
  });

  test(`${kind}: the guard-pattern sampling tool goes through the pipeline (route input-required) and gets the model's answer`, { timeout: 30_000 }, async () => {
    const s = await setup();
    try {
      assert.equal((await s.connection.connect()).status, 'connected');
      const result = await s.connection.callTool('summarize', { text: 'the long notes' });
      assert.equal(text(result), 'Summary: echo<Summarize: the long notes>');
      const [approval] = s.prompter.approvals;
      assert.ok(approval);
      assert.equal(approval.origin.route, 'input-required');
      assert.equal(approval.origin.protocolVersion, '2026-07-28', 'the revision travels with the origin to the card and history');
      assert.deepEqual(approval.origin.toolCall, { name: 'summarize' });
      assert.equal(approval.params.systemPrompt, 'You are a concise summarizer.');
      assert.deepEqual(approval.params.modelPreferences?.hints, [{ name: 'claude-sonnet' }]);
      assert.equal(approval.params.maxTokens, 200);
      assert.equal(approval.params.temperature, 0.3);
      const retry = s.records().find((r) => r.name === 'summarize' && r.round === 1);
      assert.deepEqual(retry?.inputResponseKeys, ['summary']);
      assert.equal(retry?.stateMatched, true, 'requestState came back byte for byte');
    } finally {
      await s.close();
    }
  });

  test(`${kind}: elicitation then sampling in two rounds, two samplings in one round, requestState always byte for byte`, { timeout: 30_000 }, async () => {
    const s = await setup();
    try {
      assert.equal((await s.connection.connect()).status, 'connected');
      assert.equal(text(await s.connection.callTool('confirm_then_summarize', {})), 'accept: echo<Summarize the release notes.>');
      const round1 = s.records().find((r) => r.name === 'confirm_then_summarize' && r.round === 1);
      assert.deepEqual(round1?.inputResponses, { confirm: { action: 'accept', content: { go: true } } });
      assert.equal(text(await s.connection.callTool('compare', { a: 'apples', b: 'pears' })), 'A: echo<Describe apples> | B: echo<Describe pears>');
      const compareApprovals = s.prompter.approvals.filter((a) => a.origin.toolCall?.name === 'compare');
      assert.equal(compareApprovals.length, 2, 'both samplings of the round reached the pipeline');
      const retries = s.records().filter((r) => r.stateMatched !== undefined);
      assert.ok(retries.length >= 3);
      assert.ok(retries.every((r) => r.stateMatched === true), 'every requestState was echoed unchanged');
    } finally {
      await s.close();
    }
  });

  test(`${kind}: prompts/get and resources/read answer input_required rounds too`, { timeout: 30_000 }, async () => {
    const s = await setup();
    try {
      assert.equal((await s.connection.connect()).status, 'connected');
      const prompt = await s.connection.getPrompt('haiku', undefined);
      assert.deepEqual(prompt.messages[0]?.content, { type: 'text', text: 'echo<Write a haiku about rivers>' });
      const resource = await s.connection.readResource('memo://today');
      assert.equal((resource.contents[0] as { text: string }).text, 'Memo for Ada');
    } finally {
      await s.close();
    }
  });

  test(`${kind}: a server that never stops asking is stopped at the round bound with a clear error`, { timeout: 30_000 }, async () => {
    const s = await setup();
    try {
      assert.equal((await s.connection.connect()).status, 'connected');
      await assert.rejects(s.connection.callTool('endless', {}, { maxRounds: 3 }), /still asked for input after 3 rounds/);
      assert.equal(s.prompter.approvals.length, 3);
      assert.equal(s.connection.state.status, 'connected');
    } finally {
      await s.close();
    }
  });

  test(`${kind}: cancelling the call mid-round closes the card, sends no retry, and the connection stays usable`, { timeout: 30_000 }, async () => {
    const s = await setup(true);
    try {
      assert.equal((await s.connection.connect()).status, 'connected');
      const controller = new AbortController();
      const call = s.connection.callTool('wait_for_cancel', {}, { signal: controller.signal });
      const deadline = Date.now() + 10_000;
      while (s.prompter.approvals.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.equal(s.prompter.approvals.length, 1, 'the card opened');
      controller.abort(new Error('The user cancelled the tool call.'));
      await assert.rejects(call, /cancelled/);
      assert.equal(s.prompter.approvalSignals[0]?.aborted, true, 'the card was closed');
      assert.ok(!s.records().some((r) => r.name === 'wait_for_cancel' && r.round === 1), 'no retry was sent');
      assert.equal(s.connection.state.status, 'connected');
    } finally {
      await s.close();
    }
  });

  test(`${kind}: a lying server gets a clear error for each lie, and the connection survives`, { timeout: 60_000 }, async () => {
    const s = await setup();
    try {
      assert.equal((await s.connection.connect()).status, 'connected');
      await assert.rejects(s.connection.callTool('lie', { how: 'unknown_result_type' }), /unknown resultType "partial_maybe"/);
      await assert.rejects(s.connection.callTool('lie', { how: 'unknown_method' }), /asked for "filesystem\/readAll".*does not support/);
      await assert.rejects(s.connection.callTool('lie', { how: 'flood' }), /10000 inputs in one round, more than the 16 accepted/);
      await assert.rejects(s.connection.callTool('lie', { how: 'huge_state' }), /requestState is 10485760 characters, more than the 1048576 accepted/);
      assert.equal(s.prompter.approvals.length, 0, 'nothing reached the panel');
      assert.equal(s.connection.state.status, 'connected');
      assert.equal(text(await s.connection.callTool('summarize', { text: 'still here' })), 'Summary: echo<Summarize: still here>');
    } finally {
      await s.close();
    }
  });
}

test('stdio: a 2025-era server (no server/discover) gets initialize and MCP 2025-11-25; pushed sampling still works', { timeout: 30_000 }, async () => {
  const prompter = new FakePrompter();
  const definition: ServerDefinition = { name: 'legacy', source: 'test', disabled: false, type: 'stdio', command: process.execPath, args: [samplingServerPath()], env: {} };
  const connection = new ServerConnection({ definition, logger: silent, ...pipelineOptions(prompter) });
  try {
    const state = await connection.connect();
    assert.equal(state.status, 'connected', state.error);
    assert.equal(state.protocolVersion, '2025-11-25');
  } finally {
    await connection.dispose();
  }
});

test('pins: 2026-07-28 on a 2025-era server fails clearly; 2025-11-25 on a 2026-only server fails with its message', { timeout: 30_000 }, async () => {
  const prompter = new FakePrompter();
  const legacy: ServerDefinition = { name: 'legacy', source: 'test', disabled: false, type: 'stdio', command: process.execPath, args: [samplingServerPath()], env: {}, protocol: '2026-07-28' };
  const pinnedModern = new ServerConnection({ definition: legacy, logger: silent, ...pipelineOptions(prompter) });
  try {
    const state = await pinnedModern.connect();
    assert.equal(state.status, 'error');
    assert.match(state.error ?? '', /pinned to MCP 2026-07-28 \("protocol"\), but server\/discover failed with -32601/);
  } finally {
    await pinnedModern.dispose();
  }
  const s = await setupStdio(false, { protocol: '2025-11-25' });
  try {
    const state = await s.connection.connect();
    assert.equal(state.status, 'error');
    assert.match(state.error ?? '', /speaks only MCP 2026-07-28; initialize is not part of it/);
  } finally {
    await s.close();
  }
});
