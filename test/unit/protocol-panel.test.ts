// The panel controller and status bar item against a recording stand-in for `vscode`: how the panel
// is created (CSP, resource roots, focus), the ready handshake, restore after reload, and closing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Logger } from '../../src/core/logger';
import type { ApprovalDecision, ApprovalRequest, ApprovalSession } from '../../src/core/approval/types';
import { parseHostMessage, type HostToWebview } from '../../src/shared/protocol';
import { FakePanel, Uri, fakeVscode, installFakeVscode, recorded } from './protocol-fake-vscode';
import { PANEL_STRINGS } from '../../src/shared/panelStrings';
import { sampleRequest } from './protocol-fixtures';

installFakeVscode();
// Loaded after the stand-in is installed; typed through the real module's declarations.
const { ApprovalPanelController, APPROVAL_PANEL_VIEW_TYPE } = require('../../src/vscode/panel/approvalPanel') as typeof import('../../src/vscode/panel/approvalPanel');
const { createPausedStatusBarItem, createPendingStatusBarItem } = require('../../src/vscode/statusBar') as typeof import('../../src/vscode/statusBar');

/** The pipeline's side: open the request's session (a person takes part) and ask for approval. */
const sessions = new Map<string, ApprovalSession>();
function askApproval(controller: { open(request: ApprovalRequest, options: { withPerson: boolean }): ApprovalSession }, request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalDecision> {
  const session = controller.open(request, { withPerson: true });
  sessions.set(request.origin.requestId, session);
  return session.approve(signal);
}

function setup() {
  recorded.panels.length = 0;
  recorded.statusItems.length = 0;
  recorded.notifications.length = 0;
  const warnings: string[] = [];
  const logger: Logger = { trace() {}, debug() {}, info() {}, warn: (m) => warnings.push(m), error() {} };
  const controller = new ApprovalPanelController(Uri.file('/ext') as never, logger);
  const messages = (panel: FakePanel): HostToWebview[] =>
    panel.webview.posted.map((m) => {
      const parsed = parseHostMessage(m);
      assert.ok(parsed, `invalid host message ${JSON.stringify(m).slice(0, 200)}`);
      return parsed;
    });
  return { controller, warnings, messages };
}

test('a request opens the panel beside, without focus, with a strict CSP and limited resource roots', () => {
  const { controller } = setup();
  void askApproval(controller, sampleRequest(), new AbortController().signal).catch(() => undefined);
  assert.equal(recorded.panels.length, 1);
  const panel = recorded.panels[0]!;
  assert.equal(panel.viewType, APPROVAL_PANEL_VIEW_TYPE);
  assert.equal(APPROVAL_PANEL_VIEW_TYPE, 'mcpSampling.approvalPanel');
  assert.deepEqual(panel.showOptions, { viewColumn: -2, preserveFocus: true });
  const options = panel.webview.options as { enableScripts: boolean; localResourceRoots: Uri[]; retainContextWhenHidden?: boolean };
  assert.equal(options.enableScripts, true);
  assert.equal(options.retainContextWhenHidden, undefined);
  assert.deepEqual(options.localResourceRoots.map(String), ['file:///ext/dist/webview', 'file:///ext/media']);
  const html = panel.webview.html;
  const nonce = /script-src 'nonce-([A-Za-z0-9+/=]+)'/.exec(html)?.[1];
  assert.ok(nonce && Buffer.from(nonce, 'base64').length === 16, 'a 16-byte random nonce');
  assert.match(html, /default-src 'none'; script-src 'nonce-([^']+)'; style-src https:\/\/fake\.vscode-cdn\.net 'nonce-\1'; img-src data: https:\/\/fake\.vscode-cdn\.net; media-src data:; font-src https:\/\/fake\.vscode-cdn\.net/);
  assert.match(html, /<script nonce="[^"]+" src="https:\/\/fake\.vscode-cdn\.net\/ext\/dist\/webview\/panel\.js"><\/script>/);
  assert.match(html, /<link rel="stylesheet" href="https:\/\/fake\.vscode-cdn\.net\/ext\/media\/panel\.css">/);
  controller.dispose();
});

test('nothing is posted before ready; ready gets the whole queue; later requests reveal without focus', async () => {
  const { controller, messages } = setup();
  const first = askApproval(controller, sampleRequest({ id: 'a' }), new AbortController().signal);
  const panel = recorded.panels[0]!;
  assert.deepEqual(panel.webview.posted, [], 'the webview is not listening yet');
  panel.webview.received.fire({ type: 'ready' });
  const state = messages(panel)[0];
  assert.ok(state?.type === 'state');
  assert.equal(state.restored, false);
  assert.deepEqual(state.requests.map((r) => r.requestId), ['a']);

  void askApproval(controller, sampleRequest({ id: 'b' }), new AbortController().signal).catch(() => undefined);
  assert.equal(recorded.panels.length, 1, 'one panel holds the queue');
  assert.deepEqual(panel.reveals.at(-1), { column: undefined, preserveFocus: true });
  assert.equal(messages(panel).at(-1)?.type, 'request-added');
  assert.equal(controller.pendingRequests().length, 2);

  panel.webview.received.fire({ type: 'approve', requestId: 'a' });
  const decision: ApprovalDecision = await first;
  assert.equal(decision.kind, 'approve');
  controller.dispose();
});

test('malformed webview messages are dropped with a warning', () => {
  const { controller, warnings } = setup();
  void askApproval(controller, sampleRequest(), new AbortController().signal).catch(() => undefined);
  const panel = recorded.panels[0]!;
  panel.webview.received.fire({ type: 'approve', requestId: 42 });
  panel.webview.received.fire('hello');
  assert.equal(warnings.length, 2);
  assert.equal(controller.pendingCount, 1);
  controller.dispose();
});

test('an error the panel reports goes to the log, bounded like any reason', () => {
  const { controller, warnings } = setup();
  void askApproval(controller, sampleRequest(), new AbortController().signal).catch(() => undefined);
  const panel = recorded.panels[0]!;
  panel.webview.received.fire({ type: 'panel-error', message: 'RangeError: Maximum call stack size exceeded' });
  panel.webview.received.fire({ type: 'panel-error', message: 'x'.repeat(100_000) });
  assert.deepEqual(warnings, ["Approval panel: an error in the panel's code: RangeError: Maximum call stack size exceeded", 'Approval panel: dropped a malformed message from the webview']);
  assert.equal(controller.pendingCount, 1, 'the request still waits');
  controller.dispose();
});

test('a hidden webview stops receiving until it says ready again', () => {
  const { controller, messages } = setup();
  void askApproval(controller, sampleRequest({ id: 'a' }), new AbortController().signal).catch(() => undefined);
  const panel = recorded.panels[0]!;
  panel.webview.received.fire({ type: 'ready' });
  panel.visible = false;
  panel.viewStateEmitter.fire({});
  const before = panel.webview.posted.length;
  sessions.get('a')?.notify({ kind: 'error', message: 'while hidden' });
  assert.equal(panel.webview.posted.length, before);
  panel.visible = true;
  panel.webview.received.fire({ type: 'ready' });
  const state = messages(panel).at(-1);
  assert.ok(state?.type === 'state');
  assert.equal(state.requests[0]?.error, 'while hidden', 'the resent state carries what happened meanwhile');
  controller.dispose();
});

test('closing the panel rejects what it held and disposes its listeners; the next request opens a new one', async () => {
  const { controller } = setup();
  const waiting = askApproval(controller, sampleRequest(), new AbortController().signal);
  const panel = recorded.panels[0]!;
  panel.dispose();
  assert.deepEqual(await waiting, { kind: 'reject', reason: 'panel closed' });
  assert.deepEqual(recorded.notifications, ['info: Closing the approval panel rejected the sampling request waiting in it. It is in the Sampling History.']);
  assert.equal(panel.webview.received.listenerCount, 0);
  assert.equal(panel.viewStateEmitter.listenerCount, 0);
  assert.equal(controller.pendingCount, 0);
  void askApproval(controller, sampleRequest({ id: 'next' }), new AbortController().signal).catch(() => undefined);
  assert.equal(recorded.panels.length, 2);
  controller.dispose();
});

test('after a reload the serializer restores the panel and tells the webview so', async () => {
  const { controller, messages } = setup();
  const restored = new FakePanel(APPROVAL_PANEL_VIEW_TYPE, undefined, undefined);
  await controller.deserializeWebviewPanel(restored as never, { drafts: {}, shown: [{ requestId: 'old', serverName: 's' }] });
  assert.match(restored.webview.html, /Content-Security-Policy/);
  restored.webview.received.fire({ type: 'ready' });
  assert.deepEqual(messages(restored), [{ type: 'state', requests: [], restored: true, strings: PANEL_STRINGS }]);
  restored.webview.received.fire({ type: 'ready' });
  assert.deepEqual(messages(restored).at(-1), { type: 'state', requests: [], restored: false, strings: PANEL_STRINGS }, 'only the first state after a reload says restored');
  controller.show();
  assert.equal(recorded.panels.length, 0, 'show() reuses the restored panel');
  assert.deepEqual(restored.reveals.at(-1), { column: undefined, preserveFocus: false });
  controller.dispose();
  assert.ok(restored.disposed);
});

test('show() opens a focused panel when there is none', () => {
  const { controller } = setup();
  controller.show();
  assert.deepEqual(recorded.panels[0]?.showOptions, { viewColumn: -2, preserveFocus: false });
  controller.dispose();
});

test('the status bar item shows the waiting count and hides at zero', async () => {
  const { controller } = setup();
  const disposable = createPendingStatusBarItem(controller as never);
  const item = recorded.statusItems[0]!;
  assert.equal(item.visible, false);
  assert.equal(item.command, 'mcpSampling.openPanel');
  const a = askApproval(controller, sampleRequest({ id: 'a' }), new AbortController().signal);
  void askApproval(controller, sampleRequest({ id: 'b' }), new AbortController().signal).catch(() => undefined);
  assert.equal(item.visible, true);
  assert.equal(item.text, '$(inbox) 2');
  const panel = recorded.panels[0]!;
  panel.webview.received.fire({ type: 'reject', requestId: 'a' });
  await a;
  assert.equal(item.text, '$(inbox) 1');
  panel.dispose();
  assert.equal(item.visible, false);
  disposable.dispose();
  assert.ok(item.disposed);
  controller.dispose();
});

test('dispose releases everything it registered', () => {
  const { controller } = setup();
  const providersBefore = recorded.contentProviders.length;
  const other = new ApprovalPanelController(Uri.file('/ext') as never, { trace() {}, debug() {}, info() {}, warn() {}, error() {} });
  const registration = recorded.contentProviders[providersBefore];
  assert.equal(registration?.scheme, 'mcp-sampling-diff');
  other.dispose();
  assert.equal(registration?.disposed, true);
  controller.dispose();
});

test('show-diff opens the editor diff of original vs edited', async () => {
  const { controller } = setup();
  void askApproval(controller, sampleRequest(), new AbortController().signal).catch(() => undefined);
  const panel = recorded.panels[0]!;
  const before = recorded.commands.length;
  panel.webview.received.fire({ type: 'show-diff', requestId: 'req-1', edits: { systemPrompt: 'x' } });
  const call = recorded.commands[before];
  assert.equal(call?.[0], 'vscode.diff');
  assert.match(String(call?.[1]), /^mcp-sampling-diff:\/\/\/req-1\/original\.txt\?v\d+$/);
  assert.match(String(call?.[2]), /edited\.txt/);
  controller.dispose();
});

test('the status bar counts a server\'s form waiting in the panel with the sampling requests', async () => {
  const { controller } = setup();
  const disposable = createPendingStatusBarItem(controller as never);
  const item = recorded.statusItems[0]!;
  const abort = new AbortController();
  const form = controller.elicitForm({ mode: 'form', message: 'Your name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } }, 'srv', abort.signal);
  assert.equal(item.visible, true);
  assert.equal(item.text, '$(inbox) 1');
  void askApproval(controller, sampleRequest({ id: 'a' }), new AbortController().signal).catch(() => undefined);
  assert.equal(item.text, '$(inbox) 2');
  abort.abort(new Error('the server gave up'));
  await assert.rejects(form, /gave up/);
  assert.equal(item.text, '$(inbox) 1');
  disposable.dispose();
  controller.dispose();
});

test('while sampling is paused a status bar item says so and resumes on click; it follows the setting', () => {
  recorded.statusItems.length = 0;
  let paused = true;
  const listeners: (() => void)[] = [];
  let unsubscribed = 0;
  const disposable = createPausedStatusBarItem(
    () => paused,
    (listener) => {
      listeners.push(listener);
      return { dispose: () => void unsubscribed++ };
    },
  );
  const item = recorded.statusItems[0]!;
  assert.equal(item.visible, true, 'paused at start (the setting outlives restarts)');
  assert.equal(item.text, '$(debug-pause) Sampling paused');
  assert.equal(item.command, 'mcpSampling.togglePause');
  paused = false;
  listeners.forEach((l) => l());
  assert.equal(item.visible, false);
  paused = true;
  listeners.forEach((l) => l());
  assert.equal(item.visible, true);
  disposable.dispose();
  assert.ok(item.disposed);
  assert.equal(unsubscribed, 1);
});


test('the panel\'s words come from the host in the display language, and the English table is the shared one', async () => {
  const { localizedPanelStrings } = require('../../src/vscode/panel/panelStrings') as typeof import('../../src/vscode/panel/panelStrings');
  assert.deepEqual(localizedPanelStrings(), PANEL_STRINGS, 'every entry goes through vscode.l10n.t with the same English text');
  const { controller, messages } = setup();
  fakeVscode.l10n.translate = (message) => (message === 'Approve' ? 'Genehmigen' : message === 'request from {0}' ? 'Anfrage von {0}' : message);
  try {
    const restored = new FakePanel(APPROVAL_PANEL_VIEW_TYPE, undefined, undefined);
    await controller.deserializeWebviewPanel(restored as never, { drafts: {}, shown: [] });
    restored.webview.received.fire({ type: 'ready' });
    const state = messages(restored)[0];
    assert.equal(state?.type === 'state' && state.strings?.approve, 'Genehmigen');
    assert.equal(state?.type === 'state' && state.strings?.approveContext, 'Anfrage von {0}', 'placeholders stay for the webview to fill');
  } finally {
    fakeVscode.l10n.translate = (message) => message;
    controller.dispose();
  }
});
