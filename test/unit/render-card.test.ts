// Renders request cards with the webview's own code on a small fake DOM and checks the data-* hooks
// that the end-to-end tests rely on, and that server text only ever lands in text nodes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installFakeDom, type FakeElement } from './render-fake-dom';
import type { RequestView } from '../../src/shared/protocol';
import { sampleView } from './protocol-fixtures';

installFakeDom();
// Loaded after the fake DOM exists, and untyped on purpose: the webview's DOM types are not in the
// Node test program (its tsconfig has no DOM lib); the signatures are restated here.
const cardModule = require('../../src/webview/card') as {
  renderCard(view: RequestView, draft: object, ui: { diffOpen: boolean; rejecting: boolean }): unknown;
  renderStaleCard(summary: { requestId: string; serverName: string }): unknown;
};
const { renderCard, renderStaleCard } = cardModule;

const render = (view: RequestView, draft = {}, ui = { diffOpen: false, rejecting: false }) => renderCard(view, draft, ui) as unknown as FakeElement;
const actions = (card: FakeElement): string[] => card.querySelectorAll('[data-action]').map((e) => e.getAttribute('data-action') ?? '');

test('a pending request has the card hooks, every approval action and every editable field', () => {
  const card = render(sampleView());
  assert.equal(card.getAttribute('data-request-id'), 'req-1');
  assert.equal(card.getAttribute('data-server'), 'everything');
  assert.equal(card.getAttribute('data-state'), 'pending');
  assert.equal(card.getAttribute('data-step'), 'approval');
  const a = actions(card);
  for (const required of ['approve', 'reject', 'always-allow', 'allow-session', 'edit-system-prompt', 'edit-message-0', 'edit-max-tokens', 'edit-temperature', 'edit-provider', 'edit-model', 'show-diff']) {
    assert.ok(a.includes(required), `missing ${required} in ${a.join(',')}`);
  }
  assert.ok(!a.includes('edit-message-1'), 'a message with images and tool calls is not editable as text');
  assert.ok(!a.includes('approve-response'));
  assert.equal(card.querySelector('[data-role="response"]'), null, 'no answer area before approval');
  assert.equal(card.querySelector('textarea[data-action="edit-message-0"]')?.value, 'Say hello');
  assert.equal(card.querySelector('input[data-action="edit-max-tokens"]')?.value, '100');
  assert.equal(card.querySelector('input[data-action="edit-temperature"]')?.value, '0.5');
  assert.equal(card.querySelector('select[data-action="edit-provider"]')?.children.find((o) => o.selected)?.getAttribute('value'), 'vscode-lm');
  assert.equal(card.querySelector('input[data-action="edit-model"]')?.value, 'gpt-4o');
});

test('a call through the OpenAI-compatible endpoint says so and names its caller', () => {
  const card = render(sampleView({ route: 'openai-endpoint', serverName: 'nightly script' }));
  assert.equal(card.querySelector('h2')?.textContent?.startsWith('OpenAI-compatible call from nightly script'), true, card.querySelector('h2')?.textContent);
  assert.match(card.querySelector('.muted')?.textContent ?? '', /OpenAI-compatible call/);
});

test('every control carries an aria-label', () => {
  const views = [
    sampleView(),
    sampleView({ state: 'review', step: 'review', responseText: 'answer', response: { model: 'm', stopReason: 'endTurn', content: [{ type: 'text', text: 'answer' }] } }),
    sampleView({ state: 'streaming', step: 'manual-reply' }),
  ];
  for (const view of views) {
    const card = render(view);
    for (const control of card.querySelectorAll('[data-action]')) {
      assert.ok(control.getAttribute('aria-label'), `${control.tagName}[data-action=${control.getAttribute('data-action')}] has no aria-label`);
    }
  }
});

test('drafts fill the fields so edits survive a re-render', () => {
  const card = render(sampleView(), { systemPrompt: 'edited prompt', messages: { '0': 'edited message' }, maxTokens: '7', model: 'claude-sonnet' });
  assert.equal(card.querySelector('[data-action="edit-system-prompt"]')?.value, 'edited prompt');
  assert.equal(card.querySelector('[data-action="edit-message-0"]')?.value, 'edited message');
  assert.equal(card.querySelector('[data-action="edit-max-tokens"]')?.value, '7');
  assert.equal(card.querySelector('[data-action="edit-model"]')?.value, 'claude-sonnet');
});

test('streaming shows the answer area with the text so far', () => {
  const card = render(sampleView({ state: 'streaming', step: 'answering', responseText: 'partial ans' }));
  assert.equal(card.getAttribute('data-state'), 'streaming');
  const response = card.querySelector('[data-role="response"]');
  assert.ok(response);
  assert.equal(response.querySelector('[data-role="response-text"]')?.textContent, 'partial ans');
  assert.deepEqual(actions(card), [], 'nothing to click while the model answers');
});

test('review offers an editable answer and the three review actions', () => {
  const card = render(sampleView({ state: 'review', step: 'review', responseText: 'the answer', response: { model: 'gpt-4o', stopReason: 'endTurn', content: [{ type: 'text', text: 'the answer' }], outputTokens: 3 } }));
  assert.equal(card.getAttribute('data-state'), 'review');
  const response = card.querySelector('[data-role="response"]');
  assert.ok(response);
  assert.equal(response.querySelector('textarea[data-action="edit-response"]')?.value, 'the answer');
  assert.deepEqual(actions(response).filter((a) => a !== 'edit-response'), ['approve-response', 'reject-response', 'regenerate']);
});

test('manual reply offers a textarea and Send', () => {
  const card = render(sampleView({ state: 'streaming', step: 'manual-reply' }), { manualReply: 'half typed' });
  const response = card.querySelector('[data-role="response"]');
  assert.ok(response);
  assert.equal(response.querySelector('textarea[data-action="manual-reply"]')?.value, 'half typed');
  assert.ok(response.querySelector('[data-action="send-manual-reply"]'));
});

test('a closed request is read-only and shows its reason', () => {
  const card = render(sampleView({ state: 'closed', step: 'done', closed: { outcome: 'cancelled', reason: 'server disconnected' } }));
  assert.equal(card.getAttribute('data-state'), 'closed');
  assert.equal(card.querySelector('[data-role="closed-reason"]')?.textContent, 'Cancelled: server disconnected');
  assert.deepEqual(actions(card), [], 'no controls on a closed request');
  assert.equal(card.querySelectorAll('textarea').length, 0);
  const stale = renderStaleCard({ requestId: 'old', serverName: 'srv' }) as unknown as FakeElement;
  assert.equal(stale.getAttribute('data-state'), 'closed');
  assert.match(stale.querySelector('[data-role="closed-reason"]')?.textContent ?? '', /reloaded/);
});

test('an answered request shows the final answer in the answer area', () => {
  const card = render(sampleView({ state: 'closed', step: 'done', responseText: 'final **answer**', closed: { outcome: 'answered', reason: 'sent' } }));
  const response = card.querySelector('[data-role="response"]');
  assert.match(response?.querySelector('.markdown')?.innerHTML ?? '', /<strong>answer<\/strong>/);
});

test('server-controlled strings land in text, never in markup or attributes that run', () => {
  const evil = '<img src=x onerror=alert(1)>';
  const card = render(
    sampleView({
      state: 'closed',
      step: 'done',
      serverName: evil,
      serverSource: evil,
      toolCallName: evil,
      systemPrompt: `<script>alert(1)</script>`,
      warnings: [evil],
      choice: { providerId: evil, model: evil, reason: evil },
      closed: { outcome: 'failed', reason: evil },
      messages: [{ role: 'user', content: [{ type: 'text', text: evil }, { type: 'tool_use', id: evil, name: evil, input: evil }, { type: 'image', mimeType: 'image/svg+xml', data: 'PHN2Zz4=' }] }],
    }),
  );
  const all = [card, ...card.descendants()];
  assert.ok(!all.some((e) => e.tagName === 'script' || e.tagName === 'img'), 'no script or image element created from server text');
  for (const e of all) {
    for (const [name] of e.attributes) assert.ok(!name.startsWith('on') && name !== 'style', `attribute ${name} on ${e.tagName}`);
    if (e.html !== undefined) assert.ok(!/<(script|img|iframe)\b/i.test(e.html), `raw markup in innerHTML: ${e.html}`);
  }
  assert.ok(card.textContent.includes(evil), 'the text is still shown, as text');
  assert.match(card.textContent, /Image not shown: image\/svg\+xml/);
});

test('raster images and audio render from data: URIs; warnings are visible', () => {
  const card = render(sampleView());
  const img = card.querySelector('img');
  assert.match(img?.getAttribute('src') ?? '', /^data:image\/png;base64,/);
  assert.ok(img?.getAttribute('alt'));
  assert.equal(card.querySelector('audio')?.getAttribute('src'), 'data:audio/wav;base64,UklGRg==');
  assert.ok(card.querySelector('audio')?.hasAttribute('controls'));
  assert.equal(card.querySelector('[data-role="warnings"]')?.getAttribute('role'), 'alert');
  assert.match(card.querySelector('[data-role="warnings"]')?.textContent ?? '', /hidden characters/);
  assert.match(card.querySelector('[data-role="token-estimate"]')?.textContent ?? '', /42 input tokens of the model's 64,000 limit/);
  assert.match(card.textContent, /Chosen because: default provider/);
});

test('tool calls, tool results and parameters are shown as structured blocks', () => {
  const card = render(sampleView());
  assert.ok(card.querySelector('.tool-use'));
  assert.ok(card.querySelector('.tool-result'));
  assert.ok(card.querySelector('.resource'));
  const params = card.querySelector('.params-list')?.textContent ?? '';
  for (const expected of ['"END"', 'thisServer', 'hints: claude', 'cost 0.2', 'auto', 'lookup', '{"trace":"abc"}']) assert.ok(params.includes(expected), `${expected} in ${params}`);
});

test('the reason field appears only once Reject is chosen, with Reject request and Cancel', () => {
  const closed = render(sampleView());
  assert.equal(closed.querySelector('[data-role="reject-form"]'), null);
  assert.equal(closed.querySelector('[data-action="reject-reason"]'), null);
  assert.equal(closed.querySelector('[data-action="reject"]')?.getAttribute('aria-expanded'), 'false');
  const open = render(sampleView(), { rejectReason: 'typed before' }, { diffOpen: false, rejecting: true });
  const form = open.querySelector('[data-role="reject-form"]');
  assert.equal(form?.querySelector('[data-action="reject-reason"]')?.value, 'typed before');
  assert.deepEqual(actions(form!), ['reject-reason', 'confirm-reject', 'cancel-reject']);
  const reject = open.querySelector('[data-action="reject"]');
  assert.equal(reject?.getAttribute('aria-expanded'), 'true');
  assert.equal(reject?.getAttribute('aria-controls'), form?.getAttribute('id'));
});

test('Show changes is one control: the inline diff and the diff editor button live in the same region', () => {
  const card = render(sampleView());
  const toggle = card.querySelector('[data-action="toggle-diff"]');
  const changes = card.querySelector('[data-role="changes"]');
  assert.equal(toggle?.getAttribute('aria-expanded'), 'false');
  assert.equal(toggle?.getAttribute('aria-controls'), changes?.getAttribute('id'));
  assert.equal(changes?.hidden, true);
  assert.ok(changes?.querySelector('[data-role="diff"]'));
  assert.ok(changes?.querySelector('[data-action="show-diff"]'), 'the diff editor is opened from inside the changes');
  assert.equal(card.querySelectorAll('[data-action="show-diff"]').length, 1);
  const open = render(sampleView(), {}, { diffOpen: true, rejecting: false });
  assert.equal(open.querySelector('[data-role="changes"]')?.hidden, false);
  assert.equal(open.querySelector('[data-action="toggle-diff"]')?.textContent, 'Hide changes');
});
