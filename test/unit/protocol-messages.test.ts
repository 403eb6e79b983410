import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LIMITS, parseHostMessage, parseWebviewMessage, type HostToWebview, type WebviewToHost } from '../../src/shared/protocol';
import { sampleView } from './protocol-fixtures';

const validWebview: WebviewToHost[] = [
  { type: 'ready' },
  { type: 'approve', requestId: 'r1' },
  {
    type: 'approve',
    requestId: 'r1',
    remember: 'session',
    edits: { systemPrompt: 'sys', messages: [{ index: 0, text: 'hi' }], maxTokens: 10, temperature: 0.7, providerId: 'p', model: 'm' },
  },
  { type: 'approve', requestId: 'r1', edits: { temperature: null } },
  { type: 'reject', requestId: 'r1' },
  { type: 'reject', requestId: 'r1', reason: 'no' },
  { type: 'approve', requestId: 'r1', remember: 'always' },
  { type: 'approve', requestId: 'r1', edits: { maxTokens: 5 }, remember: 'session' },
  { type: 'approve-response', requestId: 'r1' },
  { type: 'approve-response', requestId: 'r1', text: 'edited answer' },
  { type: 'reject-response', requestId: 'r1', reason: 'wrong' },
  { type: 'regenerate', requestId: 'r1' },
  { type: 'manual-reply', requestId: 'r1', text: '' },
  { type: 'show-diff', requestId: 'r1', edits: {} },
];

const validHost: HostToWebview[] = [
  { type: 'state', requests: [], restored: false },
  { type: 'state', requests: [sampleView(), sampleView({ requestId: 'req-2', state: 'closed', step: 'done', closed: { outcome: 'cancelled', reason: 'server cancelled' } })], restored: true },
  { type: 'request-added', request: sampleView() },
  {
    type: 'request-updated',
    request: sampleView({
      state: 'review',
      step: 'review',
      responseText: 'hi',
      response: { model: 'gpt-4o', stopReason: 'endTurn', content: [{ type: 'text', text: 'hi' }], inputTokens: 3, outputTokens: 1 },
      error: 'slow',
    }),
  },
  { type: 'delta', requestId: 'r1', text: 'tok' },
  { type: 'response', requestId: 'r1', response: { model: 'm', stopReason: 'toolUse', content: [{ type: 'tool_use', id: 'a', name: 'b', input: '{}' }] } },
  { type: 'closed', requestId: 'r1', outcome: 'answered', reason: 'sent' },
  { type: 'error', message: 'boom' },
  { type: 'error', requestId: 'r1', message: 'boom' },
];

test('every valid webview message parses to an equal value (after a JSON round trip)', () => {
  for (const message of validWebview) {
    assert.deepEqual(parseWebviewMessage(JSON.parse(JSON.stringify(message))), message, message.type);
  }
});

test('every valid host message parses to an equal value (after a JSON round trip)', () => {
  for (const message of validHost) {
    assert.deepEqual(parseHostMessage(JSON.parse(JSON.stringify(message))), message, message.type);
  }
});

test('unknown kinds, non-objects and missing fields are rejected', () => {
  for (const bad of [null, undefined, 42, 'ready', [], { type: 'nope' }, { type: 'approve' }, { type: 'manual-reply', requestId: 'r' }, { requestId: 'r' }]) {
    assert.equal(parseWebviewMessage(bad), undefined, JSON.stringify(bad));
    assert.equal(parseHostMessage(bad), undefined, JSON.stringify(bad));
  }
  assert.equal(parseHostMessage({ type: 'ready' }), undefined, 'a webview message is not a host message');
  assert.equal(parseWebviewMessage({ type: 'state', requests: [], restored: false }), undefined, 'a host message is not a webview message');
  // "Remember this approval" has one encoding, `approve` with `remember`: the old message kinds are gone.
  assert.equal(parseWebviewMessage({ type: 'always-allow', requestId: 'r' }), undefined);
  assert.equal(parseWebviewMessage({ type: 'allow-session', requestId: 'r' }), undefined);
});

test('wrong field types are rejected on both sides', () => {
  const badWebview: unknown[] = [
    { type: 'approve', requestId: 7 },
    { type: 'approve', requestId: '' },
    { type: 'approve', requestId: 'r', remember: 'forever' },
    { type: 'approve', requestId: 'r', edits: 'all' },
    { type: 'approve', requestId: 'r', edits: { maxTokens: 1.5 } },
    { type: 'approve', requestId: 'r', edits: { maxTokens: 0 } },
    { type: 'approve', requestId: 'r', edits: { maxTokens: '10' } },
    { type: 'approve', requestId: 'r', edits: { temperature: Number.NaN } },
    { type: 'approve', requestId: 'r', edits: { temperature: -1 } },
    { type: 'approve', requestId: 'r', edits: { messages: [{ index: -1, text: 'x' }] } },
    { type: 'approve', requestId: 'r', edits: { messages: [{ index: 0, text: 5 }] } },
    { type: 'approve', requestId: 'r', edits: { providerId: '' } },
    { type: 'reject', requestId: 'r', reason: { text: 'no' } },
    { type: 'approve-response', requestId: 'r', text: null },
    { type: 'manual-reply', requestId: 'r', text: ['a'] },
    { type: 'show-diff', requestId: 'r' },
  ];
  for (const bad of badWebview) assert.equal(parseWebviewMessage(bad), undefined, JSON.stringify(bad));

  const view = sampleView() as unknown as Record<string, unknown>;
  const badHost: unknown[] = [
    { type: 'state', requests: [], restored: 'yes' },
    { type: 'state', requests: {}, restored: false },
    { type: 'request-added', request: { ...view, state: 'weird' } },
    { type: 'request-added', request: { ...view, maxTokens: 0 } },
    { type: 'request-added', request: { ...view, messages: [{ role: 'system', content: [] }] } },
    { type: 'request-added', request: { ...view, messages: [{ role: 'user', content: [{ type: 'html', html: '<b>' }] }] } },
    { type: 'request-added', request: { ...view, messages: [{ role: 'user', content: [{ type: 'image', mimeType: 'image/png" onerror="x', data: '' }] }] } },
    {
      type: 'request-added',
      request: {
        ...view,
        messages: [{ role: 'user', content: [{ type: 'tool_result', toolUseId: 'a', isError: false, content: [{ type: 'tool_result', toolUseId: 'b', isError: false, content: [] }] }] }],
      },
    },
    { type: 'request-added', request: { ...view, modelPreferences: { hints: [], costPriority: 2 } } },
    { type: 'request-added', request: { ...view, closed: { outcome: 'exploded', reason: '' } } },
    { type: 'request-added', request: { ...view, providers: [{ id: 'p', label: 'P', models: [{ id: '' }] }] } },
    { type: 'delta', requestId: 'r', text: 3 },
    { type: 'closed', requestId: 'r', outcome: 'done', reason: 'x' },
    { type: 'error', message: 1 },
  ];
  for (const bad of badHost) {
    const parsed = parseHostMessage(bad);
    const what = JSON.stringify(bad).slice(0, 200);
    if ((bad as { type: string }).type === 'request-added') {
      // One bad view is not dropped: the panel gets what it needs to show "could not be displayed" and no more.
      assert.equal(parsed?.type, 'request-unreadable', what);
      if (parsed?.type === 'request-unreadable') {
        assert.deepEqual(Object.keys(parsed.view).sort(), ['id', 'problem', 'serverName'], what);
        assert.equal(parsed.view.id, 'req-1');
        assert.equal(parsed.view.serverName, 'everything');
        assert.match(parsed.view.problem, /^request\./);
      }
    } else assert.equal(parsed, undefined, what);
  }
});

test('oversized strings and lists are rejected', () => {
  const longId = 'x'.repeat(LIMITS.id + 1);
  assert.equal(parseWebviewMessage({ type: 'regenerate', requestId: longId }), undefined);
  assert.equal(parseWebviewMessage({ type: 'reject', requestId: 'r', reason: 'x'.repeat(LIMITS.reason + 1) }), undefined);
  assert.equal(parseWebviewMessage({ type: 'manual-reply', requestId: 'r', text: 'x'.repeat(LIMITS.text + 1) }), undefined);
  assert.ok(parseWebviewMessage({ type: 'manual-reply', requestId: 'r', text: 'x'.repeat(LIMITS.text) }), 'exactly at the bound is fine');
  assert.equal(parseHostMessage({ type: 'delta', requestId: 'r', text: 'x'.repeat(LIMITS.delta + 1) }), undefined);
  assert.deepEqual(parseHostMessage({ type: 'request-added', request: { ...sampleView(), warnings: Array.from({ length: LIMITS.warnings + 1 }, () => 'w') } }), {
    type: 'request-unreadable',
    view: { id: 'req-1', serverName: 'everything', problem: 'request.warnings' },
  });
  // A server name over the bound is not echoed back into the "could not be displayed" card either.
  assert.deepEqual(parseHostMessage({ type: 'request-added', request: { ...sampleView(), serverName: 's'.repeat(LIMITS.name + 1) } }), {
    type: 'request-unreadable',
    view: { id: 'req-1', problem: 'request.serverName' },
  });
  assert.equal(parseHostMessage({ type: 'state', requests: Array.from({ length: LIMITS.requests + 1 }, () => sampleView()), restored: false }), undefined);
});

test('unknown extra properties are dropped, not passed on', () => {
  const parsed = parseWebviewMessage({ type: 'reject', requestId: 'r', reason: 'no', apiKey: 'sk-secret', __proto__x: 1 });
  assert.deepEqual(parsed, { type: 'reject', requestId: 'r', reason: 'no' });
  const host = parseHostMessage({ type: 'request-added', request: { ...sampleView(), headers: { Authorization: 'Bearer sk-secret' } } });
  assert.ok(host && host.type === 'request-added');
  assert.ok(!JSON.stringify(host).includes('sk-secret'));
});

// Generators of *valid* messages of every kind (elicitation answers and the full-request button
// included): each one must parse back to an equal value, so a reader that drops or mangles a valid
// field fails here. Random JSON alone would almost never form a valid message.
const WEBVIEW_TYPES = ['ready', 'approve', 'reject', 'approve-response', 'reject-response', 'regenerate', 'manual-reply', 'show-diff', 'open-full-request', 'elicitation-answer'] as const;
const HOST_TYPES = ['state', 'request-added', 'request-updated', 'request-unreadable', 'elicitation-unreadable', 'delta', 'response', 'closed', 'error', 'elicitation-show', 'elicitation-closed'] as const;

const id = fc.string({ minLength: 1, maxLength: 40 });
const text = fc.string({ maxLength: 120 });
const zeroSafe = (n: number) => (Object.is(n, -0) ? 0 : n);
const edits = fc.record(
  {
    systemPrompt: text,
    messages: fc.array(fc.record({ index: fc.nat({ max: 50 }), text }, { noNullPrototype: true }), { maxLength: 3 }),
    maxTokens: fc.integer({ min: 1, max: 1_000_000 }),
    temperature: fc.oneof(fc.constant(null), fc.double({ min: 0, max: 2, noNaN: true }).map(zeroSafe)),
    providerId: id,
    model: id,
  },
  { requiredKeys: [], noNullPrototype: true },
);
const fieldName = fc.stringMatching(/^[a-z][a-z0-9_]{0,15}$/);
const elicitValue = fc.oneof(fc.string({ maxLength: 50 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }).map(zeroSafe), fc.boolean(), fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }));

const webviewMessage: fc.Arbitrary<WebviewToHost> = fc.oneof(
  fc.constant({ type: 'ready' as const }),
  fc.record({ type: fc.constant('approve' as const), requestId: id, edits, remember: fc.constantFrom('session' as const, 'always' as const) }, { requiredKeys: ['type', 'requestId'], noNullPrototype: true }),
  fc.record({ type: fc.constantFrom('reject' as const, 'reject-response' as const), requestId: id, reason: text }, { requiredKeys: ['type', 'requestId'], noNullPrototype: true }),
  fc.record({ type: fc.constant('approve-response' as const), requestId: id, text }, { requiredKeys: ['type', 'requestId'], noNullPrototype: true }),
  fc.record({ type: fc.constantFrom('regenerate' as const, 'open-full-request' as const), requestId: id }, { noNullPrototype: true }),
  fc.record({ type: fc.constant('manual-reply' as const), requestId: id, text }, { noNullPrototype: true }),
  fc.record({ type: fc.constant('show-diff' as const), requestId: id, edits }, { noNullPrototype: true }),
  fc.record({ type: fc.constant('elicitation-answer' as const), elicitationId: id, action: fc.constantFrom('decline' as const, 'cancel' as const) }, { noNullPrototype: true }),
  fc.record({ type: fc.constant('elicitation-answer' as const), elicitationId: id, action: fc.constant('accept' as const), content: fc.dictionary(fieldName, elicitValue, { maxKeys: 5, noNullPrototype: true }) }, { requiredKeys: ['type', 'elicitationId', 'action'], noNullPrototype: true }),
);

const closeOutcome = fc.constantFrom('answered' as const, 'rejected' as const, 'cancelled' as const, 'failed' as const);
const hostMessage: fc.Arbitrary<HostToWebview> = fc.oneof(
  fc.record({ type: fc.constant('delta' as const), requestId: id, text }, { noNullPrototype: true }),
  fc.record({ type: fc.constant('closed' as const), requestId: id, outcome: closeOutcome, reason: text }, { noNullPrototype: true }),
  fc.record({ type: fc.constant('error' as const), requestId: id, message: text }, { requiredKeys: ['type', 'message'], noNullPrototype: true }),
  fc.record({ type: fc.constant('elicitation-closed' as const), elicitationId: id, reason: text }, { noNullPrototype: true }),
  fc.record({ type: fc.constantFrom('request-added' as const, 'request-updated' as const), requestId: id, serverName: text, systemPrompt: text, state: fc.constantFrom('pending' as const, 'streaming' as const, 'review' as const) }, { noNullPrototype: true }).map(
    ({ type, requestId, serverName, systemPrompt, state }) => ({ type, request: sampleView({ requestId, serverName, systemPrompt, state }) }),
  ),
  fc.record({ requestId: id, outcome: closeOutcome, reason: text, restored: fc.boolean() }, { noNullPrototype: true }).map(({ requestId, outcome, reason, restored }) => ({
    type: 'state' as const,
    requests: [sampleView({ requestId, state: 'closed', step: 'done', closed: { outcome, reason } })],
    restored,
  })),
);

test('property: every generated valid webview message parses back to an equal value, whatever its kind', () => {
  const seen = new Set<string>();
  fc.assert(
    fc.property(webviewMessage, (message) => {
      seen.add(message.type);
      assert.deepEqual(parseWebviewMessage(JSON.parse(JSON.stringify(message))), message);
    }),
    { numRuns: 600 },
  );
  assert.deepEqual([...seen].sort(), [...WEBVIEW_TYPES].sort(), 'the generator covers every webview message kind');
});

test('property: every generated valid host message parses back to an equal value', () => {
  fc.assert(
    fc.property(hostMessage, (message) => {
      assert.deepEqual(parseHostMessage(JSON.parse(JSON.stringify(message))), message);
    }),
    { numRuns: 400 },
  );
});

test('property: a valid message with one field broken is refused (webview) or marked unreadable (a host view), never passed on', () => {
  fc.assert(
    fc.property(webviewMessage.filter((m) => m.type !== 'ready'), fc.constantFrom(42, '', null, ['x'], { nested: true }), (message, junk) => {
      const key = 'requestId' in message ? 'requestId' : 'elicitationId';
      assert.equal(parseWebviewMessage({ ...message, [key]: junk }), undefined, `${message.type} with ${key}=${JSON.stringify(junk)}`);
    }),
    { numRuns: 300 },
  );
});

test('arbitrary junk never throws and never yields a message without a known type', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      const w = parseWebviewMessage(value);
      const h = parseHostMessage(value);
      if (w) assert.ok((WEBVIEW_TYPES as readonly string[]).includes(w.type));
      if (h) assert.ok((HOST_TYPES as readonly string[]).includes(h.type));
    }),
    { numRuns: 500 },
  );
  fc.assert(
    fc.property(fc.record({ type: fc.constantFrom(...WEBVIEW_TYPES, ...HOST_TYPES), requestId: fc.anything(), elicitationId: fc.anything(), text: fc.anything(), reason: fc.anything(), edits: fc.anything(), action: fc.anything() }), (value) => {
      parseWebviewMessage(value);
      parseHostMessage(value);
    }),
    { numRuns: 500 },
  );
});
