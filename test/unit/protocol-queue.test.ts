// Drives the approval queue (core/approval) and its panel bridge through the real protocol: the
// pipeline's side talks to one session per request; every message the bridge would post to the webview
// is JSON round-tripped and validated with the webview's own parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApprovalQueue, PanelClosedError } from '../../src/core/approval/queue';
import type { ApprovalRequest, ApprovalSession, RequestEvent } from '../../src/core/approval/types';
import { silentLogger } from '../../src/core/logger';
import type { ProviderResponse } from '../../src/core/sampling/types';
import { parseHostMessage, parseWebviewMessage, type HostToWebview } from '../../src/shared/protocol';
import { handleRequestMessage, requestView, toHostMessage } from '../../src/vscode/panel/bridge';
import { sampleRequest } from './protocol-fixtures';
import { ENGLISH_CARD_WORDS } from '../../src/vscode/panel/toView';

function harness(options: { maxOpen?: number; maxClosedKept?: number } = {}) {
  const posted: HostToWebview[] = [];
  const counts: number[] = [];
  const attention: string[] = [];
  const diffs: { original: string; edited: string }[] = [];
  const post = (m: HostToWebview): void => {
    const parsed = parseHostMessage(JSON.parse(JSON.stringify(m)));
    assert.ok(parsed, `posted an invalid message: ${JSON.stringify(m).slice(0, 300)}`);
    posted.push(parsed);
  };
  const approvals = new ApprovalQueue(
    silentLogger,
    { changed: (event) => post(toHostMessage(event, ENGLISH_CARD_WORDS)), attention: (id) => attention.push(id), pendingCountChanged: (n) => counts.push(n) },
    options,
  );
  /** Sends a raw message as the webview would, through the host's validator and the bridge. */
  const fromWebview = (raw: unknown): void => {
    const message = parseWebviewMessage(JSON.parse(JSON.stringify(raw)));
    assert.ok(message, `invalid webview message ${JSON.stringify(raw)}`);
    assert.ok(message.type !== 'ready' && message.type !== 'elicitation-answer' && message.type !== 'panel-error');
    handleRequestMessage(approvals, message, { post, openDiff: (_id, original, edited) => diffs.push({ original, edited }) });
  };
  // The pipeline's side: one session per request, opened as the pipeline opens it.
  const sessions = new Map<string, ApprovalSession>();
  const session = (id: string): ApprovalSession => {
    const s = sessions.get(id);
    assert.ok(s, `no session ${id}`);
    return s;
  };
  const queue = {
    open(request: ApprovalRequest, withPerson = true): ApprovalSession {
      const s = approvals.open(request, { withPerson });
      sessions.set(request.origin.requestId, s);
      return s;
    },
    requestApproval: (request: ApprovalRequest, signal: AbortSignal) => queue.open(request).approve(signal),
    reviewResponse: (id: string, r: ProviderResponse, signal: AbortSignal) => session(id).review(r, signal),
    manualReply: (id: string, signal: AbortSignal) => session(id).manualReply(signal),
    notify: (id: string, event: RequestEvent) => session(id).notify(event),
    views: () => approvals.sessions().map((s) => requestView(s, ENGLISH_CARD_WORDS)),
    snapshot: () => approvals.sessions().filter((s) => !s.closed).map((s) => ({ id: s.request.origin.requestId, state: s.state })),
    pendingCount: () => approvals.pendingCount(),
    rejectWaiting: (reason: string) => approvals.rejectWaiting(reason),
  };
  return { queue, posted, counts, attention, diffs, fromWebview };
}

const lastOf = <T extends HostToWebview['type']>(posted: HostToWebview[], type: T) =>
  [...posted].reverse().find((m) => m.type === type) as Extract<HostToWebview, { type: T }> | undefined;

const response = (text: string): ProviderResponse => ({ model: 'gpt-4o', content: { type: 'text', text }, stopReason: 'endTurn', usage: { inputTokens: 5, outputTokens: 2 } });

test('a request is announced, counted, and approved unchanged', async () => {
  const h = harness();
  const request = sampleRequest();
  const decision = h.queue.requestApproval(request, new AbortController().signal);
  const added = lastOf(h.posted, 'request-added');
  assert.equal(added?.request.requestId, 'req-1');
  assert.equal(added?.request.state, 'pending');
  assert.equal(added?.request.messages.length, 3);
  assert.deepEqual(h.attention, ['req-1']);
  assert.equal(h.queue.pendingCount(), 1);
  assert.deepEqual(h.queue.snapshot().map((s) => [s.id, s.state]), [['req-1', 'pending']]);

  h.fromWebview({ type: 'approve', requestId: 'req-1' });
  const d = await decision;
  assert.equal(d.kind, 'approve');
  assert.ok(d.kind === 'approve');
  assert.equal(d.params, request.params, 'no edits: the original params object');
  assert.deepEqual(d.choice, request.choice);
  assert.equal(d.remember, undefined);
  assert.equal(h.queue.pendingCount(), 0);
  assert.deepEqual(h.counts, [1, 0]);
  assert.equal(lastOf(h.posted, 'request-updated')?.request.state, 'streaming');
});

test('edits from the webview reach the decision; the original request is not mutated', async () => {
  const h = harness();
  const request = sampleRequest();
  const before = JSON.stringify(request.params);
  const decision = h.queue.requestApproval(request, new AbortController().signal);
  h.fromWebview({
    type: 'approve',
    requestId: 'req-1',
    edits: { systemPrompt: 'Be kind.', messages: [{ index: 0, text: 'Say hi' }, { index: 2, text: 'Once more' }], maxTokens: 20, temperature: null, providerId: 'local' },
  });
  const d = await decision;
  assert.ok(d.kind === 'approve');
  assert.equal(d.params.systemPrompt, 'Be kind.');
  assert.deepEqual(d.params.messages[0]?.content, { type: 'text', text: 'Say hi' });
  assert.deepEqual(d.params.messages[2]?.content, [{ type: 'text', text: 'Once more' }]);
  assert.deepEqual(d.params.messages[1], request.params.messages[1]);
  assert.equal(d.params.maxTokens, 20);
  assert.ok(!('temperature' in d.params), 'temperature: null removes it');
  assert.deepEqual(d.choice, { providerId: 'local', model: 'llama3', reason: 'chosen by the user in the approval panel' });
  assert.equal(JSON.stringify(request.params), before);
});

test('invalid edits are refused with an error and the request keeps waiting', async () => {
  const h = harness();
  const decision = h.queue.requestApproval(sampleRequest(), new AbortController().signal);
  h.fromWebview({ type: 'approve', requestId: 'req-1', edits: { messages: [{ index: 1, text: 'image message' }] } });
  assert.match(lastOf(h.posted, 'error')?.message ?? '', /not a single text block/);
  h.fromWebview({ type: 'approve', requestId: 'req-1', edits: { providerId: 'nowhere' } });
  assert.match(lastOf(h.posted, 'error')?.message ?? '', /not available/);
  assert.equal(h.queue.pendingCount(), 1);
  h.fromWebview({ type: 'approve', requestId: 'req-1', remember: 'always' });
  const d = await decision;
  assert.ok(d.kind === 'approve');
  assert.equal(d.remember, 'always');
});

test('approve with remember: session remembers for the session; reject closes the request with its reason', async () => {
  const h = harness();
  const a = h.queue.requestApproval(sampleRequest({ id: 'a' }), new AbortController().signal);
  const b = h.queue.requestApproval(sampleRequest({ id: 'b' }), new AbortController().signal);
  assert.equal(h.queue.pendingCount(), 2);
  h.fromWebview({ type: 'approve', requestId: 'a', remember: 'session' });
  h.fromWebview({ type: 'reject', requestId: 'b', reason: 'not now' });
  const da = await a;
  assert.ok(da.kind === 'approve' && da.remember === 'session');
  assert.deepEqual(await b, { kind: 'reject', reason: 'not now' });
  const closed = lastOf(h.posted, 'closed');
  assert.deepEqual(closed && [closed.requestId, closed.outcome, closed.reason], ['b', 'rejected', 'not now']);
});

test('a cancelled request rejects its promise and turns read-only with the reason', async () => {
  const h = harness();
  const controller = new AbortController();
  const decision = h.queue.requestApproval(sampleRequest(), controller.signal);
  controller.abort(new Error('server cancelled the request'));
  await assert.rejects(decision, /server cancelled the request/);
  const closed = lastOf(h.posted, 'closed');
  assert.equal(closed?.outcome, 'cancelled');
  assert.equal(closed?.reason, 'server cancelled the request');
  assert.equal(h.queue.pendingCount(), 0);
  // A late click from a stale webview is ignored, not an error.
  h.fromWebview({ type: 'approve', requestId: 'req-1' });
  assert.equal(h.queue.views()[0]?.state, 'closed');
  // The pipeline's closed event refines the reason.
  h.queue.notify('req-1', { kind: 'closed', outcome: 'cancelled', reason: 'server disconnected' });
  assert.equal(h.queue.views()[0]?.closed?.reason, 'server disconnected');
});

test('an already-aborted signal rejects at once without showing anything', async () => {
  const h = harness();
  const controller = new AbortController();
  controller.abort(new Error('gone'));
  await assert.rejects(h.queue.requestApproval(sampleRequest(), controller.signal), /gone/);
  assert.equal(h.posted.length, 0);
});

test('streaming deltas, review with an edited answer, then closed', async () => {
  const h = harness();
  const signal = new AbortController().signal;
  const decision = h.queue.requestApproval(sampleRequest(), signal);
  h.fromWebview({ type: 'approve', requestId: 'req-1' });
  await decision;
  h.queue.notify('req-1', { kind: 'delta', text: 'Hel' });
  h.queue.notify('req-1', { kind: 'delta', text: 'lo' });
  assert.equal(h.queue.views()[0]?.responseText, 'Hello');
  assert.deepEqual(h.posted.filter((m) => m.type === 'delta').map((m) => m.type === 'delta' && m.text), ['Hel', 'lo']);

  const review = h.queue.reviewResponse('req-1', response('Hello'), signal);
  const view = lastOf(h.posted, 'request-updated')?.request;
  assert.equal(view?.state, 'review');
  assert.equal(view?.response?.outputTokens, 2);
  assert.equal(h.queue.pendingCount(), 1);
  h.fromWebview({ type: 'approve-response', requestId: 'req-1', text: 'Hello, edited' });
  assert.deepEqual(await review, { kind: 'accept', content: { type: 'text', text: 'Hello, edited' } });

  h.queue.notify('req-1', { kind: 'closed', outcome: 'answered', reason: 'sent to the server' });
  const closedView = h.queue.views()[0];
  assert.equal(closedView?.state, 'closed');
  assert.equal(closedView?.closed?.outcome, 'answered');
  assert.deepEqual(h.queue.snapshot(), []);
});

test('review: unedited accept keeps the provider content; regenerate and reject-response', async () => {
  const h = harness();
  const signal = new AbortController().signal;
  const decision = h.queue.requestApproval(sampleRequest(), signal);
  h.fromWebview({ type: 'approve', requestId: 'req-1' });
  await decision;
  const first = h.queue.reviewResponse('req-1', response('one'), signal);
  h.fromWebview({ type: 'regenerate', requestId: 'req-1' });
  assert.deepEqual(await first, { kind: 'regenerate' });
  assert.equal(h.queue.views()[0]?.state, 'streaming');
  assert.equal(h.queue.views()[0]?.responseText, '');

  const withTools: ProviderResponse = { model: 'm', stopReason: 'toolUse', content: [{ type: 'text', text: 'calling' }, { type: 'tool_use', id: 't', name: 'lookup', input: { q: 1 } }] };
  const second = h.queue.reviewResponse('req-1', withTools, signal);
  h.fromWebview({ type: 'approve-response', requestId: 'req-1' });
  assert.deepEqual(await second, { kind: 'accept', content: withTools.content });

  const third = h.queue.reviewResponse('req-1', response('three'), signal);
  h.fromWebview({ type: 'reject-response', requestId: 'req-1' });
  assert.deepEqual(await third, { kind: 'reject', reason: 'response rejected by the user' });
});

test('manual reply: the typed text is the answer', async () => {
  const h = harness();
  const signal = new AbortController().signal;
  const decision = h.queue.requestApproval(sampleRequest({ choice: { providerId: 'manual', model: 'manual', reason: 'no model' } }), signal);
  h.fromWebview({ type: 'approve', requestId: 'req-1' });
  await decision;
  const reply = h.queue.manualReply('req-1', signal);
  const view = lastOf(h.posted, 'request-updated')?.request;
  assert.equal(view?.step, 'manual-reply');
  assert.equal(h.queue.pendingCount(), 1);
  h.fromWebview({ type: 'manual-reply', requestId: 'req-1', text: 'typed by hand' });
  assert.equal(await reply, 'typed by hand');
});

test('closing the panel rejects everything waiting with "panel closed"', async () => {
  const h = harness();
  const signal = new AbortController().signal;
  const approval = h.queue.requestApproval(sampleRequest({ id: 'a' }), signal);
  const b = h.queue.requestApproval(sampleRequest({ id: 'b' }), signal);
  h.fromWebview({ type: 'approve', requestId: 'b' });
  await b;
  const review = h.queue.reviewResponse('b', response('x'), signal);
  const c = h.queue.requestApproval(sampleRequest({ id: 'c' }), signal);
  h.fromWebview({ type: 'approve', requestId: 'c' });
  await c;
  const manual = h.queue.manualReply('c', signal);
  const d = h.queue.requestApproval(sampleRequest({ id: 'd' }), signal);
  h.fromWebview({ type: 'approve', requestId: 'd' });
  await d; // d is being answered: not waiting for the user, so it survives the close.

  h.queue.rejectWaiting('panel closed');
  assert.deepEqual(await approval, { kind: 'reject', reason: 'panel closed' });
  assert.deepEqual(await review, { kind: 'reject', reason: 'panel closed' });
  await assert.rejects(manual, (e: unknown) => e instanceof PanelClosedError && e.message === 'panel closed');
  assert.equal(h.queue.pendingCount(), 0);
  assert.deepEqual(h.queue.views().map((v) => v.requestId), ['d'], 'closed requests are forgotten, the one being answered stays');
});

test('a server-side close while waiting ends the wait and leaves the request read-only', async () => {
  const h = harness();
  const decision = h.queue.requestApproval(sampleRequest(), new AbortController().signal);
  h.queue.notify('req-1', { kind: 'closed', outcome: 'failed', reason: 'server disconnected' });
  assert.deepEqual(await decision, { kind: 'reject', reason: 'server disconnected' });
  assert.equal(h.queue.views()[0]?.state, 'closed');
  assert.equal(h.queue.pendingCount(), 0);
});

test('the queue is bounded: open requests over the limit are refused, closed ones trimmed', async () => {
  const h = harness({ maxOpen: 2, maxClosedKept: 1 });
  const signal = new AbortController().signal;
  const a = h.queue.requestApproval(sampleRequest({ id: 'a' }), signal);
  h.queue.requestApproval(sampleRequest({ id: 'b' }), signal).catch(() => undefined);
  assert.deepEqual(await h.queue.requestApproval(sampleRequest({ id: 'c' }), signal), { kind: 'reject', reason: 'too many requests are waiting in the approval panel', unasked: true });
  h.fromWebview({ type: 'reject', requestId: 'a' });
  await a;
  const d = h.queue.requestApproval(sampleRequest({ id: 'd' }), signal);
  h.fromWebview({ type: 'reject', requestId: 'd' });
  await d;
  assert.deepEqual(h.queue.views().map((v) => [v.requestId, v.state]), [['b', 'pending'], ['d', 'closed']]);
});

test('deltas are bounded and ignored after close; unknown ids do not throw', () => {
  const h = harness();
  h.queue.requestApproval(sampleRequest(), new AbortController().signal).catch(() => undefined);
  h.queue.notify('req-1', { kind: 'closed', outcome: 'cancelled', reason: 'x' });
  const before = h.posted.length;
  h.queue.notify('req-1', { kind: 'delta', text: 'late' });
  assert.equal(h.posted.length, before);
  h.fromWebview({ type: 'approve', requestId: 'nope' });
  assert.match(lastOf(h.posted, 'error')?.message ?? '', /no longer available/);
});

test('a session opened without a person is not shown; a person\'s step after all shows it', async () => {
  const h = harness();
  const hidden = h.queue.open(sampleRequest({ id: 'auto-1' }), false);
  hidden.notify({ kind: 'delta', text: 'nobody watches' });
  assert.equal(h.posted.length, 0, 'an answer without a person stays out of the panel');
  const review = h.queue.reviewResponse('auto-1', response('auto answer'), new AbortController().signal);
  const added = lastOf(h.posted, 'request-added');
  assert.equal(added?.request.requestId, 'auto-1');
  assert.equal(added?.request.state, 'review', 'shown once, in the step that needs the person');
  h.fromWebview({ type: 'approve-response', requestId: 'auto-1' });
  assert.deepEqual(await review, { kind: 'accept', content: { type: 'text', text: 'auto answer' } });
});

test('show-diff opens the original and edited texts', () => {
  const h = harness();
  h.queue.requestApproval(sampleRequest(), new AbortController().signal).catch(() => undefined);
  h.fromWebview({ type: 'show-diff', requestId: 'req-1', edits: { systemPrompt: 'Changed prompt', maxTokens: 7 } });
  assert.equal(h.diffs.length, 1);
  assert.match(h.diffs[0]!.original, /You are terse\./);
  assert.match(h.diffs[0]!.edited, /Changed prompt/);
  assert.match(h.diffs[0]!.edited, /maxTokens: 7/);
});

test('views carry no provider secrets even if a provider object has extra fields', () => {
  const h = harness();
  const leaky = sampleRequest({
    providers: [{ id: 'openai', label: 'OpenAI', models: [{ id: 'gpt' }], apiKey: 'sk-live-123', headers: { Authorization: 'Bearer sk-live-123' }, baseUrl: 'https://example.invalid' } as never],
  });
  h.queue.requestApproval(leaky, new AbortController().signal).catch(() => undefined);
  const text = JSON.stringify(h.posted);
  assert.ok(!text.includes('sk-live-123'));
  assert.ok(!text.includes('example.invalid'));
  assert.deepEqual(h.queue.views()[0]?.providers, [{ id: 'openai', label: 'OpenAI', models: [{ id: 'gpt' }] }]);
});

test('huge texts are clipped so the view still validates', () => {
  const h = harness();
  const big = 'x'.repeat(33 * 1024 * 1024);
  h.queue.requestApproval(sampleRequest({ params: { messages: [{ role: 'user', content: { type: 'text', text: big } }], maxTokens: 10 } }), new AbortController().signal).catch(() => undefined);
  const added = lastOf(h.posted, 'request-added');
  const first = added?.request.messages[0]?.content[0];
  assert.ok(first?.type === 'text' && first.text.endsWith('more characters not shown: open the full request to see them]'));
  assert.match(added?.request.notShown?.[0] ?? '', /^Message 1 block 1: [\d,]+ characters not shown$/);
});

test('no entry past maxOpen: a hidden session whose review comes when the queue is full is refused and not added', async () => {
  const h = harness({ maxOpen: 1 });
  const signal = new AbortController().signal;
  h.queue.requestApproval(sampleRequest({ id: 'a' }), signal).catch(() => undefined);
  const hidden = h.queue.open(sampleRequest({ id: 'auto-3' }), false);
  const before = h.posted.length;
  assert.deepEqual(await hidden.review(response('late'), signal), { kind: 'reject', reason: 'too many requests are waiting in the approval panel', unasked: true });
  await assert.rejects(hidden.manualReply(signal), PanelClosedError);
  assert.equal(h.posted.length, before, 'nothing was posted for it');
  assert.deepEqual(h.queue.views().map((v) => v.requestId), ['a']);
});

test('a session opened with a person but no approval (auto with review) shows its content, then its review', async () => {
  const h = harness();
  h.queue.open(sampleRequest({ id: 'auto-2' }), true);
  await Promise.resolve();
  const added = lastOf(h.posted, 'request-added');
  assert.equal(added?.request.requestId, 'auto-2');
  assert.equal(added?.request.state, 'streaming');
  assert.equal(added?.request.serverName, 'everything');
  assert.equal(h.queue.pendingCount(), 0, 'nothing waits for the user yet');
  assert.deepEqual(h.attention, [], 'an auto-approved request does not pull the panel forward');
  const review = h.queue.reviewResponse('auto-2', response('fine'), new AbortController().signal);
  assert.equal(lastOf(h.posted, 'request-updated')?.request.systemPrompt, 'You are terse.');
  h.fromWebview({ type: 'reject-response', requestId: 'auto-2', reason: 'nope' });
  assert.deepEqual(await review, { kind: 'reject', reason: 'nope' });
});
