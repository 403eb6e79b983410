// The elicitation messages of the host<->webview protocol: valid ones pass unchanged (through JSON, as
// postMessage carries them), malformed or oversized ones are dropped on both sides, and the old
// core export of the pure validators still works after their move to src/shared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHostMessage, parseWebviewMessage, sanitizeRequestedSchema, type ElicitationView, type HostToWebview, type WebviewToHost } from '../../src/shared/protocol';
import * as shared from '../../src/shared/elicitation';
import * as core from '../../src/core/rounds/elicitation';

const roundTrip = <T>(m: T): unknown => JSON.parse(JSON.stringify(m));

const formView: ElicitationView = {
  id: 'elicit-1',
  serverName: 'everything',
  message: 'Who are you?',
  mode: 'form',
  requestedSchema: {
    type: 'object',
    properties: {
      name: { type: 'string', title: 'Name', minLength: 1 },
      age: { type: 'integer', minimum: 0 },
      color: { type: 'string', enum: ['red', 'green'] },
      ok: { type: 'boolean' },
      tags: { type: 'array', items: { enum: ['a', 'b'] }, maxItems: 2 },
    },
    required: ['name'],
  },
  defaults: { age: 30 },
};
const urlView: ElicitationView = { id: 'elicit-2', serverName: 'srv', message: 'Sign in', mode: 'url', url: 'https://login.example.com/x?y=1', host: 'login.example.com' };

test('elicitation-show, elicitation-closed and state with elicitations pass unchanged', () => {
  const messages: HostToWebview[] = [
    { type: 'elicitation-show', elicitation: formView },
    { type: 'elicitation-show', elicitation: urlView },
    { type: 'elicitation-show', elicitation: { ...urlView, closedReason: 'Declined.' } },
    { type: 'elicitation-closed', elicitationId: 'elicit-1', reason: 'The server cancelled the request.' },
    { type: 'state', requests: [], restored: false, elicitations: [formView, urlView] },
    { type: 'state', requests: [], restored: true },
  ];
  for (const m of messages) assert.deepEqual(parseHostMessage(roundTrip(m)), m);
});

test('elicitation-answer passes unchanged for each action', () => {
  const messages: WebviewToHost[] = [
    { type: 'elicitation-answer', elicitationId: 'elicit-1', action: 'accept', content: { name: 'Ada', age: 3, ok: true, tags: ['a'] } },
    { type: 'elicitation-answer', elicitationId: 'elicit-2', action: 'accept' },
    { type: 'elicitation-answer', elicitationId: 'elicit-1', action: 'decline' },
    { type: 'elicitation-answer', elicitationId: 'elicit-1', action: 'cancel' },
  ];
  for (const m of messages) assert.deepEqual(parseWebviewMessage(roundTrip(m)), m);
});

test('malformed elicitation answers are dropped', () => {
  const bad: unknown[] = [
    { type: 'elicitation-answer', elicitationId: 'e', action: 'maybe' },
    { type: 'elicitation-answer', elicitationId: '', action: 'cancel' },
    { type: 'elicitation-answer', action: 'cancel' },
    // Content only travels with accept.
    { type: 'elicitation-answer', elicitationId: 'e', action: 'decline', content: { name: 'x' } },
    { type: 'elicitation-answer', elicitationId: 'e', action: 'accept', content: { nested: { a: 1 } } },
    { type: 'elicitation-answer', elicitationId: 'e', action: 'accept', content: { list: [1, 2] } },
    { type: 'elicitation-answer', elicitationId: 'e', action: 'accept', content: 'text' },
    { type: 'elicitation-answer', elicitationId: 'e', action: 'accept', content: { big: 'x'.repeat(100_001) } },
    { type: 'elicitation-answer', elicitationId: 'e', action: 'accept', content: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`f${i}`, i])) },
  ];
  for (const m of bad) assert.equal(parseWebviewMessage(m), undefined, JSON.stringify(m).slice(0, 120));
});

test('malformed elicitation cards are dropped, including a host that is not the URL\'s own', () => {
  const bad: unknown[] = [
    { type: 'elicitation-show', elicitation: { ...urlView, host: 'trusted.example.org' } },
    { type: 'elicitation-show', elicitation: { ...urlView, url: 'javascript:alert(1)', host: '' } },
    { type: 'elicitation-show', elicitation: { ...urlView, url: 'file:///etc/passwd', host: '' } },
    { type: 'elicitation-show', elicitation: { ...formView, requestedSchema: { type: 'object', properties: { x: { type: 'object' } } } } },
    { type: 'elicitation-show', elicitation: { ...formView, requestedSchema: { type: 'object', properties: {}, required: ['missing'] } } },
    { type: 'elicitation-show', elicitation: { ...formView, mode: 'other' } },
    { type: 'elicitation-show', elicitation: { ...formView, id: '' } },
    { type: 'elicitation-show', elicitation: { ...formView, defaults: { name: { no: 1 } } } },
    { type: 'elicitation-closed', elicitationId: 'e' },
    { type: 'state', requests: [], restored: false, elicitations: [{ ...formView, serverName: 3 }] },
  ];
  for (const m of bad) {
    const parsed = parseHostMessage(m);
    const what = JSON.stringify(m).slice(0, 120);
    const type = (m as { type: string }).type;
    if (type === 'elicitation-show') {
      // Never shown as a card with the bad content; shown as "could not be displayed" instead.
      assert.equal(parsed?.type, 'elicitation-unreadable', what);
      if (parsed?.type === 'elicitation-unreadable') assert.ok(Object.keys(parsed.view).every((k) => ['id', 'serverName', 'problem'].includes(k)), what);
    } else if (type === 'state') {
      assert.equal(parsed?.type, 'state', what);
      if (parsed?.type === 'state') {
        assert.deepEqual(parsed.elicitations, []);
        assert.equal(parsed.unreadableElicitations?.length, 1, what);
      }
    } else assert.equal(parsed, undefined, what);
  }
});

test('the card\'s schema keeps only the keys the card uses, clipped; enumNames titles survive', () => {
  const raw = {
    ...formView,
    requestedSchema: {
      type: 'object',
      properties: {
        pet: { type: 'string', enum: ['p1', 'p2'], enumNames: ['Cats', 'Dogs'], default: 'p1', 'x-vendor': { huge: 'y'.repeat(1000) } },
        bio: { type: 'string', description: 'd'.repeat(20_000), title: 'Bio' },
      },
    },
    defaults: { pet: 'p1' },
  };
  const parsed = parseHostMessage({ type: 'elicitation-show', elicitation: raw });
  assert.ok(parsed && parsed.type === 'elicitation-show' && parsed.elicitation.mode === 'form');
  assert.deepEqual(parsed.elicitation.requestedSchema.properties.pet, { type: 'string', enum: ['p1', 'p2'], enumNames: ['Cats', 'Dogs'] });
  assert.equal(parsed.elicitation.requestedSchema.properties.bio?.description?.length, 8192);
  assert.deepEqual(parsed.elicitation.defaults, { pet: 'p1' });
  assert.deepEqual(shared.validateElicitationContent(sanitizeRequestedSchema(raw.requestedSchema as never), { pet: 'p3' }), ['pet: must be one of "p1", "p2"']);
});

test('validators moved to src/shared keep working through the core module', () => {
  assert.equal(core.validateElicitationContent, shared.validateElicitationContent);
  assert.equal(core.ElicitationError, shared.ElicitationError);
  assert.deepEqual(shared.validateElicitationContent(formView.mode === 'form' ? formView.requestedSchema : (undefined as never), { age: 1.5, extra: 1 }), [
    'name: is required',
    'age: must be an integer',
    'extra: is not in the requested schema',
  ]);
  assert.throws(() => core.parseElicitationRequest({ message: 'x', mode: 'url', url: 'ftp://x' }), core.ElicitationError);
});
