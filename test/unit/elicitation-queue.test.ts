// The panel's ElicitationQueue (the host side of the elicitation cards) answering a real SDK server
// through createElicitationHandler and protocolExtensions: what the webview is sent, what the server
// receives, consent before opening a URL, server cancellation, the open bound and the panel closing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { createElicitationHandler, createProtocolExtensions } from '../../src/core/mcp/protocolExtensions';
import { silentLogger } from '../../src/core/logger';
import { ElicitationQueue } from '../../src/vscode/panel/elicitationQueue';
import { parseHostMessage, type ElicitationView, type HostToWebview } from '../../src/shared/protocol';

async function setup(opened = true, maxOpen?: number) {
  const posted: HostToWebview[] = [];
  const openedUrls: string[] = [];
  let attention = 0;
  const queue = new ElicitationQueue(
    silentLogger,
    {
      post: (m) => {
        // Everything the host posts must pass the webview's parser.
        assert.deepEqual(parseHostMessage(JSON.parse(JSON.stringify(m))), m);
        posted.push(m);
      },
      attention: () => void attention++,
      openExternal: async (url) => {
        openedUrls.push(url);
        return opened;
      },
    },
    maxOpen ? { maxOpen } : {},
  );
  const extensions = await createProtocolExtensions({ serverName: 'srv', elicitation: { handler: createElicitationHandler(queue), modes: { form: true, url: true } } });
  const client = new Client({ name: 'q', version: '1' }, { capabilities: { ...extensions.capabilities() } });
  extensions.install(client);
  const server = new Server({ name: 's', version: '1' }, { capabilities: {} });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await Promise.all([client.connect(a), server.connect(b)]);
  // The SDK v1 ignores notifications/cancelled for request id 0: spend it on a ping.
  await server.ping();
  const shown = async (count = 1): Promise<ElicitationView[]> => {
    for (let i = 0; i < 400; i++) {
      const views = posted.filter((m) => m.type === 'elicitation-show').map((m) => (m as { elicitation: ElicitationView }).elicitation);
      if (views.length >= count) return views;
      await new Promise((r) => setTimeout(r, 5));
    }
    assert.fail('no elicitation card was shown');
  };
  return { queue, server, posted, openedUrls, shown, attention: () => attention, close: () => Promise.all([client.close(), server.close()]) };
}

const schema = { type: 'object' as const, properties: { name: { type: 'string' as const, minLength: 2 }, size: { type: 'integer' as const, default: 3 } }, required: ['name'] };

test('a form elicitation becomes a card with defaults; the accepted answer reaches the server', async () => {
  const s = await setup();
  try {
    const pending = s.server.elicitInput({ message: 'Your name?', requestedSchema: schema });
    const [view] = await s.shown();
    assert.ok(view && view.mode === 'form');
    assert.equal(view.serverName, 'srv');
    assert.deepEqual(view.defaults, { size: 3 });
    assert.equal(s.attention(), 1);
    // An invalid answer (the webview validates first) keeps the card open.
    await s.queue.handleAnswer({ type: 'elicitation-answer', elicitationId: view.id, action: 'accept', content: { name: 'A' } });
    assert.match(JSON.stringify(s.posted.at(-1)), /name: must be at least 2 characters/);
    assert.equal(s.queue.openCount, 1);
    await s.queue.handleAnswer({ type: 'elicitation-answer', elicitationId: view.id, action: 'accept', content: { name: 'Ada', size: 4 } });
    assert.deepEqual(await pending, { action: 'accept', content: { name: 'Ada', size: 4 } });
    assert.deepEqual(s.posted.at(-1), { type: 'elicitation-closed', elicitationId: view.id, reason: 'Answered.' });
    assert.equal(s.queue.openCount, 0);
  } finally {
    await s.close();
  }
});

test('decline answers without content', async () => {
  const s = await setup();
  try {
    const pending = s.server.elicitInput({ message: 'Your name?', requestedSchema: schema });
    const [view] = await s.shown();
    await s.queue.handleAnswer({ type: 'elicitation-answer', elicitationId: view!.id, action: 'decline' });
    assert.deepEqual(await pending, { action: 'decline' });
  } finally {
    await s.close();
  }
});

test('URL mode: the URL opens only on consent, and the server learns only the action', async () => {
  const s = await setup();
  try {
    const pending = s.server.elicitInput({ mode: 'url', message: 'Sign in', url: 'https://login.example.com/a?b=1', elicitationId: 'x1' });
    const [view] = await s.shown();
    assert.ok(view && view.mode === 'url');
    assert.equal(view.host, 'login.example.com');
    assert.deepEqual(s.openedUrls, []);
    await s.queue.handleAnswer({ type: 'elicitation-answer', elicitationId: view.id, action: 'accept' });
    assert.deepEqual(s.openedUrls, ['https://login.example.com/a?b=1']);
    assert.deepEqual(await pending, { action: 'accept' });
    assert.match(JSON.stringify(s.posted.at(-1)), /Opened login\.example\.com/);
  } finally {
    await s.close();
  }
});

test('URL mode: a browser that cannot open ends as cancel', async () => {
  const s = await setup(false);
  try {
    const pending = s.server.elicitInput({ mode: 'url', message: 'Sign in', url: 'https://login.example.com/', elicitationId: 'x2' });
    const [view] = await s.shown();
    await s.queue.handleAnswer({ type: 'elicitation-answer', elicitationId: view!.id, action: 'accept' });
    assert.deepEqual(await pending, { action: 'cancel' });
  } finally {
    await s.close();
  }
});

test('the server cancelling closes the card with the reason; a late answer is refused', async () => {
  const s = await setup();
  try {
    const controller = new AbortController();
    const pending = s.server.elicitInput({ message: 'Your name?', requestedSchema: schema }, { signal: controller.signal });
    const [view] = await s.shown();
    controller.abort('took too long');
    await assert.rejects(pending);
    for (let i = 0; i < 400 && s.queue.openCount > 0; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(s.queue.openCount, 0);
    const closed = s.posted.find((m) => m.type === 'elicitation-closed');
    assert.ok(closed && closed.type === 'elicitation-closed');
    assert.equal(closed.elicitationId, view!.id);
    assert.match(closed.reason, /cancel/i);
    await s.queue.handleAnswer({ type: 'elicitation-answer', elicitationId: view!.id, action: 'accept', content: { name: 'late' } });
    assert.deepEqual(s.posted.at(-1), { type: 'error', message: 'This elicitation is no longer open.' });
  } finally {
    await s.close();
  }
});

test('open elicitations are bounded, and closing the panel cancels the open ones', async () => {
  const s = await setup(true, 1);
  try {
    const first = s.server.elicitInput({ message: 'One?', requestedSchema: schema });
    await s.shown();
    assert.deepEqual(await s.server.elicitInput({ message: 'Two?', requestedSchema: schema }), { action: 'cancel' });
    assert.deepEqual(s.queue.views().map((v) => v.message), ['One?']);
    s.queue.cancelAll('The panel was closed.');
    assert.deepEqual(await first, { action: 'cancel' });
    assert.match(JSON.stringify(s.posted.at(-1)), /The panel was closed/);
  } finally {
    await s.close();
  }
});

test('elicitations are capped per server: one server past its cap is cancelled at once, another server still gets a card', async () => {
  const posted: HostToWebview[] = [];
  const queue = new ElicitationQueue(silentLogger, { post: (m) => void posted.push(m), attention: () => {}, openExternal: async () => false }, { maxOpen: 20, maxOpenPerServer: () => 2 });
  const form = { mode: 'form' as const, message: 'name?', requestedSchema: { type: 'object' as const, properties: { name: { type: 'string' as const } } } };
  const signal = new AbortController().signal;
  const open = [queue.elicitForm(form, 'noisy', signal), queue.elicitForm(form, 'noisy', signal)];
  assert.deepEqual(await queue.elicitForm(form, 'noisy', signal), { action: 'cancel' }, 'the third from one server is cancelled');
  void queue.elicitForm(form, 'calm', signal);
  assert.equal(queue.openCount, 3, 'two of the noisy server and one of the calm one are open');
  assert.deepEqual(queue.views().map((v) => v.serverName), ['noisy', 'noisy', 'calm']);
  queue.dispose();
  await Promise.allSettled(open);
});
