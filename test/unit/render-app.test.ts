// Runs the webview's panel logic (src/webview/app.ts) on the small fake DOM: host messages in,
// DOM hooks and protocol messages out, as the end-to-end tests will drive it in a real browser.
import { mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeElement, FakeEvent, fakeDocument, fakeWindow, installFakeDom, resetFakeDom } from './render-fake-dom';
import { parseWebviewMessage, type HostToWebview, type RequestView, type WebviewToHost } from '../../src/shared/protocol';
import { sampleView } from './protocol-fixtures';
import { PANEL_STRINGS } from '../../src/shared/panelStrings';

installFakeDom();
// Untyped on purpose: the webview's DOM types are not in the Node test program.
const app = require('../../src/webview/app') as {
  startApprovalPanel(root: unknown, api: { postMessage(m: unknown): void; getState(): unknown; setState(s: unknown): void }): void;
};
const { EDIT_SETTLE_MS } = require('../../src/webview/userActions') as { EDIT_SETTLE_MS: number };

function start(initialState?: unknown) {
  resetFakeDom();
  // The panel settles typing on a timer: the tests move the clock themselves.
  mock.timers.reset();
  mock.timers.enable({ apis: ['setTimeout'] });
  const root = new FakeElement('main');
  const sent: WebviewToHost[] = [];
  let state: unknown = initialState;
  app.startApprovalPanel(root, {
    postMessage: (m) => {
      const parsed = parseWebviewMessage(JSON.parse(JSON.stringify(m)));
      assert.ok(parsed, `the webview sent an invalid message ${JSON.stringify(m)}`);
      sent.push(parsed);
    },
    getState: () => state,
    setState: (s) => {
      state = JSON.parse(JSON.stringify(s));
    },
  });
  const host = (m: HostToWebview): void => fakeWindow.receive(JSON.parse(JSON.stringify(m)));
  const card = (id = 'req-1') => root.querySelector(`[data-request-id="${id}"]`);
  const field = (action: string, id = 'req-1') => {
    const el = card(id)?.querySelector(`[data-action="${action}"]`);
    assert.ok(el, `no ${action}`);
    return el;
  };
  /** One keystroke's input event, as the browser sends it: the field holds `value`. */
  const key = (action: string, value: string, id = 'req-1') => {
    const el = field(action, id);
    el.value = value;
    el.dispatch('input');
  };
  /** Types `value` and pauses, so the panel takes it in. */
  const type = (action: string, value: string, id = 'req-1') => {
    key(action, value, id);
    mock.timers.tick(EDIT_SETTLE_MS);
  };
  return { root, sent, host, card, field, key, type, state: () => state };
}

const pending = (overrides: Partial<RequestView> = {}) => sampleView(overrides);

test('says ready, then renders the queue from the host state', () => {
  const p = start();
  assert.deepEqual(p.sent, [{ type: 'ready' }]);
  assert.equal(p.root.querySelector('[data-role="empty"]')?.hidden, false);
  p.host({ type: 'state', requests: [pending(), pending({ requestId: 'req-2', serverName: 'other' })], restored: false });
  assert.equal(p.root.querySelectorAll('[data-request-id]').length, 2);
  assert.equal(p.card('req-2')?.getAttribute('data-server'), 'other');
  assert.equal(p.root.querySelector('[data-role="summary"]')?.textContent, '2 requests wait for you.');
  assert.equal(p.root.querySelector('[data-role="empty"]')?.hidden, true);
});

test('approve without edits sends a bare approve; buttons for the other decisions', () => {
  const p = start();
  p.host({ type: 'request-added', request: pending() });
  p.field('approve').click();
  p.field('allow-session').click();
  p.field('always-allow').click();
  p.field('reject').click();
  p.field('confirm-reject').click();
  assert.deepEqual(p.sent.slice(1), [
    { type: 'approve', requestId: 'req-1' },
    { type: 'approve', requestId: 'req-1', remember: 'session' },
    { type: 'approve', requestId: 'req-1', remember: 'always' },
    { type: 'reject', requestId: 'req-1' },
  ]);
});

test('edits are marked, kept in the webview state, and sent with approve', () => {
  const p = start();
  p.host({ type: 'request-added', request: pending() });
  p.type('edit-system-prompt', 'Be brief.');
  p.type('edit-message-0', 'Say hi');
  p.type('edit-max-tokens', '50');
  p.type('edit-temperature', '');
  assert.ok(p.card()?.querySelector('[data-field-wrap="system-prompt"]')?.classList.contains('edited'));
  assert.ok(p.field('edit-system-prompt').hasAttribute('data-edited'));
  assert.ok(!p.card()?.querySelector('[data-field-wrap="model"]')?.classList.contains('edited'));
  assert.deepEqual((p.state() as { drafts: Record<string, unknown> }).drafts['req-1'], { systemPrompt: 'Be brief.', messages: { '0': 'Say hi' }, maxTokens: '50', temperature: '' });
  p.field('approve').click();
  assert.deepEqual(p.sent.at(-1), {
    type: 'approve',
    requestId: 'req-1',
    edits: { systemPrompt: 'Be brief.', messages: [{ index: 0, text: 'Say hi' }], maxTokens: 50, temperature: null },
  });
});

test('an invalid field blocks approval and says why', () => {
  const p = start();
  p.host({ type: 'request-added', request: pending() });
  p.type('edit-max-tokens', '-3');
  assert.match(p.card()?.querySelector('[data-role="draft-errors"]')?.textContent ?? '', /Max tokens/);
  assert.ok(p.field('approve').hasAttribute('disabled'));
  p.field('approve').click();
  assert.equal(p.sent.length, 1, 'nothing sent');
  p.type('edit-max-tokens', '100');
  assert.ok(!p.field('approve').hasAttribute('disabled'));
});

test('switching provider offers its models and picks one it has', () => {
  const p = start();
  p.host({ type: 'request-added', request: pending() });
  const select = p.field('edit-provider');
  select.value = 'local';
  select.dispatch('change');
  assert.equal(p.field('edit-model').value, 'llama3');
  assert.deepEqual(p.card()?.querySelector('[data-role="model-options"]')?.children.map((o) => o.getAttribute('value')), ['llama3']);
  p.field('approve').click();
  assert.deepEqual(p.sent.at(-1), { type: 'approve', requestId: 'req-1', edits: { providerId: 'local', model: 'llama3' } });
});

test('Show changes renders the line diff of the request text, and opens the same changes in the diff editor from inside it', () => {
  const p = start();
  p.host({ type: 'request-added', request: pending() });
  p.type('edit-system-prompt', 'Other prompt');
  p.field('toggle-diff').click();
  const changes = p.card()?.querySelector('[data-role="changes"]');
  assert.equal(changes?.hidden, false);
  assert.equal(p.field('toggle-diff').getAttribute('aria-expanded'), 'true');
  assert.equal(fakeDocument.activeElement, p.field('toggle-diff'), 'focus stays on the control');
  const diff = changes?.querySelector('[data-role="diff"]');
  assert.deepEqual(diff?.querySelectorAll('.diff-removed').map((e) => e.textContent), ['- You are terse.\n']);
  assert.deepEqual(diff?.querySelectorAll('.diff-added').map((e) => e.textContent), ['+ Other prompt\n']);
  // Typing on redraws the open diff; the field being edited is not re-rendered.
  const prompt = p.field('edit-system-prompt');
  p.type('edit-system-prompt', 'Third prompt');
  assert.equal(p.field('edit-system-prompt'), prompt);
  assert.deepEqual(p.card()?.querySelectorAll('.diff-added').map((e) => e.textContent), ['+ Third prompt\n']);
  changes?.querySelector('[data-action="show-diff"]')?.click();
  assert.deepEqual(p.sent.at(-1), { type: 'show-diff', requestId: 'req-1', edits: { systemPrompt: 'Third prompt' } });
  p.field('toggle-diff').click();
  assert.equal(p.card()?.querySelector('[data-role="changes"]')?.hidden, true);
  assert.equal(p.field('toggle-diff').textContent, 'Show changes');
});

test('Ctrl+Enter approves the current step, also from inside a text field, and a focused button does not act twice', () => {
  const p = start();
  p.host({ type: 'request-added', request: pending() });
  const reject = p.field('reject');
  reject.focus();
  let buttonSawEnter = false;
  reject.addEventListener('keydown', () => (buttonSawEnter = true));
  const e = reject.dispatch(new FakeEvent('keydown', { key: 'Enter', ctrlKey: true }));
  assert.ok(e.defaultPrevented);
  assert.equal(buttonSawEnter, false, 'the capture handler stops the button from seeing it');
  assert.deepEqual(p.sent.at(-1), { type: 'approve', requestId: 'req-1' });
  p.field('edit-system-prompt').dispatch(new FakeEvent('keydown', { key: 'Enter', metaKey: true }));
  assert.deepEqual(p.sent.at(-1), { type: 'approve', requestId: 'req-1' });
  const plain = p.field('edit-system-prompt').dispatch(new FakeEvent('keydown', { key: 'Enter' }));
  assert.equal(plain.defaultPrevented, false, 'plain Enter types a newline');
});

test('streams deltas into the answer area, then review, edited answer approved', () => {
  const p = start();
  p.host({ type: 'request-added', request: pending() });
  p.host({ type: 'request-updated', request: pending({ state: 'streaming', step: 'answering' }) });
  assert.equal(p.card()?.getAttribute('data-state'), 'streaming');
  p.host({ type: 'delta', requestId: 'req-1', text: 'Hel' });
  p.host({ type: 'delta', requestId: 'req-1', text: 'lo' });
  assert.equal(p.card()?.querySelector('[data-role="response"]')?.querySelector('[data-role="response-text"]')?.textContent, 'Hello');
  p.host({
    type: 'request-updated',
    request: pending({ state: 'review', step: 'review', responseText: 'Hello', response: { model: 'gpt-4o', stopReason: 'endTurn', content: [{ type: 'text', text: 'Hello' }] } }),
  });
  assert.equal(p.card()?.getAttribute('data-state'), 'review');
  p.type('edit-response', 'Hello there');
  const approve = p.root.querySelector('[data-action="approve-response"]');
  approve?.focus();
  approve?.dispatch(new FakeEvent('keydown', { key: 'Enter', ctrlKey: true }));
  assert.deepEqual(p.sent.at(-1), { type: 'approve-response', requestId: 'req-1', text: 'Hello there' });
  p.field('regenerate').click();
  assert.deepEqual(p.sent.at(-1), { type: 'regenerate', requestId: 'req-1' });
  p.field('reject-response').click();
  assert.deepEqual(p.sent.at(-1), { type: 'reject-response', requestId: 'req-1' });
});

test('streamed text shows hidden characters as the finished answer does, also a pair split between two deltas', () => {
  const p = start();
  p.host({ type: 'request-added', request: pending({ state: 'streaming', step: 'answering' }) });
  const tag = '\u{E0041}';
  p.host({ type: 'delta', requestId: 'req-1', text: 'a\u202Eb' });
  p.host({ type: 'delta', requestId: 'req-1', text: `c${tag[0]}` });
  const shown = () => p.card()?.querySelector('[data-role="response-text"]')?.textContent;
  assert.equal(shown(), 'a⟦U+202E⟧bc', 'the first half of the pair waits for the second');
  p.host({ type: 'delta', requestId: 'req-1', text: `${tag[1]}d` });
  assert.equal(shown(), 'a⟦U+202E⟧bc⟦U+E0041⟧d');
});

test('manual reply is typed and sent', () => {
  const p = start();
  p.host({ type: 'request-added', request: pending({ state: 'streaming', step: 'manual-reply' }) });
  p.type('manual-reply', 'my answer');
  p.field('send-manual-reply').click();
  assert.deepEqual(p.sent.at(-1), { type: 'manual-reply', requestId: 'req-1', text: 'my answer' });
});

test('closed requests turn read-only with the reason; errors are shown', () => {
  const p = start();
  p.host({ type: 'request-added', request: pending() });
  p.host({ type: 'error', requestId: 'req-1', message: 'provider "x" is not available' });
  assert.equal(p.card()?.querySelector('[data-role="error"]')?.textContent, 'provider "x" is not available');
  p.host({ type: 'closed', requestId: 'req-1', outcome: 'cancelled', reason: 'server cancelled' });
  assert.equal(p.card()?.getAttribute('data-state'), 'closed');
  assert.equal(p.card()?.querySelector('[data-role="closed-reason"]')?.textContent, 'Cancelled: server cancelled');
  assert.equal(p.card()?.querySelector('[data-action="approve"]'), null);
  assert.equal(p.root.querySelector('[data-role="summary"]')?.textContent, 'Nothing waits for you.');
});

test('malformed host messages are ignored; a malformed view shows as "could not be displayed", never as a card to approve', () => {
  const p = start();
  p.host({ type: 'request-added', request: pending() });
  fakeWindow.receive({ type: 'closed', requestId: 'req-1', outcome: 'exploded', reason: 'x' });
  fakeWindow.receive({ type: 'request-added', request: { ...pending({ requestId: 'evil' }), state: 'hacked' } });
  fakeWindow.receive('nonsense');
  assert.equal(p.card()?.getAttribute('data-state'), 'pending');
  const evil = p.card('evil');
  assert.ok(evil?.hasAttribute('data-unreadable'));
  assert.match(evil?.querySelector('[data-role="unreadable"]')?.textContent ?? '', /could not be displayed: its field request\.state/);
  assert.equal(evil?.querySelector('[data-action="approve"]'), null, 'nothing to approve');
  evil?.querySelector('[data-action="reject"]')?.click();
  assert.deepEqual(p.sent.at(-1), { type: 'reject', requestId: 'evil' });
  evil?.querySelector('[data-action="open-full-request"]')?.click();
  assert.deepEqual(p.sent.at(-1), { type: 'open-full-request', requestId: 'evil' });
});

test('drafts survive the webview being recreated; a reload shows earlier requests as closed', () => {
  const first = start();
  first.host({ type: 'request-added', request: pending() });
  first.type('edit-system-prompt', 'Kept across hide/show');
  const saved = first.state();

  const shownAgain = start(saved);
  shownAgain.host({ type: 'state', requests: [pending()], restored: false });
  assert.equal(shownAgain.field('edit-system-prompt').value, 'Kept across hide/show');
  assert.ok(shownAgain.card()?.querySelector('[data-field-wrap="system-prompt"]')?.classList.contains('edited'));

  const reloaded = start(saved);
  reloaded.host({ type: 'state', requests: [], restored: true });
  const stale = reloaded.root.querySelector('[data-request-id="req-1"]');
  assert.equal(stale?.getAttribute('data-state'), 'closed');
  assert.match(stale?.querySelector('[data-role="closed-reason"]')?.textContent ?? '', /reloaded/);
  assert.equal(fakeDocument.activeElement, null);
});

test('Reject asks for a reason first: the field gets focus, Reject request sends it, nothing is sent before', () => {
  const p = start();
  p.host({ type: 'request-added', request: pending() });
  assert.equal(p.card()?.querySelector('[data-action="reject-reason"]'), null, 'no reason field until Reject is chosen');
  p.field('reject').click();
  assert.equal(p.sent.length, 1, 'choosing Reject sends nothing yet');
  const reason = p.field('reject-reason');
  assert.equal(fakeDocument.activeElement, reason, 'the reason field has focus');
  p.type('reject-reason', '  not this server  ');
  p.field('confirm-reject').click();
  assert.deepEqual(p.sent.at(-1), { type: 'reject', requestId: 'req-1', reason: 'not this server' });
});

test('the reject form by keyboard: Enter in the reason field rejects, Escape cancels and gives focus back to Reject', () => {
  const p = start();
  p.host({ type: 'request-added', request: pending() });
  p.field('reject').click();
  p.type('reject-reason', 'changed my mind');
  const escape = p.field('reject-reason').dispatch(new FakeEvent('keydown', { key: 'Escape' }));
  assert.ok(escape.defaultPrevented);
  assert.equal(p.card()?.querySelector('[data-role="reject-form"]'), null, 'the form is gone');
  assert.equal(fakeDocument.activeElement, p.field('reject'));
  assert.equal(p.sent.length, 1, 'Cancel sends nothing');
  assert.equal((p.state() as { drafts: Record<string, { rejectReason?: string }> }).drafts['req-1']?.rejectReason, undefined, 'the cancelled reason is dropped');

  p.field('reject').click();
  assert.equal(p.field('reject-reason').value, '');
  p.type('reject-reason', 'wrong tool');
  const enter = p.field('reject-reason').dispatch(new FakeEvent('keydown', { key: 'Enter' }));
  assert.ok(enter.defaultPrevented);
  assert.deepEqual(p.sent.at(-1), { type: 'reject', requestId: 'req-1', reason: 'wrong tool' });
});

test('Ctrl+Enter in the reject form rejects, never approves; Cancel by click keeps the request', () => {
  const p = start();
  p.host({ type: 'request-added', request: pending() });
  p.field('reject').click();
  p.field('cancel-reject').click();
  assert.equal(p.card()?.querySelector('[data-role="reject-form"]'), null);
  assert.equal(p.sent.length, 1);
  p.field('reject').click();
  const reason = p.field('reject-reason');
  reason.dispatch(new FakeEvent('keydown', { key: 'Enter', ctrlKey: true }));
  assert.deepEqual(p.sent.slice(1), [{ type: 'reject', requestId: 'req-1' }]);
});

test('an open reject form and its reason survive an update of the card and a webview reload', () => {
  const p = start();
  p.host({ type: 'request-added', request: pending() });
  p.field('reject').click();
  p.type('reject-reason', 'half typed');
  p.host({ type: 'request-updated', request: pending({ warnings: ['new warning'] }) });
  assert.equal(p.field('reject-reason').value, 'half typed');
  const reloaded = start(p.state());
  reloaded.host({ type: 'state', requests: [pending()], restored: false });
  assert.equal(reloaded.field('reject-reason').value, 'half typed');
});

test('a keystroke does no work on the text: the diff, the token estimate and the saved draft refresh once typing pauses', () => {
  const p = start();
  p.host({ type: 'request-added', request: pending({ tokenEstimate: 10, maxInputTokens: 20, providers: [] }) });
  p.field('toggle-diff').click();
  const added = () => p.card()?.querySelectorAll('.diff-added').map((e) => e.textContent);
  const tokens = () => p.card()?.querySelector('[data-role="token-estimate"]');
  const savedPrompt = () => (p.state() as { drafts: Record<string, { systemPrompt?: string }> } | undefined)?.drafts['req-1']?.systemPrompt;
  assert.equal(tokens()?.textContent, "About 10 input tokens of the model's 20 limit.");
  // Five keystrokes, each inside the pause of the one before: nothing derived is recomputed yet.
  for (const typed of ['Y', 'Yo', 'You', 'You ', 'You are']) {
    p.key('edit-system-prompt', typed);
    mock.timers.tick(EDIT_SETTLE_MS - 1);
  }
  assert.deepEqual(added(), [], 'the diff still shows the text before typing');
  assert.equal(tokens()?.textContent, "About 10 input tokens of the model's 20 limit.");
  assert.equal(savedPrompt(), undefined, 'the draft is not serialised per keystroke');
  assert.equal(p.card()?.querySelector('[data-field-wrap="system-prompt"]')?.classList.contains('edited'), false);
  mock.timers.tick(1);
  assert.deepEqual(added(), ['+ You are\n'], 'one refresh with the last text once typing pauses');
  assert.equal(savedPrompt(), 'You are');
  assert.ok(p.card()?.querySelector('[data-field-wrap="system-prompt"]')?.classList.contains('edited'));
});

test('the token estimate and the over-limit warning follow edits and the chosen model', () => {
  const p = start();
  p.host({ type: 'request-added', request: pending({ tokenEstimate: 10, maxInputTokens: 20, providers: [], systemPrompt: '' }) });
  const tokens = () => p.card()?.querySelector('[data-role="token-estimate"]');
  p.type('edit-system-prompt', 'x'.repeat(80));
  assert.equal(tokens()?.textContent, "About 30 input tokens of the model's 20 limit: over the limit.");
  assert.ok(tokens()?.classList.contains('over'));
  p.type('edit-system-prompt', 'x'.repeat(8));
  assert.equal(tokens()?.textContent, "About 12 input tokens of the model's 20 limit.");
  assert.ok(!tokens()?.classList.contains('over'));
  p.type('edit-model', 'other-model');
  assert.match(p.card()?.querySelector('[data-role="choice-reason"]')?.textContent ?? '', /^Chosen by you/);
});

test('an action or a host update right after typing uses the latest text', () => {
  const p = start();
  p.host({ type: 'request-added', request: pending() });
  p.key('edit-system-prompt', 'typed just now');
  p.host({ type: 'request-updated', request: pending({ warnings: ['a new warning'] }) });
  assert.equal(p.field('edit-system-prompt').value, 'typed just now', 'the redrawn card keeps what was typed');
  p.key('edit-message-0', 'and this');
  p.field('approve').click();
  assert.deepEqual(p.sent.at(-1), { type: 'approve', requestId: 'req-1', edits: { systemPrompt: 'typed just now', messages: [{ index: 0, text: 'and this' }] } });
});

test('a long text area grows after an edit, and its notice says how many lines are below', () => {
  const p = start();
  p.host({ type: 'request-added', request: pending() });
  p.type('edit-message-0', Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n'));
  const notice = p.card()?.querySelector('[data-field-wrap="message-0"]')?.querySelector('[data-role="more-lines"]');
  assert.equal(notice?.hidden, false);
  assert.equal(notice?.textContent, `${50 - Number(p.field('edit-message-0').getAttribute('rows'))} more lines below: scroll inside the box to read them.`);
});

test('a screen reader hears a new request, a change of step and the end of a streamed answer, and focus stays where it was', () => {
  const p = start();
  const heard = () => p.root.querySelector('[data-role="announcer"]');
  assert.equal(heard()?.getAttribute('aria-live'), 'polite');
  const elsewhere = new FakeElement('button');
  elsewhere.focus();
  p.host({ type: 'request-added', request: pending() });
  assert.equal(heard()?.textContent, 'New sampling request from everything, with 1 warning: waiting for approval.');
  p.host({ type: 'request-updated', request: pending({ state: 'streaming', step: 'answering' }) });
  assert.equal(heard()?.textContent, 'Request from everything: answering.');
  p.host({ type: 'delta', requestId: 'req-1', text: 'Hel' });
  assert.equal(heard()?.textContent, 'Request from everything: answering.', 'streamed pieces are not read out');
  p.host({ type: 'request-updated', request: pending({ state: 'review', step: 'review', responseText: 'Hel', response: { model: 'm', stopReason: 'endTurn', content: [{ type: 'text', text: 'Hel' }] } }) });
  assert.equal(heard()?.textContent, 'The answer for everything is complete: review it before it is sent.');
  p.host({ type: 'closed', requestId: 'req-1', outcome: 'answered', reason: 'sent' });
  assert.equal(heard()?.textContent, 'Request from everything: answered.');
  assert.equal(fakeDocument.activeElement, elsewhere, 'no announcement moved the focus');
  assert.equal(p.root.querySelector('[data-role="keyboard-help"]')?.querySelector('summary')?.textContent, 'Keyboard shortcuts');
  assert.match(p.root.querySelector('[data-role="keyboard-help"]')?.textContent ?? '', /Ctrl\+Enter/);
});

test('the panel speaks the host\'s language: the strings table of the state message, checked entry by entry', () => {
  const p = start();
  p.host({
    type: 'state',
    requests: [pending()],
    restored: false,
    strings: { ...PANEL_STRINGS, approve: 'Genehmigen', approveContext: 'Anfrage von {0}', panelTitle: 'Sampling-Anfragen', allowSession: 'Für diese Sitzung erlauben {0}', keyboardShortcuts: 42 as unknown as string },
  });
  assert.equal(p.field('approve').textContent, 'Genehmigen');
  assert.equal(p.field('approve').getAttribute('aria-label'), 'Genehmigen, Anfrage von everything');
  assert.equal(p.root.querySelector('h1')?.textContent, 'Sampling-Anfragen');
  assert.equal(p.field('allow-session').textContent, 'Allow for this session', 'a translation with other placeholders keeps the English text');
  assert.equal(p.root.querySelector('[data-role="keyboard-help"]')?.querySelector('summary')?.textContent, 'Keyboard shortcuts', 'a malformed entry keeps the English text');
  p.host({ type: 'state', requests: [pending()], restored: false, strings: PANEL_STRINGS });
});

test('leaving a text field does not redraw under the pointer: errors appear below the buttons, after the pause', () => {
  const p = start();
  p.host({ type: 'request-added', request: pending() });
  const area = p.card()?.querySelector('[data-role="actions-area"]');
  const order = () => area?.children.map((c) => c.getAttribute('data-role') ?? c.getAttribute('class'));
  assert.ok(order()!.indexOf('draft-errors') > order()!.indexOf('actions'), `errors come after the buttons: ${order()?.join(', ')}`);
  p.key('edit-max-tokens', '-3');
  // A click on a button blurs the field first: its change event must not redraw before the click lands.
  p.field('edit-max-tokens').dispatch('change');
  assert.equal(p.card()?.querySelector('[data-role="draft-errors"]')?.textContent, '', 'nothing redrawn on leaving the field');
  mock.timers.tick(EDIT_SETTLE_MS);
  assert.match(p.card()?.querySelector('[data-role="draft-errors"]')?.textContent ?? '', /Max tokens/);
});

test('an error in the panel\'s code is shown in the panel and sent to the host\'s log, a few times at most', () => {
  const p = start();
  const notice = p.root.querySelector('[data-role="panel-error"]');
  assert.equal(notice?.hidden, true, 'nothing to say until something goes wrong');
  assert.equal(notice?.getAttribute('role'), 'alert');
  fakeWindow.emit('error', { message: 'Uncaught RangeError: Maximum call stack size exceeded', error: new RangeError('Maximum call stack size exceeded') });
  assert.equal(notice?.hidden, false);
  assert.equal(notice?.textContent, 'Something went wrong in this panel (RangeError: Maximum call stack size exceeded). What you typed is kept; the log (MCP Sampling: Show Log) has the details.');
  fakeWindow.emit('unhandledrejection', { reason: 'lost' });
  for (let i = 0; i < 10; i++) fakeWindow.emit('error', { message: `again ${i}` });
  assert.deepEqual(
    p.sent.filter((m) => m.type === 'panel-error'),
    [
      { type: 'panel-error', message: 'RangeError: Maximum call stack size exceeded' },
      { type: 'panel-error', message: 'lost' },
      { type: 'panel-error', message: 'again 0' },
      { type: 'panel-error', message: 'again 1' },
      { type: 'panel-error', message: 'again 2' },
    ],
  );
});
