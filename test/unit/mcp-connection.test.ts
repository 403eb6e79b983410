import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CreateMessageResult } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../../src/core/logger';
import { ServerConnection } from '../../src/core/mcp/connection';
import type { SamplingHandler, SamplingRequestContext, ServerConnectionOptions } from '../../src/core/mcp/types';
import type { ServerDefinition } from '../../src/core/config/serverDefinition';
import { fixtureDefinition, pidAlive, waitFor } from '../fixtures/fixtureServers';

// Each test has a timeout: a promise that never settles with no handle left would otherwise end
// the process silently instead of failing.
const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));
after(() => assert.deepEqual(unhandled, [], 'no unhandled rejections during the connection tests'));

function recordingLogger(lines: string[]): Logger {
  const put = (level: string) => (message: string | Error) => lines.push(`${level} ${String(message)}`);
  return { trace: put('trace'), debug: put('debug'), info: put('info'), warn: put('warn'), error: put('error') };
}

const refuseSampling: SamplingHandler = async () => {
  throw new Error('no sampling in this test');
};

function connection(definition: ServerDefinition, extra: Partial<ServerConnectionOptions> = {}, logLines: string[] = []): ServerConnection {
  return new ServerConnection({ definition, logger: recordingLogger(logLines), samplingHandler: refuseSampling, killGraceMs: 1000, ...extra });
}

function textOf(result: { content: unknown }): string {
  const content = result.content as { type: string; text?: string }[];
  return content.map((c) => c.text ?? '').join('');
}

test('connects to the stdio fixture, lists tools, calls a tool, merges env over the default environment', { timeout: 60_000 }, async () => {
  const conn = connection(fixtureDefinition('alpha', { name: 'fixture-alpha', env: { FIXTURE_ECHO_ENV: 'merged!', HOME: null } }));
  const statuses: string[] = [];
  conn.onDidChangeStatus((s) => statuses.push(s.status));
  try {
    const state = await conn.connect();
    assert.equal(state.status, 'connected', state.error);
    assert.equal(state.transport, 'stdio');
    assert.equal(state.serverInfo?.name, 'fixture-alpha');
    assert.ok(conn.tools.some((t) => t.name === 'sample'));
    assert.ok(conn.tools.some((t) => t.name === 'echo'));
    assert.equal(textOf(await conn.callTool('echo', { text: 'hello' })), 'hello');
    assert.equal(textOf(await conn.callTool('env', {})), 'merged!');
    assert.equal(textOf(await conn.callTool('env', { name: 'PATH' })), process.env['PATH'], 'PATH comes from the default environment');
    assert.equal(textOf(await conn.callTool('env', { name: 'HOME' })), '(unset)', 'null removes an inherited variable');
    assert.equal(textOf(await conn.callTool('env', { name: 'npm_lifecycle_event' })), '(unset)', 'the host environment is not leaked');
    assert.ok(conn.stderrTail().some((l) => l.includes('fixture-alpha: ready')));
  } finally {
    await conn.close();
  }
  assert.deepEqual(statuses, ['connecting', 'connected', 'disconnected']);
  assert.equal(conn.processId, undefined);
});

test('a sampling request from the server reaches the handler, with the tool call attributed, and its answer reaches the tool result', { timeout: 60_000 }, async () => {
  const seen: { params: unknown; ctx: SamplingRequestContext }[] = [];
  const handler: SamplingHandler = async (params, ctx) => {
    seen.push({ params, ctx });
    ctx.sendProgress?.('waiting for a human');
    return { role: 'assistant', content: { type: 'text', text: 'the model says hi' }, model: 'test-model', stopReason: 'endTurn' };
  };
  const conn = connection(fixtureDefinition('beta'), { samplingHandler: handler });
  try {
    assert.equal((await conn.connect()).status, 'connected');
    const result = await conn.callTool('sample', { prompt: 'Say hi', systemPrompt: 'Be brief', maxTokens: 42, temperature: 0.2, stopSequences: ['END'] });
    const answered = JSON.parse(textOf(result)) as CreateMessageResult;
    assert.deepEqual(answered.content, { type: 'text', text: 'the model says hi' });
    assert.equal(answered.model, 'test-model');
    assert.equal(seen.length, 1);
    const params = seen[0]!.params as { messages: { content: { text: string } }[]; systemPrompt: string; maxTokens: number; temperature: number; stopSequences: string[] };
    assert.equal(params.messages[0]!.content.text, 'Say hi');
    assert.equal(params.systemPrompt, 'Be brief');
    assert.equal(params.maxTokens, 42);
    assert.equal(params.temperature, 0.2);
    assert.deepEqual(params.stopSequences, ['END']);
    const ctx = seen[0]!.ctx;
    assert.equal(ctx.serverName, 'beta');
    // 2025-11-25 over stdio: nothing proves which call the request belongs to, only what ran.
    assert.equal(ctx.toolCall, undefined);
    assert.deepEqual(ctx.runningToolCall, { name: 'sample' });
    assert.notEqual(ctx.progressToken, undefined, 'the fixture asks with a progress token');
    assert.equal(typeof ctx.sendProgress, 'function');
    assert.ok(ctx.signal instanceof AbortSignal);
    assert.equal(ctx.signal.aborted, false);
  } finally {
    await conn.close();
  }
});

test('an error from the sampling handler reaches the server as an error (tool result isError)', { timeout: 60_000 }, async () => {
  const conn = connection(fixtureDefinition('gamma'));
  try {
    await conn.connect();
    const result = await conn.callTool('sample', { prompt: 'x' });
    assert.equal(result.isError, true);
    assert.match(textOf(result), /no sampling in this test/);
  } finally {
    await conn.close();
  }
});

test('sampling with tools: the client declares sampling.tools, a tool_use answer leads to a second round', { timeout: 60_000 }, async () => {
  const rounds: unknown[] = [];
  const handler: SamplingHandler = async (params) => {
    rounds.push(params);
    if (rounds.length === 1) {
      return { role: 'assistant', content: [{ type: 'tool_use', id: 'call-1', name: 'get_weather', input: { city: 'Paris' } }], model: 'm', stopReason: 'toolUse' };
    }
    return { role: 'assistant', content: { type: 'text', text: 'It is sunny in Paris.' }, model: 'm', stopReason: 'endTurn' };
  };
  const conn = connection(fixtureDefinition('delta'), { samplingHandler: handler, samplingTools: true });
  try {
    await conn.connect();
    const out = JSON.parse(textOf(await conn.callTool('sample_with_tools', { prompt: 'Weather in Paris?' }))) as { first: CreateMessageResult; final: CreateMessageResult };
    assert.equal(out.first.stopReason, 'toolUse');
    assert.deepEqual(out.final.content, { type: 'text', text: 'It is sunny in Paris.' });
    const first = rounds[0] as { tools: { name: string }[] };
    assert.deepEqual(first.tools.map((t) => t.name), ['get_weather']);
    const second = rounds[1] as { messages: { role: string; content: unknown }[] };
    assert.equal(second.messages.length, 3);
    assert.match(JSON.stringify(second.messages[2]!.content), /Sunny, 21 degrees in Paris/);
  } finally {
    await conn.close();
  }
});

test('without sampling.tools the fixture cannot offer tools (capabilities are declared honestly)', { timeout: 60_000 }, async () => {
  const conn = connection(fixtureDefinition('epsilon'));
  try {
    await conn.connect();
    const result = await conn.callTool('sample_with_tools', { prompt: 'x' });
    assert.equal(result.isError, true);
    assert.match(textOf(result), /does not support sampling tools/);
  } finally {
    await conn.close();
  }
});

test('progress, server log messages, roots and tools/list_changed', { timeout: 60_000 }, async () => {
  const logLines: string[] = [];
  const conn = connection(fixtureDefinition('zeta'), { rootsSource: { listRoots: () => [{ uri: 'file:///work/project', name: 'project' }] } }, logLines);
  const progress: string[] = [];
  const serverLogs: string[] = [];
  conn.onDidProgress((p) => progress.push(`${p.toolName}:${p.progress}/${p.total}:${p.message}`));
  conn.onDidLog((l) => serverLogs.push(`${l.level}:${l.text}`));
  try {
    await conn.connect();
    assert.equal(textOf(await conn.callTool('slow', { steps: 3, delayMs: 100 })), 'done after 3 steps');
    // The SDK drops progress notifications that arrive in the same read as the response, so the
    // last ones may be missing; what arrives is in order and complete.
    assert.ok(progress.length >= 1);
    assert.deepEqual(progress, ['slow:1/3:step 1', 'slow:2/3:step 2', 'slow:3/3:step 3'].slice(0, progress.length));

    await conn.callTool('log', { message: 'hello from the server', level: 'warning' });
    await waitFor(() => serverLogs.length > 0, 5000, 'a log notification');
    assert.deepEqual(serverLogs, ['warning:hello from the server']);
    assert.ok(logLines.some((l) => l.startsWith('warn [zeta] fixture: hello from the server')));

    const roots = JSON.parse(textOf(await conn.callTool('roots', {}))) as { roots: { uri: string }[] };
    assert.deepEqual(roots.roots, [{ uri: 'file:///work/project', name: 'project' }]);

    let listChanges = 0;
    conn.onDidChangeLists(() => listChanges++);
    assert.equal(textOf(await conn.callTool('add_tool', {})), 'added_1');
    await waitFor(() => conn.tools.some((t) => t.name === 'added_1'), 5000, 'the tool list to refresh');
    assert.ok(listChanges >= 1);
    // A burst of list_changed notifications still ends with the complete list.
    await Promise.all([conn.callTool('add_tool', {}), conn.callTool('add_tool', {})]);
    await waitFor(() => conn.tools.some((t) => t.name === 'added_3') && conn.tools.some((t) => t.name === 'added_2'), 5000, 'the list after a burst');
    assert.ok(conn.logLines().some((l) => l.includes('hello from the server')));
  } finally {
    await conn.close();
  }
});

test('a server that exits at once ends in error with its stderr tail', { timeout: 60_000 }, async () => {
  const conn = connection(fixtureDefinition('exits', { mode: 'exit-now' }));
  const state = await conn.connect();
  assert.equal(state.status, 'error');
  assert.match(state.error ?? '', /Could not connect/);
  assert.ok(state.stderrTail.some((l) => l.includes('fatal: refusing to start')), state.stderrTail.join('\n'));
  await conn.close();
});

test('a server that writes non-JSON to stdout and never answers ends in error after the initialize timeout', { timeout: 60_000 }, async () => {
  const logLines: string[] = [];
  const conn = connection(fixtureDefinition('garbage', { mode: 'garbage' }), { initializeTimeoutMs: 5000 }, logLines);
  const state = await conn.connect();
  assert.equal(state.status, 'error');
  assert.match(state.error ?? '', /did not answer initialize within 5 s/);
  assert.ok(state.stderrTail.some((l) => l.includes('garbage mode')));
  assert.ok(logLines.some((l) => l.includes('protocol error')), 'the non-JSON line is reported');
  await conn.close();
});

test('a server that never answers and ignores stdin EOF ends in error, and its process is gone', { timeout: 60_000 }, async () => {
  const conn = connection(fixtureDefinition('silent', { mode: 'silent' }), { initializeTimeoutMs: 1000, killGraceMs: 300 });
  let pid: number | undefined;
  conn.onDidChangeStatus(() => (pid ??= conn.processId));
  const connecting = conn.connect();
  pid = await waitFor(() => conn.processId, 5000, 'the process to start');
  const state = await connecting;
  assert.equal(state.status, 'error');
  assert.match(state.error ?? '', /did not answer initialize/);
  await waitFor(() => !pidAlive(pid!), 5000, 'the silent server to be killed');
});

test('a command that does not exist ends in error naming it', { timeout: 60_000 }, async () => {
  const conn = connection({ name: 'missing', source: 'test', disabled: false, type: 'stdio', command: '/nonexistent/mcp-server', args: [], env: {} });
  const state = await conn.connect();
  assert.equal(state.status, 'error');
  assert.match(state.error ?? '', /ENOENT/);
});

test('a crash of a connected server is reported as an unexpected error', { timeout: 60_000 }, async () => {
  const conn = connection(fixtureDefinition('crashy'));
  try {
    await conn.connect();
    const crashed = new Promise<{ error?: string; unexpected?: boolean; stderrTail: readonly string[] }>((resolve) => {
      conn.onDidChangeStatus((s) => {
        if (s.status === 'error') resolve(s);
      });
    });
    await assert.rejects(conn.callTool('crash', { code: 7 }));
    const state = await crashed;
    assert.equal(state.unexpected, true);
    assert.match(state.error ?? '', /closed the connection/);
    assert.ok(state.stderrTail.some((l) => l.includes('crashing on request')));
    await assert.rejects(conn.callTool('echo', { text: 'x' }), /not connected/);
  } finally {
    await conn.close();
  }
});

test('close ends the whole process tree: a shell wrapper, the server under it, and its grandchild', { timeout: 60_000 }, async () => {
  const conn = connection(fixtureDefinition('tree', { viaShell: true, spawnGrandchild: true }));
  await conn.connect();
  assert.equal(conn.state.status, 'connected', conn.state.error);
  const shellPid = conn.processId!;
  const pids = JSON.parse(textOf(await conn.callTool('pids', {}))) as { pid: number; ppid: number; grandchild: number };
  assert.equal(pids.ppid, shellPid, 'the server runs under the shell');
  assert.notEqual(pids.pid, shellPid);
  for (const pid of [shellPid, pids.pid, pids.grandchild]) assert.ok(pidAlive(pid));
  await conn.close();
  for (const pid of [shellPid, pids.pid, pids.grandchild]) {
    await waitFor(() => !pidAlive(pid), 5000, `pid ${pid} to be gone`);
  }
});

/** A handler that never answers: it resolves `aborted` with the signal's reason. */
function waitingHandler(): { handler: SamplingHandler; aborted: Promise<unknown>; started: Promise<void> } {
  let resolveAborted!: (reason: unknown) => void;
  let resolveStarted!: () => void;
  const aborted = new Promise<unknown>((r) => (resolveAborted = r));
  const started = new Promise<void>((r) => (resolveStarted = r));
  const handler: SamplingHandler = (_params, ctx) => {
    resolveStarted();
    return new Promise((_, reject) => {
      ctx.signal.addEventListener('abort', () => {
        resolveAborted(ctx.signal.reason);
        reject(ctx.signal.reason instanceof Error ? ctx.signal.reason : new Error('aborted'));
      });
    });
  };
  return { handler, aborted, started };
}

test('a pending sampling request is aborted with a reason when the server gives up waiting', { timeout: 60_000 }, async () => {
  const waiting = waitingHandler();
  const conn = connection(fixtureDefinition('impatient'), { samplingHandler: waiting.handler });
  try {
    await conn.connect();
    const result = await conn.callTool('sample', { prompt: 'x', timeoutMs: 300 });
    assert.equal(result.isError, true);
    const reason = await waiting.aborted;
    assert.ok(reason instanceof Error);
    assert.match(reason.message, /The server cancelled the request: .*timed out/i);
  } finally {
    await conn.close();
  }
});

test('a pending sampling request is aborted with a reason when the server crashes', { timeout: 60_000 }, async () => {
  const waiting = waitingHandler();
  const conn = connection(fixtureDefinition('crash-while-sampling'), { samplingHandler: waiting.handler });
  try {
    await conn.connect();
    const sampling = conn.callTool('sample', { prompt: 'x' });
    sampling.catch(() => {});
    await waiting.started;
    await assert.rejects(conn.callTool('crash', {}));
    const reason = await waiting.aborted;
    assert.ok(reason instanceof Error);
    assert.match(reason.message, /Server "crash-while-sampling" closed the connection/);
    await assert.rejects(sampling);
  } finally {
    await conn.close();
  }
});

test('close while connecting ends in disconnected and stops the process', { timeout: 60_000 }, async () => {
  const conn = connection(fixtureDefinition('closing-early', { mode: 'silent' }), { initializeTimeoutMs: 30_000, killGraceMs: 300 });
  const connecting = conn.connect();
  const pid = await waitFor(() => conn.processId, 5000, 'the process to start');
  await conn.close();
  const state = await connecting;
  assert.equal(state.status, 'disconnected');
  await waitFor(() => !pidAlive(pid), 5000, 'the process to exit');
});

test('a stdio message larger than the SDK default buffer (10 MiB) is read, up to maxMessageBytes', { timeout: 60_000 }, async () => {
  const bytes = 12 * 1024 * 1024;
  const conn = connection(fixtureDefinition('big'));
  try {
    await conn.connect();
    assert.equal(textOf(await conn.callTool('big', { bytes })), 'x'.repeat(bytes));
  } finally {
    await conn.close();
  }
  const small = connection(fixtureDefinition('small-limit'), { maxMessageBytes: 1024 * 1024 });
  try {
    await small.connect();
    await assert.rejects(small.callTool('big', { bytes: 2 * 1024 * 1024 }), /Connection closed/);
    await waitFor(() => small.state.status === 'error', 5000, 'the connection to end in error');
  } finally {
    await small.close();
  }
});

test('a malformed answer from the sampling handler is refused before it reaches the server', { timeout: 60_000 }, async () => {
  const broken = (async () => ({ role: 'assistant', content: { type: 'text' } })) as unknown as SamplingHandler;
  const conn = connection(fixtureDefinition('malformed-answer'), { samplingHandler: broken });
  try {
    await conn.connect();
    const result = await conn.callTool('sample', { prompt: 'x' });
    assert.equal(result.isError, true);
    assert.match(textOf(result), /Invalid sampling result/);
  } finally {
    await conn.close();
  }
});

test('envFile values reach the server; env entries win over them', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mcp-envfile-'));
  const envFile = path.join(dir, '.env');
  writeFileSync(envFile, '# test\nFIXTURE_ECHO_ENV="from the file"\nOTHER_VAR=file-only\n');
  const base = fixtureDefinition('with-envfile', { env: { OTHER_VAR: 'from env' } });
  const conn = connection({ ...base, envFile } as ServerDefinition);
  try {
    assert.equal((await conn.connect()).status, 'connected');
    assert.equal(textOf(await conn.callTool('env', {})), 'from the file');
    assert.equal(textOf(await conn.callTool('env', { name: 'OTHER_VAR' })), 'from env');
  } finally {
    await conn.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const missing = connection({ ...base, envFile: path.join(dir, 'nope.env') } as ServerDefinition);
  const state = await missing.connect();
  assert.equal(state.status, 'error');
  assert.match(state.error ?? '', /envFile ".*nope\.env" does not exist/);
});
