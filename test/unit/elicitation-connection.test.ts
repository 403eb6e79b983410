// The chain the panel's e2e test relies on, minus the browser: a real ServerConnection to
// server-everything over stdio, elicitation answered by the panel's ElicitationQueue through
// createElicitationHandler, the "webview" answering with the card's defaults plus typed values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServerConnection } from '../../src/core/mcp/connection';
import { createElicitationHandler } from '../../src/core/mcp/protocolExtensions';
import { parseServerDefinition } from '../../src/core/config/serverDefinition';
import { silentLogger } from '../../src/core/logger';
import { ElicitationQueue } from '../../src/vscode/panel/elicitationQueue';
import { parseHostMessage, type ElicitationView, type HostToWebview } from '../../src/shared/protocol';
import { everythingServerPath } from '../fixtures/fixtureServers';

function everything(queue: ElicitationQueue): ServerConnection {
  const parsed = parseServerDefinition('everything', { command: process.execPath, args: [everythingServerPath(), 'stdio'], env: {} }, 'test');
  if (!parsed.ok) throw new Error(parsed.error);
  return new ServerConnection({
    definition: parsed.definition,
    logger: silentLogger,
    samplingHandler: async () => ({ role: 'assistant', content: { type: 'text', text: 'unused' }, model: 'm' }),
    elicitationHandler: createElicitationHandler(queue),
    elicitationModes: { form: true, url: true },
    killGraceMs: 1000,
  });
}

function panel(answer: (view: ElicitationView, queue: ElicitationQueue) => void) {
  const opened: string[] = [];
  const posted: HostToWebview[] = [];
  const queue: ElicitationQueue = new ElicitationQueue(silentLogger, {
    post: (m) => {
      assert.ok(parseHostMessage(JSON.parse(JSON.stringify(m))), 'the webview would drop this message');
      posted.push(m);
      if (m.type === 'elicitation-show') setImmediate(() => answer(m.elicitation, queue));
    },
    attention: () => undefined,
    openExternal: async (url) => (opened.push(url), true),
  });
  return { queue, opened, posted };
}

const textOf = (r: { content: unknown }) => (r.content as { text?: string }[]).map((c) => c.text ?? '').join('\n');

test('server-everything trigger-elicitation-request: the card\'s defaults plus typed values reach the tool', { timeout: 60_000 }, async () => {
  const p = panel((view, queue) => {
    assert.equal(view.mode, 'form');
    if (view.mode !== 'form') return;
    assert.equal(view.serverName, 'everything');
    assert.equal(view.defaults.integer, 42);
    void queue.handleAnswer({ type: 'elicitation-answer', elicitationId: view.id, action: 'accept', content: { ...view.defaults, name: 'Ada Lovelace', check: true, integer: 7 } });
  });
  const conn = everything(p.queue);
  try {
    assert.equal((await conn.connect()).status, 'connected');
    assert.ok(conn.tools.some((t) => t.name === 'trigger-elicitation-request'), 'registered only for clients declaring elicitation');
    const text = textOf(await conn.callTool('trigger-elicitation-request', {}));
    assert.match(text, /User provided the requested information/);
    assert.match(text, /- Name: Ada Lovelace/);
    assert.match(text, /- Agreed to terms: true/);
    assert.match(text, /- Favorite Integer: 7/);
    assert.match(text, /"legacyTitledEnum": "pet-1"/);
    assert.deepEqual(p.posted.at(-1), { type: 'elicitation-closed', elicitationId: 'elicit-1', reason: 'Answered.' });
  } finally {
    await conn.close();
  }
});

test('server-everything trigger-url-elicitation: the host is the URL\'s, consent opens it, only the action is sent', { timeout: 60_000 }, async () => {
  const p = panel((view, queue) => {
    assert.equal(view.mode === 'url' ? view.host : undefined, 'example.com');
    void queue.handleAnswer({ type: 'elicitation-answer', elicitationId: view.id, action: 'accept' });
  });
  const conn = everything(p.queue);
  try {
    await conn.connect();
    const text = textOf(await conn.callTool('trigger-url-elicitation', { url: 'https://example.com/consent?step=1', message: 'Please sign in' }));
    assert.match(text, /User completed the URL elicitation flow/);
    assert.deepEqual(p.opened, ['https://example.com/consent?step=1']);
  } finally {
    await conn.close();
  }
});
