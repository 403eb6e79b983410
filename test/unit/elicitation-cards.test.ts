// The elicitation cards in the panel's webview (src/webview/app.ts on the small fake DOM): host
// messages in, the e2e hooks and the protocol messages out. Every message sent is re-validated with
// the host's parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeElement, fakeWindow, installFakeDom, resetFakeDom } from './render-fake-dom';
import { parseWebviewMessage, type ElicitationView, type HostToWebview, type WebviewToHost } from '../../src/shared/protocol';

installFakeDom();
const app = require('../../src/webview/app') as {
  startApprovalPanel(root: unknown, api: { postMessage(m: unknown): void; getState(): unknown; setState(s: unknown): void }): void;
};

function start() {
  resetFakeDom();
  const root = new FakeElement('main');
  const sent: WebviewToHost[] = [];
  let state: unknown;
  app.startApprovalPanel(root, {
    postMessage: (m) => {
      const parsed = parseWebviewMessage(JSON.parse(JSON.stringify(m)));
      assert.ok(parsed, `the webview sent an invalid message ${JSON.stringify(m)}`);
      sent.push(parsed);
    },
    getState: () => state,
    setState: (s) => {
      state = s;
    },
  });
  const host = (m: HostToWebview): void => fakeWindow.receive(JSON.parse(JSON.stringify(m)));
  const card = (id = 'elicit-1') => root.querySelector(`[data-elicitation-id="${id}"]`);
  const field = (name: string, id = 'elicit-1') => {
    const el = card(id)?.querySelector(`[data-field="${name}"]`);
    assert.ok(el, `no field ${name}`);
    return el;
  };
  const action = (name: string, id = 'elicit-1') => {
    const el = card(id)?.querySelector(`[data-action="${name}"]`);
    assert.ok(el, `no action ${name}`);
    return el;
  };
  const answers = () => sent.filter((m) => m.type === 'elicitation-answer');
  return { root, sent, host, card, field, action, answers };
}

const formView: ElicitationView = {
  id: 'elicit-1',
  serverName: 'everything',
  message: 'Please provide inputs <b>now</b>',
  mode: 'form',
  requestedSchema: {
    type: 'object',
    properties: {
      name: { type: 'string', title: 'Your name', description: 'Full name', minLength: 2 },
      email: { type: 'string', format: 'email' },
      count: { type: 'integer', minimum: 1, maximum: 100, default: 42 },
      ratio: { type: 'number', default: 3.14 },
      agree: { type: 'boolean', default: false },
      friend: { type: 'string', enum: ['Monica', 'Joey'], default: 'Monica' },
      hero: { type: 'string', oneOf: [{ const: 'hero-1', title: 'Superman' }, { const: 'hero-2', title: 'Wonder Woman' }] },
      fish: { type: 'array', items: { anyOf: [{ const: 'fish-1', title: 'Tuna' }, { const: 'fish-2', title: 'Trout' }] }, minItems: 1, default: ['fish-1'] },
    },
    required: ['name'],
  },
  defaults: { count: 42, ratio: 3.14, agree: false, friend: 'Monica', fish: ['fish-1'] },
};
const urlView: ElicitationView = { id: 'elicit-2', serverName: 'auth-server', message: 'Sign in to continue', mode: 'url', url: 'https://login.example.com/start?x=1', host: 'login.example.com' };

test('a form card names the server, renders one native control per property type, prefilled with the defaults', () => {
  const p = start();
  p.host({ type: 'elicitation-show', elicitation: formView });
  const card = p.card();
  assert.ok(card);
  assert.equal(card.getAttribute('data-server'), 'everything');
  assert.equal(card.getAttribute('data-mode'), 'form');
  assert.match(card.textContent, /everything asks for information/);
  // Server text is inert text, never markup.
  assert.equal(card.querySelector('[data-role="elicit-message"]')?.textContent, 'Please provide inputs <b>now</b>');
  assert.equal(p.field('name').tagName.toLowerCase(), 'input');
  assert.equal(p.field('name').getAttribute('type'), 'text');
  assert.equal(p.field('email').getAttribute('type'), 'email');
  assert.equal(p.field('count').getAttribute('type'), 'number');
  assert.equal(p.field('count').getAttribute('step'), '1');
  assert.equal(p.field('count').getAttribute('min'), '1');
  assert.equal(p.field('count').value, '42');
  assert.equal(p.field('ratio').getAttribute('step'), 'any');
  assert.equal(p.field('agree').getAttribute('type'), 'checkbox');
  assert.equal(p.field('friend').tagName.toLowerCase(), 'select');
  assert.equal(p.field('friend').value, 'Monica');
  assert.deepEqual(p.field('hero').querySelectorAll('option').map((o) => o.textContent), ['—', 'Superman', 'Wonder Woman']);
  assert.equal(p.field('fish').hasAttribute('multiple'), true);
  assert.deepEqual(p.field('fish').querySelectorAll('option').filter((o) => o.selected).map((o) => o.getAttribute('value')), ['fish-1']);
  assert.match(card.textContent, /Your name \*/);
  for (const a of ['elicit-accept', 'elicit-decline', 'elicit-cancel']) p.action(a);
  assert.equal(card.querySelector('[data-action="elicit-open-url"]'), null);
  assert.equal(p.root.querySelector('[data-role="summary"]')?.textContent, '1 request waits for you.');
  assert.equal(p.root.querySelector('[data-role="empty"]')?.hidden, true);
});

test('submit sends the typed, converted values; invalid values show inline errors and send nothing', () => {
  const p = start();
  p.host({ type: 'elicitation-show', elicitation: formView });
  p.action('elicit-accept').click();
  assert.deepEqual(p.answers(), []);
  assert.match(p.card()?.querySelector('[data-role="elicit-errors"]')?.textContent ?? '', /name: is required/);
  assert.equal(p.action('elicit-accept').hasAttribute('disabled'), true);

  const name = p.field('name');
  name.value = 'A';
  name.dispatch('input');
  assert.match(p.card()?.querySelector('[data-role="elicit-errors"]')?.textContent ?? '', /name: must be at least 2 characters/);
  const count = p.field('count');
  count.value = '7.5';
  count.dispatch('input');
  assert.match(p.card()?.querySelector('[data-role="elicit-errors"]')?.textContent ?? '', /count: must be an integer/);

  name.value = 'Ada Lovelace';
  name.dispatch('input');
  count.value = '7';
  count.dispatch('input');
  (p.field('agree') as unknown as { checked: boolean }).checked = true;
  p.field('agree').dispatch('change');
  p.field('hero').value = 'hero-2';
  p.field('hero').dispatch('change');
  for (const o of p.field('fish').querySelectorAll('option')) o.selected = true;
  p.field('fish').dispatch('change');
  assert.equal(p.card()?.querySelector('[data-role="elicit-errors"]')?.textContent, '');
  assert.equal(p.action('elicit-accept').hasAttribute('disabled'), false);
  p.action('elicit-accept').click();
  assert.deepEqual(p.answers(), [
    {
      type: 'elicitation-answer',
      elicitationId: 'elicit-1',
      action: 'accept',
      content: { name: 'Ada Lovelace', count: 7, ratio: 3.14, agree: true, friend: 'Monica', hero: 'hero-2', fish: ['fish-1', 'fish-2'] },
    },
  ]);
});

test('decline and cancel send no content; a closed card turns read-only with the reason', () => {
  const p = start();
  p.host({ type: 'elicitation-show', elicitation: formView });
  p.action('elicit-decline').click();
  p.action('elicit-cancel').click();
  assert.deepEqual(p.answers(), [
    { type: 'elicitation-answer', elicitationId: 'elicit-1', action: 'decline' },
    { type: 'elicitation-answer', elicitationId: 'elicit-1', action: 'cancel' },
  ]);
  const name = p.field('name');
  name.value = 'typed before';
  name.dispatch('input');
  p.host({ type: 'elicitation-closed', elicitationId: 'elicit-1', reason: 'The server cancelled the request: timeout' });
  const card = p.card();
  assert.equal(card?.getAttribute('data-state'), 'closed');
  assert.equal(card?.querySelector('[data-role="elicit-closed"]')?.textContent, 'The server cancelled the request: timeout');
  assert.equal(card?.querySelector('[data-action="elicit-accept"]'), null);
  assert.equal(p.field('name').hasAttribute('disabled'), true);
  assert.equal(p.field('name').value, 'typed before');
  assert.equal(p.root.querySelector('[data-role="summary"]')?.textContent, 'Nothing waits for you.');
});

test('a URL card shows the host prominently and the full URL, and only consents (no content)', () => {
  const p = start();
  p.host({ type: 'elicitation-show', elicitation: urlView });
  const card = p.card('elicit-2');
  assert.equal(card?.getAttribute('data-mode'), 'url');
  assert.equal(card?.querySelector('strong[data-role="elicit-host"]')?.textContent, 'login.example.com');
  assert.equal(card?.querySelector('[data-role="elicit-url"]')?.textContent, 'https://login.example.com/start?x=1');
  assert.equal(card?.querySelector('[data-action="elicit-accept"]'), null);
  assert.match(p.action('elicit-open-url', 'elicit-2').textContent, /Open login\.example\.com/);
  p.action('elicit-open-url', 'elicit-2').click();
  assert.deepEqual(p.answers(), [{ type: 'elicitation-answer', elicitationId: 'elicit-2', action: 'accept' }]);
});

test('state restores open cards and keeps what the user typed in cards already shown', () => {
  const p = start();
  p.host({ type: 'elicitation-show', elicitation: formView });
  p.field('name').value = 'kept';
  p.host({ type: 'state', requests: [], restored: false, elicitations: [formView, urlView] });
  assert.equal(p.field('name').value, 'kept');
  assert.equal(p.root.querySelectorAll('[data-elicitation-id]').length, 2);
  p.host({ type: 'state', requests: [], restored: false, elicitations: [urlView] });
  assert.equal(p.card('elicit-1'), null);
  assert.equal(p.root.querySelectorAll('[data-elicitation-id]').length, 1);
});

test('clicks on a closed card send nothing; malformed host messages are ignored', () => {
  const p = start();
  p.host({ type: 'elicitation-show', elicitation: urlView });
  const stale = p.action('elicit-open-url', 'elicit-2');
  p.host({ type: 'elicitation-closed', elicitationId: 'elicit-2', reason: 'Declined.' });
  stale.click();
  assert.deepEqual(p.answers(), []);
  assert.equal(p.card('elicit-2')?.querySelector('[data-action="elicit-open-url"]'), null);
  assert.equal(p.card('elicit-2')?.querySelector('[data-role="elicit-closed"]')?.textContent, 'Declined.');
  fakeWindow.receive({ type: 'elicitation-show', elicitation: { ...urlView, id: 'elicit-9', host: 'evil.example' } });
  // Not shown as a card with the claimed host, but as "could not be displayed", which can only decline.
  const bad = p.card('elicit-9');
  assert.ok(bad?.hasAttribute('data-unreadable'));
  assert.equal(bad?.querySelector('[data-action="elicit-open-url"]'), null);
  assert.ok(!(bad?.textContent ?? '').includes('evil.example'));
  bad?.querySelector('[data-action="elicit-decline"]')?.click();
  assert.deepEqual(p.answers().at(-1), { type: 'elicitation-answer', elicitationId: 'elicit-9', action: 'decline' });
});
