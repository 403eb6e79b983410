/**
 * A hostile MCP server (test/fixtures/hostileServer.ts, a real process over stdio) against the real
 * connection and sampling pipeline: every bad request ends in a clear error the server receives,
 * and never reaches the human unless it is valid.
 */
import { waitFor as waitUntil } from '../support/waitFor';
import type { HistoryRecord } from '../../src/core/history/history';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HIDDEN_TEXT, XSS } from '../fixtures/hostilePayloads';
import { DEFAULT_SAMPLING_SETTINGS } from '../../src/core/sampling/settings';
import type { RequestEvent } from '../../src/core/sampling/types';
import { parseHostMessage } from '../../src/shared/protocol';
import { ENGLISH_CARD_WORDS, toRequestView } from '../../src/vscode/panel/toView';
import { FakePrompter } from '../support/fakePrompter';
import { callHostile, guardUnhandledRejections, hostileDefinition, hostileWorld, RecordingLogger, startHostileHttp, waitFor } from './hostile-harness';
import { formatWarning } from '../../src/core/approval/warnings';

guardUnhandledRejections();

/** A world where anything that does reach the human is rejected, so the server gets an answer either way. */
function rejectingWorld(settings = {}) {
  return hostileWorld({ prompter: new FakePrompter({ approve: () => ({ kind: 'reject', reason: 'reached the human' }) }), settings });
}

// Found by this suite and fixed in 215b180: the SDK Client's strict parse used to answer -32603 with a
// raw Zod dump before validate.ts could run.
test('schema-invalid, missing and wrongly typed params: -32602 with a message saying what is wrong; nobody is asked', async () => {
  const world = rejectingWorld();
  try {
    const conn = await world.connect(hostileDefinition('invalid'));
    assert.equal(conn.state.status, 'connected', conn.state.error);
    const invalid = await callHostile(conn, 'sample', { kind: 'schema-invalid' });
    assert.equal(invalid.ok, false);
    assert.equal(invalid.error?.code, -32602);
    assert.match(invalid.error?.message ?? '', /Invalid sampling request: .*messages/);
    assert.match(invalid.error?.message ?? '', /maxTokens/);

    const missing = await callHostile(conn, 'sample', { kind: 'missing-params' });
    assert.equal(missing.error?.code, -32602, JSON.stringify(missing));

    const role = await callHostile(conn, 'sample', { kind: 'unknown-role' });
    assert.equal(role.error?.code, -32602);
    assert.match(role.error?.message ?? '', /messages\[0\]\.role: unknown role "system" \(expected "user" or "assistant"\)/);

    const content = await callHostile(conn, 'sample', { kind: 'wrong-content-type' });
    assert.equal(content.error?.code, -32602);
    assert.match(content.error?.message ?? '', /messages\[0\]\.content/);

    const forged = await callHostile(conn, 'sample', { kind: 'tool-result-without-use' });
    assert.equal(forged.error?.code, -32602);
    assert.match(forged.error?.message ?? '', /no earlier tool_use/);

    assert.equal(world.prompter.approvals.length, 0, 'no invalid request reached the approval UI');
  } finally {
    await world.close();
  }
});

test('tool_use without a following tool_result is refused with -32602 (spec: tool_use must be answered by tool_result)', async () => {
  const world = rejectingWorld();
  try {
    const conn = await world.connect(hostileDefinition('unpaired'));
    const outcome = await callHostile(conn, 'sample', { kind: 'tool-use-without-result' });
    assert.equal(outcome.ok, false);
    assert.equal(outcome.error?.code, -32602, `got ${JSON.stringify(outcome.error)}`);
    assert.match(outcome.error?.message ?? '', /tool_use/);
    assert.equal(world.prompter.approvals.length, 0);
  } finally {
    await world.close();
  }
});

test('10 MB of text over the size limit is refused with -32602 naming mcpSampling.limits.maxRequestBytes', async () => {
  const world = rejectingWorld({ limits: { ...DEFAULT_SAMPLING_SETTINGS.limits, maxRequestBytes: 1024 * 1024 } });
  try {
    const conn = await world.connect(hostileDefinition('big-text'));
    const outcome = await callHostile(conn, 'sample', { kind: 'oversized-text', bytes: 10_000_000 });
    assert.equal(outcome.error?.code, -32602);
    assert.match(outcome.error?.message ?? '', /over the limit of 1048576 bytes set by mcpSampling\.limits\.maxRequestBytes/);
    assert.equal(world.prompter.approvals.length, 0);
    assert.equal(conn.state.status, 'connected', 'the connection survives');
  } finally {
    await world.close();
  }
});

test('bidi-override, zero-width and tag characters hiding instructions become warnings the human sees', async () => {
  const world = rejectingWorld();
  try {
    const conn = await world.connect(hostileDefinition('hider'));
    const outcome = await callHostile(conn, 'sample', { kind: 'hidden' });
    assert.equal(outcome.error?.code, -1, 'rejected by the human, who saw it');
    const request = world.prompter.approvals[0];
    assert.ok(request, 'the request reached the approval UI');
    const warnings = request.warnings.map(formatWarning).join('\n');
    assert.match(warnings, /System prompt contains 1 hidden characters: U\+200B ZERO WIDTH SPACE/);
    assert.match(warnings, /Message 1 \(user\) contains .* hidden or bidi-override characters/);
    assert.match(warnings, /Message 1 \(user\) contains 26 hidden or bidi-override characters: U\+202E RIGHT-TO-LEFT OVERRIDE, U\+2066 LEFT-TO-RIGHT ISOLATE/);
    // The text itself is passed on unchanged: the human decides, with the warning.
    const first = request.params.messages[0]?.content;
    assert.equal(first && !Array.isArray(first) && first.type === 'text' ? first.text : undefined, HIDDEN_TEXT);
    // The warnings reach the panel's view.
    const view = toRequestView(request, { state: 'pending', step: 'approval', responseText: '' }, ENGLISH_CARD_WORDS);
    assert.deepEqual(view.warnings, request.warnings.map(formatWarning));
  } finally {
    await world.close();
  }
});

test('XSS payloads in every field (server name, tool names, params) arrive as plain data and validate as a panel view', async () => {
  const world = rejectingWorld();
  try {
    const conn = await world.connect(hostileDefinition('xss', ['--xss-name']));
    assert.equal(conn.state.status, 'connected', conn.state.error);
    assert.equal(conn.state.serverInfo?.name, `hostile ${XSS}`);
    const xssTool = conn.tools.find((t) => t.name.startsWith('xss '));
    assert.ok(xssTool, 'the tool with an XSS name is listed as is');
    const outcome = await callHostile(conn, xssTool.name, {});
    assert.equal(outcome.error?.code, -1, JSON.stringify(outcome));
    const request = world.prompter.approvals[0];
    assert.ok(request);
    assert.equal(request.origin.runningToolCall?.name, xssTool.name);
    assert.equal(request.params.systemPrompt, XSS);
    const view = toRequestView(request, { state: 'pending', step: 'approval', responseText: '' }, ENGLISH_CARD_WORDS);
    const message = parseHostMessage(JSON.parse(JSON.stringify({ type: 'request-added', request: view })));
    assert.ok(message, 'the view of a hostile request still passes the webview validator');
    // Everything is carried as text for the webview to show inertly (checked in the real webview by test/e2e/hostile.test.ts).
    assert.ok(JSON.stringify(view).includes(JSON.stringify(XSS).slice(1, -1)));
  } finally {
    await world.close();
  }
});

test('a sampling request outside any tool call reaches the human without a tool attribution and can be answered', async () => {
  const world = hostileWorld();
  try {
    const conn = await world.connect(hostileDefinition('unsolicited', ['--sample-on-connect']));
    await world.prompter.when(() => world.prompter.approvals.length === 1, 'the unsolicited request');
    const request = world.prompter.approvals[0]!;
    assert.equal(request.origin.toolCall, undefined);
    assert.equal(request.origin.runningToolCall, undefined);
    assert.equal(request.origin.serverName, 'unsolicited');
    type Seen = { outcome: 'pending' | { ok: boolean; result?: { content?: { text?: string } } } };
    let seen: Seen = { outcome: 'pending' };
    for (let i = 0; i < 200 && seen.outcome === 'pending'; i++) {
      seen = await callHostile<Seen>(conn, 'unsolicited');
      if (seen.outcome === 'pending') await new Promise((r) => setTimeout(r, 25));
    }
    assert.ok(seen.outcome !== 'pending', 'the server got its answer');
    assert.equal(seen.outcome.ok, true);
    assert.match(seen.outcome.result?.content?.text ?? '', /echo: unsolicited request outside any tool call/);
  } finally {
    await world.close();
  }
});

test('a request the server cancels right after sending closes its pending approval with the reason', async () => {
  const records: HistoryRecord[] = [];
  const world = hostileWorld({ prompter: new FakePrompter({ approve: () => 'hold' }), history: { append: async (r) => void records.push(r) } });
  try {
    const conn = await world.connect(hostileDefinition('canceller'));
    const outcome = await callHostile(conn, 'sample', { kind: 'cancel' });
    assert.equal(outcome.ok, false, 'the server gave up on its own request');
    const closed = await cancelledWith(world.prompter, records);
    assert.equal(closed.outcome, 'cancelled');
    assert.match(closed.reason, /cancelled by canceller right after sending/);
    assert.equal(world.policy.pendingCount('canceller'), 0, 'the pending slot is released');
  } finally {
    await world.close();
  }
});

test('a server crashing during approval closes the pending approval with the reason; the connection ends in error', async () => {
  const world = hostileWorld({ prompter: new FakePrompter({ approve: () => 'hold' }) });
  try {
    const conn = await world.connect(hostileDefinition('crasher'));
    const sampling = callHostile(conn, 'sample', { kind: 'valid', text: 'approve me, if you can' });
    sampling.catch(() => undefined);
    await world.prompter.when(() => world.prompter.approvals.length === 1, 'the approval request');
    await assert.rejects(conn.callTool('crash', {}));
    const closed = await waitForClosed(world.prompter);
    assert.equal(closed.outcome, 'cancelled');
    assert.match(closed.reason, /Server "crasher" closed the connection/);
    await assert.rejects(sampling);
    await waitFor(() => conn.state.status === 'error', 'the error state');
    assert.ok(conn.state.stderrTail.some((l) => l.includes('crashing on request')));
    assert.equal(world.policy.pendingCount('crasher'), 0);
  } finally {
    await world.close();
  }
});

/** The first `closed` event: a cancel may land before or after the approval is shown, and either way the UI hears of it. */
/**
 * How a cancelled request ended: the history records every request; when the cancel came after the
 * approval session was open, the session's own closed event must say the same.
 */
async function cancelledWith(prompter: FakePrompter, records: readonly HistoryRecord[]) {
  await waitUntil('the history record of the cancelled request', () => records.length > 0);
  const record = records[0]!;
  const reason = record.error?.message.replace(/^Sampling cancelled: /, '') ?? '';
  if (prompter.approvals.length > 0) {
    const closed = await waitForClosed(prompter);
    assert.equal(closed.outcome, record.outcome);
    assert.match(closed.reason, new RegExp(reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  }
  return { outcome: record.outcome, reason };
}

async function waitForClosed(prompter: FakePrompter) {
  const closed = () => prompter.events.find((e) => e.event.kind === 'closed')?.event as Extract<RequestEvent, { kind: 'closed' }> | undefined;
  await prompter.when(() => closed() !== undefined, 'the closed event');
  return closed()!;
}

test('garbage written straight onto stdio (non-JSON, bad JSON-RPC, unknown method, forged response) does not break the connection', async () => {
  const world = hostileWorld();
  try {
    const conn = await world.connect(hostileDefinition('garbler'));
    const outcome = await callHostile(conn, 'sample', { kind: 'raw-garbage' });
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    assert.match(JSON.stringify(outcome.result), /echo: after the garbage/);
    assert.equal(conn.state.status, 'connected');
    assert.ok(conn.logLines().some((l) => l.startsWith('[error]')), 'the garbage is reported in the server log');
    assert.equal(world.prompter.approvals.length, 1, 'only the valid request reached the human');
  } finally {
    await world.close();
  }
});

// Found by this suite and fixed in 9068878: a dead HTTP server used to go unnoticed, leaving the
// approval open until the user acted and the tool call until its timeout.
test('over Streamable HTTP, a server process killed during approval closes the pending approval', async () => {
  const server = await startHostileHttp(['--name', 'http-crasher']);
  const logger = new RecordingLogger();
  const world = hostileWorld({ logger, prompter: new FakePrompter({ approve: () => 'hold' }) });
  try {
    const conn = await world.connect({ name: 'http-crasher', source: 'test', disabled: false, type: 'http', url: server.url, headers: {} });
    assert.equal(conn.state.status, 'connected', conn.state.error);
    const sampling = conn.callTool('sample', { kind: 'valid', text: 'approve me over http' }, { timeoutMs: 60_000 });
    sampling.catch(() => undefined);
    await world.prompter.when(() => world.prompter.approvals.length === 1, 'the approval request');
    await server.stop();
    const closed = await world.prompter
      .when(() => world.prompter.events.some((e) => e.event.kind === 'closed'), 'the closed event', 10_000)
      .then(() => world.prompter.events.find((e) => e.event.kind === 'closed')?.event)
      .catch((error: unknown) => {
        throw new Error(`${String(error)}; connection ${conn.state.status}; log: ${logger.lines.slice(-5).map((l) => l.text).join(' | ')}`);
      });
    assert.equal(closed?.kind === 'closed' ? closed.outcome : undefined, 'cancelled');
    assert.equal(world.policy.pendingCount('http-crasher'), 0);
    await assert.rejects(sampling, 'the tool call ends too');
    await waitFor(() => conn.state.status === 'error', 'the error state');
  } finally {
    await world.close();
    await server.stop();
  }
});

test('over Streamable HTTP, a request the server cancels right after sending closes its pending approval', async () => {
  const server = await startHostileHttp(['--name', 'http-canceller']);
  const records: HistoryRecord[] = [];
  const world = hostileWorld({ prompter: new FakePrompter({ approve: () => 'hold' }), history: { append: async (r) => void records.push(r) } });
  try {
    const conn = await world.connect({ name: 'http-canceller', source: 'test', disabled: false, type: 'http', url: server.url, headers: {} });
    assert.equal(conn.state.status, 'connected', conn.state.error);
    const outcome = await callHostile(conn, 'sample', { kind: 'cancel' });
    assert.equal(outcome.ok, false);
    const closed = await cancelledWith(world.prompter, records);
    assert.equal(closed.outcome, 'cancelled');
    assert.match(closed.reason, /cancelled by http-canceller right after sending/);
    assert.equal(world.policy.pendingCount('http-canceller'), 0);
  } finally {
    await world.close();
    await server.stop();
  }
});
