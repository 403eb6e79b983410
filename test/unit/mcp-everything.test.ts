/** Against the reference server @modelcontextprotocol/server-everything: stdio, Streamable HTTP and SSE. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Logger } from '../../src/core/logger';
import { ServerConnection } from '../../src/core/mcp/connection';
import type { SamplingHandler } from '../../src/core/mcp/types';
import { parseServerDefinition, type ServerDefinition } from '../../src/core/config/serverDefinition';
import { everythingServerPath, freePort, startEverythingHttp, stopProcess, waitFor } from '../fixtures/fixtureServers';

const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));
after(() => assert.deepEqual(unhandled, [], 'no unhandled rejections'));

const logger: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

function definition(raw: unknown): ServerDefinition {
  const parsed = parseServerDefinition('everything', raw, 'test');
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  return parsed.definition;
}

const prompts: string[] = [];
const handler: SamplingHandler = async (params) => {
  const message = (params as { messages: { content: { text: string } }[] }).messages[0]!;
  prompts.push(message.content.text);
  return { role: 'assistant', content: { type: 'text', text: 'everything answered' }, model: 'fixture-model', stopReason: 'endTurn' };
};

async function exercise(conn: ServerConnection): Promise<void> {
  const state = await conn.connect();
  assert.equal(state.status, 'connected', state.error);
  assert.equal(state.serverInfo?.name, 'mcp-servers/everything');
  assert.ok(conn.tools.some((t) => t.name === 'echo'));
  // trigger-sampling-request is registered after initialize (it depends on our sampling capability)
  // and announced with tools/list_changed.
  await waitFor(() => conn.tools.some((t) => t.name === 'trigger-sampling-request'), 10_000, 'trigger-sampling-request to be listed');
  assert.ok(!conn.tools.some((t) => t.name === 'trigger-sampling-request-async'), 'no task sampling declared without taskSampling');
  const echo = await conn.callTool('echo', { message: 'hi' });
  assert.match(JSON.stringify(echo.content), /Echo: hi/);
  const before = prompts.length;
  const result = await conn.callTool('trigger-sampling-request', { prompt: 'What is MCP?', maxTokens: 50 });
  const text = (result.content as { type: string; text?: string }[]).map((c) => c.text ?? '').join('');
  assert.match(text, /LLM sampling result/);
  assert.match(text, /everything answered/);
  assert.match(text, /fixture-model/);
  assert.equal(prompts.length, before + 1);
  assert.match(prompts[prompts.length - 1]!, /What is MCP\?/);
}

test('server-everything over stdio: tools listed, trigger-sampling-request answered by our handler', { timeout: 60_000 }, async () => {
  const conn = new ServerConnection({ definition: definition({ command: process.execPath, args: [everythingServerPath(), 'stdio'] }), logger, samplingHandler: handler, killGraceMs: 1000 });
  try {
    await exercise(conn);
  } finally {
    await conn.close();
  }
});

test('server-everything over Streamable HTTP on a loopback port', { timeout: 60_000 }, async () => {
  const port = await freePort();
  const server = await startEverythingHttp(port, 'streamableHttp');
  let rootsRequests = 0;
  const rootsSource = {
    listRoots: () => {
      rootsRequests++;
      return [{ uri: 'file:///work/project', name: 'project' }];
    },
  };
  const serverLogs: string[] = [];
  const conn = new ServerConnection({ definition: definition({ type: 'http', url: `http://127.0.0.1:${port}/mcp` }), logger, samplingHandler: handler, rootsSource });
  conn.onDidLog((e) => serverLogs.push(e.text));
  try {
    await exercise(conn);
    assert.equal(conn.state.transport, 'streamableHttp');
    // server-everything asks for roots on its own shortly after initialize, a request tied to no
    // request of ours: it can only arrive over the standalone GET stream the SDK keeps open.
    await waitFor(() => rootsRequests >= 1, 10_000, 'the server to ask for roots');
    await waitFor(() => serverLogs.some((l) => l.includes('Roots updated: 1 root(s)')), 10_000, 'the roots log message');
    await conn.sendRootsListChanged();
    await waitFor(() => rootsRequests >= 2, 10_000, 'the server to ask again after roots/list_changed');
  } finally {
    await conn.close();
    await stopProcess(server);
  }
});

test('an http definition pointing at a legacy SSE endpoint falls back to SSE; type sse connects directly', { timeout: 60_000 }, async () => {
  const port = await freePort();
  const server = await startEverythingHttp(port, 'sse');
  const fallback = new ServerConnection({ definition: definition({ type: 'http', url: `http://127.0.0.1:${port}/sse` }), logger, samplingHandler: handler });
  try {
    await exercise(fallback);
    assert.equal(fallback.state.transport, 'sse');
  } finally {
    await fallback.close();
  }
  const direct = new ServerConnection({ definition: definition({ type: 'sse', url: `http://127.0.0.1:${port}/sse` }), logger, samplingHandler: handler });
  try {
    const state = await direct.connect();
    assert.equal(state.status, 'connected', state.error);
    assert.equal(state.transport, 'sse');
  } finally {
    await direct.close();
    await stopProcess(server);
  }
});

test('an http endpoint that refuses the connection ends in error, not a hang', { timeout: 60_000 }, async () => {
  const port = await freePort();
  const conn = new ServerConnection({ definition: definition({ type: 'http', url: `http://127.0.0.1:${port}/mcp` }), logger, samplingHandler: handler, initializeTimeoutMs: 5000 });
  const state = await conn.connect();
  assert.equal(state.status, 'error');
  assert.match(state.error ?? '', /Could not connect/);
});

test('a Streamable HTTP server that dies is noticed: the connection ends in an unexpected error', { timeout: 60_000 }, async () => {
  const port = await freePort();
  const server = await startEverythingHttp(port, 'streamableHttp');
  const conn = new ServerConnection({ definition: definition({ type: 'http', url: `http://127.0.0.1:${port}/mcp` }), logger, samplingHandler: handler });
  try {
    assert.equal((await conn.connect()).status, 'connected');
    const ended = new Promise<{ error?: string; unexpected?: boolean }>((resolve) => conn.onDidChangeStatus((s) => s.status === 'error' && resolve(s)));
    server.kill('SIGKILL');
    const state = await ended;
    assert.equal(state.unexpected, true);
    assert.match(state.error ?? '', /stopped answering/);
  } finally {
    await conn.close();
    await stopProcess(server);
  }
});

test('elicitation: declared only with a handler; server-everything elicitation/create reaches it and the answer reaches the tool result', { timeout: 60_000 }, async () => {
  const asked: { params: unknown; runningToolCall?: { name: string } }[] = [];
  const conn = new ServerConnection({
    definition: definition({ command: process.execPath, args: [everythingServerPath(), 'stdio'] }),
    logger,
    samplingHandler: handler,
    killGraceMs: 1000,
    elicitationHandler: async (params, context) => {
      asked.push({ params, ...(context.runningToolCall ? { runningToolCall: context.runningToolCall } : {}) });
      return { action: 'accept', content: { name: 'Ada Lovelace', check: true } };
    },
  });
  try {
    assert.equal((await conn.connect()).status, 'connected');
    await waitFor(() => conn.tools.some((t) => t.name === 'trigger-elicitation-request'), 10_000, 'trigger-elicitation-request to be listed');
    const result = await conn.callTool('trigger-elicitation-request', {});
    const text = (result.content as { text?: string }[]).map((c) => c.text ?? '').join('\n');
    assert.match(text, /User provided the requested information/);
    assert.match(text, /Ada Lovelace/);
    assert.equal(asked.length, 1);
    assert.match(JSON.stringify(asked[0]!.params), /requestedSchema/);
    assert.deepEqual(asked[0]!.runningToolCall, { name: 'trigger-elicitation-request' });
  } finally {
    await conn.close();
  }
  const without = new ServerConnection({ definition: definition({ command: process.execPath, args: [everythingServerPath(), 'stdio'] }), logger, samplingHandler: handler, killGraceMs: 1000 });
  try {
    assert.equal((await without.connect()).status, 'connected');
    await waitFor(() => without.tools.some((t) => t.name === 'trigger-sampling-request'), 10_000, 'the conditional tools');
    assert.ok(!without.tools.some((t) => t.name === 'trigger-elicitation-request'), 'no elicitation tool for a client without the capability');
  } finally {
    await without.close();
  }
});

test('task-augmented sampling: declared only when enabled; the server gets a task at once and polls the answer', { timeout: 60_000 }, async () => {
  const contexts: { runningToolCall?: { name: string }; requestId: string | number }[] = [];
  const taskHandler: SamplingHandler = async (params, ctx) => {
    contexts.push({ requestId: ctx.requestId, ...(ctx.runningToolCall ? { runningToolCall: ctx.runningToolCall } : {}) });
    assert.equal((params as { task?: unknown }).task, undefined, 'the pipeline sees the request without its task marker');
    return { role: 'assistant', content: { type: 'text', text: 'answered as a task' }, model: 'task-model', stopReason: 'endTurn' };
  };
  const conn = new ServerConnection({
    definition: definition({ command: process.execPath, args: [everythingServerPath(), 'stdio'] }),
    logger,
    samplingHandler: taskHandler,
    taskSampling: {},
    killGraceMs: 1000,
  });
  try {
    assert.equal((await conn.connect()).status, 'connected');
    await waitFor(() => conn.tools.some((t) => t.name === 'trigger-sampling-request-async'), 10_000, 'trigger-sampling-request-async to be listed');
    const result = await conn.callTool('trigger-sampling-request-async', { prompt: 'in the background', maxTokens: 20 });
    const text = (result.content as { text?: string }[]).map((c) => c.text ?? '').join('\n');
    assert.match(text, /\[COMPLETED\] Async sampling completed/);
    assert.match(text, /answered as a task/);
    assert.equal(contexts.length, 1);
    assert.deepEqual(contexts[0]!.runningToolCall, { name: 'trigger-sampling-request-async' });
  } finally {
    await conn.close();
  }
});
