/**
 * Red team round 2, items 1, 4 and 5: what the host builds for the panel. Every view the host builds
 * from a schema-valid request passes the webview's own reader (property-based, with hostile strings,
 * sizes and counts); whatever the panel leaves out is announced and one click away; one bad entry
 * never blanks the panel; no regular expression runs on unbounded server text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyElicitationDefaults, isEmailAddress, parseElicitationRequest, validateElicitationContent, ElicitationError } from '../../src/shared/elicitation';
import { LIMITS, parseHostMessage, readElicitationView, type ElicitationView, type HostToWebview } from '../../src/shared/protocol';
import { hiddenCharacterWarnings } from '../../src/core/sampling/hiddenCharacters';
import { validateSamplingParams } from '../../src/core/sampling/validate';
import type { ApprovalRequest, ProviderResponse, SamplingParams } from '../../src/core/sampling/types';
import { ElicitationQueue } from '../../src/vscode/panel/elicitationQueue';
import { ApprovalQueue } from '../../src/core/approval/queue';
import { handleRequestMessage } from '../../src/vscode/panel/bridge';
import { ENGLISH_CARD_WORDS, fullRequestText, toRequestView, toResponseView } from '../../src/vscode/panel/toView';
import { sampleRequest } from './protocol-fixtures';

const live = { state: 'pending', step: 'approval', responseText: '' } as const;
const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const roundTrip = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** What the webview makes of a `request-added` carrying this view. */
function webviewReads(view: unknown): HostToWebview | undefined {
  return parseHostMessage(roundTrip({ type: 'request-added', request: view }));
}

// ---- item 4: regex DoS ----

test('megabyte-sized email, date and text defaults are checked at once and dropped, with the right answers', () => {
  const mega = 'a'.repeat(1_000_000);
  const request = parseElicitationRequest({
    message: 'hi',
    requestedSchema: {
      type: 'object',
      properties: {
        email: { type: 'string', format: 'email', default: `${mega}@${mega}` },
        dotted: { type: 'string', format: 'email', default: `a@${'a.'.repeat(500_000)}` },
        spaced: { type: 'string', format: 'email', default: `${'a@a.a '.repeat(200_000)}` },
        date: { type: 'string', format: 'date', default: `2024-01-01${'1'.repeat(1_000_000)}` },
        long: { type: 'string', default: mega },
        ok: { type: 'string', format: 'email', default: 'me@example.org' },
      },
    },
  });
  assert.equal(request.mode, 'form');
  if (request.mode !== 'form') return;
  // Only the valid, bounded default survives; the others are dropped, none freezes the check.
  assert.deepEqual(applyElicitationDefaults(request.requestedSchema), { ok: 'me@example.org' });
  assert.deepEqual(validateElicitationContent(request.requestedSchema, { email: `${mega}@${mega}`, dotted: `a@${'a.'.repeat(500_000)}` }), [
    'email: must be at most 100000 characters',
    'dotted: must be at most 100000 characters',
  ]);
  // Under the bound, the linear check still runs and answers correctly.
  assert.deepEqual(validateElicitationContent(request.requestedSchema, { email: `${'a'.repeat(90_000)}@x.y` }), ['email: must be a valid email']);
});

test('the linear email check agrees with the former pattern on ordinary and edge inputs', () => {
  const former = (v: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v);
  const cases = ['me@example.org', 'a@b.c', 'a@b.', '@b.c', 'a@.c', 'a@.b.c', 'a@b.c.', 'a@@b.c', 'a b@c.d', 'a@b c.d', 'a@bc', '', 'a@b..c', 'ü@ü.ü', 'a@b.c\n'];
  for (const c of cases) assert.equal(isEmailAddress(c), former(c), JSON.stringify(c));
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom('a', '@', '.', ' ', '\t', 'é'), maxLength: 30 }), (v) => isEmailAddress(v) === former(v)),
    { numRuns: 2000 },
  );
});

// ---- item 5: one validation contract ----

const hostile = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('\u202Eevil\u202C', '\u{E0041}\u{E0042}', 'a\uFE0F\uFE0F\u{E0100}', '<img src=x onerror=alert(1)>', '\uD800', '&#x202E;', '[a]: https://evil "t"'),
  fc.nat({ max: 2_100_000 }).map((n) => 'x'.repeat(n)),
  fc.nat({ max: 5000 }).map((n) => '\u200B'.repeat(n)),
);
const mimeType = fc.oneof(fc.constantFrom('image/png', 'image/jpeg', 'audio/wav', 'image/svg+xml'), fc.nat({ max: 400 }).map((n) => `image/${'p'.repeat(n)}`), fc.string({ maxLength: 120 }));
const media = (type: 'image' | 'audio') => fc.record({ type: fc.constant(type), mimeType, data: fc.oneof(fc.constant('iVBORw0KGgo='), fc.nat({ max: 50_000 }).map((n) => 'AAAA'.repeat(n))) });
const text = fc.record({ type: fc.constant('text' as const), text: hostile });
const resource = fc.record({
  type: fc.constant('resource' as const),
  resource: fc.oneof(
    fc.record({ uri: fc.oneof(fc.webUrl(), hostile), text: hostile, mimeType: fc.option(mimeType, { nil: undefined }) }, { requiredKeys: ['uri', 'text'] }),
    fc.record({ uri: fc.webUrl(), blob: fc.constant('AAAA') }),
  ),
});
const resourceLink = fc.record({ type: fc.constant('resource_link' as const), uri: fc.oneof(fc.webUrl(), hostile), name: hostile, mimeType: fc.option(mimeType, { nil: undefined }) }, { requiredKeys: ['type', 'uri', 'name'] });
const block = fc.oneof({ weight: 5, arbitrary: text }, media('image'), media('audio'));
const jsonValue = fc.oneof(fc.jsonValue({ maxDepth: 3 }), hostile.map((s) => ({ s })), fc.nat({ max: 1_100_000 }).map((n) => ({ big: 'y'.repeat(n) })));
const blocks = fc.oneof(block, fc.array(block, { maxLength: 4 }), fc.nat({ max: 1300 }).chain((n) => fc.constant(Array.from({ length: n }, () => ({ type: 'text' as const, text: 't' })))));

const toolName = fc.oneof(fc.constantFrom('lookup', 'get\u202Eweather'), hostile.filter((s) => s.length > 0 && s.length < 2000));
const tool = fc.record({ name: toolName, description: fc.option(hostile, { nil: undefined }), inputSchema: fc.record({ type: fc.constant('object' as const), properties: fc.dictionary(fc.string({ maxLength: 10 }), fc.record({ type: fc.constant('string'), description: hostile })) }) }, { requiredKeys: ['name', 'inputSchema'] });
const tools = fc.oneof(fc.uniqueArray(tool, { maxLength: 3, selector: (t) => t.name }), fc.nat({ max: 1200 }).map((n) => Array.from({ length: n }, (_, i) => ({ name: `t${i}`, inputSchema: { type: 'object' as const } }))));

/** A tool_use / tool_result exchange (valid pairing), with nested results, structured content and resources. */
const toolExchange = fc
  .record({
    name: toolName,
    input: jsonValue.map((v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v : { v })),
    inner: fc.oneof(fc.array(fc.oneof(text, resource, resourceLink, media('image')), { maxLength: 4 }), fc.nat({ max: 1300 }).map((n) => Array.from({ length: n }, () => ({ type: 'text' as const, text: 'r' })))),
    structured: fc.option(jsonValue.map((v) => ({ v })), { nil: undefined }),
    isError: fc.boolean(),
  })
  .map(({ name, input, inner, structured, isError }) => [
    { role: 'assistant' as const, content: [{ type: 'tool_use' as const, id: 'call-1', name, input }] },
    { role: 'user' as const, content: [{ type: 'tool_result' as const, toolUseId: 'call-1', content: inner, isError, ...(structured ? { structuredContent: structured } : {}) }] },
  ]);

const messages = fc
  .tuple(fc.array(fc.record({ role: fc.constantFrom('user' as const, 'assistant' as const), content: blocks }), { minLength: 1, maxLength: 4 }), fc.option(toolExchange, { nil: undefined }))
  .map(([plain, exchange]) => [...plain, ...(exchange ?? [])]);

const samplingParams: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    messages,
    maxTokens: fc.oneof(fc.integer({ min: 1, max: 10_000 }), fc.constant(Number.MAX_SAFE_INTEGER)),
    systemPrompt: hostile,
    temperature: fc.oneof(fc.double({ noNaN: true, min: 0, max: 2 }), fc.constant(0.5)),
    stopSequences: fc.oneof(fc.array(hostile, { maxLength: 3 }), fc.nat({ max: 150 }).map((n) => Array.from({ length: n }, () => 'S'))),
    includeContext: fc.constantFrom('none', 'thisServer', 'allServers'),
    modelPreferences: fc.record({ hints: fc.array(fc.record({ name: hostile }), { maxLength: 3 }), costPriority: fc.double({ min: 0, max: 1, noNaN: true }) }, { requiredKeys: [] }),
    metadata: jsonValue.map((v) => ({ v })),
    tools,
    toolChoice: fc.record({ mode: fc.constantFrom('auto', 'required', 'none') }),
  },
  { requiredKeys: ['messages', 'maxTokens'] },
).map((p) => (p.toolChoice && (!Array.isArray(p.tools) || p.tools.length === 0) ? { ...p, toolChoice: { mode: 'auto' } } : p));

const providers = fc.array(
  fc.record({
    id: fc.oneof(fc.constantFrom('openai', 'vscode-lm'), fc.string({ maxLength: 300 })),
    label: hostile,
    models: fc.array(
      fc.record(
        {
          id: fc.oneof(fc.constant(''), fc.string({ maxLength: 10 }), fc.nat({ max: 3000 }).map((n) => 'm'.repeat(n))),
          name: fc.option(hostile, { nil: undefined }),
          maxInputTokens: fc.option(fc.oneof(fc.double(), fc.constant(1e300), fc.constant(-5), fc.constant(Number.NaN)), { nil: undefined }),
        },
        { requiredKeys: ['id'] },
      ),
      { maxLength: 4 },
    ),
  }),
  { maxLength: 3 },
);

const options = { clientSupportsTools: true, maxRequestBytes: 1e9, maxMessages: 10_000, maxTokensCap: Number.MAX_SAFE_INTEGER };

function validatedOrMediaRefused(raw: unknown): SamplingParams {
  try {
    return validateSamplingParams(raw, options).params;
  } catch (error) {
    if (!(error instanceof Error && /mimeType: must be/.test(error.message))) throw error;
    return raw as SamplingParams;
  }
}

test('property: every view the host builds from a schema-valid sampling request passes the webview reader', () => {
  fc.assert(
    fc.property(samplingParams, providers, hostile, fc.oneof(fc.double(), fc.constant(1e300)), (raw, provs, serverName, estimate) => {
      // The generator makes schema-valid requests: the pipeline's own validator accepts them, except
      // for media types outside the MCP content rules, which it refuses (issue 23); the view must
      // still cope with those (a model's answer is not validated), so they are built from the raw params.
      const params = validatedOrMediaRefused(raw);
      const request: ApprovalRequest = {
        ...sampleRequest(),
        origin: { ...sampleRequest().origin, serverName, toolCall: { name: serverName } },
        params,
        providers: provs as ApprovalRequest['providers'],
        tokenEstimate: estimate,
        maxInputTokens: estimate,
        warnings: hiddenCharacterWarnings(params),
      };
      const view = toRequestView(request, live, ENGLISH_CARD_WORDS);
      const read = webviewReads(view);
      assert.equal(read?.type, 'request-added', `unreadable: ${JSON.stringify(read).slice(0, 300)}`);
    }),
    { numRuns: 150, includeErrorInReport: true },
  );
});

test('property: every response view and every elicitation card the host builds passes the webview reader', async () => {
  fc.assert(
    fc.property(
      fc.record({ model: hostile, stopReason: fc.constantFrom('endTurn', 'maxTokens', 'toolUse'), content: blocks, usage: fc.record({ inputTokens: fc.oneof(fc.double(), fc.constant(1e300)), outputTokens: fc.double() }) }),
      (response) => {
        const view = toResponseView(response as unknown as ProviderResponse);
        assert.ok(parseHostMessage(roundTrip({ type: 'response', requestId: 'r', response: view })), JSON.stringify(view).slice(0, 300));
      },
    ),
    { numRuns: 100 },
  );

  const property = fc.record(
    {
      type: fc.constantFrom('string', 'number', 'integer', 'boolean'),
      title: hostile,
      description: hostile,
      format: fc.constantFrom('email', 'uri', 'date', 'date-time'),
      default: fc.oneof(hostile, fc.double(), fc.boolean(), fc.constant(`${'a'.repeat(50)}@b.c`)),
      maxLength: fc.nat(),
      minimum: fc.double({ noNaN: true, noDefaultInfinity: true }),
      enum: fc.array(hostile, { maxLength: 3 }),
    },
    { requiredKeys: ['type'] },
  );
  const form = fc.record({ mode: fc.constant('form'), message: hostile, requestedSchema: fc.record({ type: fc.constant('object'), properties: fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), hostile), property, { maxKeys: 5 }) }) });
  const url = fc.record({ mode: fc.constant('url'), message: hostile, elicitationId: fc.string(), url: fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.nat({ max: 9000 }).map((n) => `https://example.org/${'\u00e9 '.repeat(n)}`)) });
  await fc.assert(
    fc.asyncProperty(fc.oneof(form, url), hostile, async (params, serverName) => {
      let request;
      try {
        request = parseElicitationRequest(params);
      } catch (e) {
        // Refused with a reason the server gets; no card is built.
        assert.ok(e instanceof ElicitationError);
        return;
      }
      const posted: HostToWebview[] = [];
      const queue = new ElicitationQueue(silent, { post: (m) => posted.push(m), attention() {}, openExternal: async () => true });
      const controller = new AbortController();
      const answer = request.mode === 'form' ? queue.elicitForm(request, serverName, controller.signal) : queue.elicitUrl(request, serverName, controller.signal);
      answer.catch(() => undefined);
      const shown = posted.find((m) => m.type === 'elicitation-show');
      assert.ok(shown);
      const read = parseHostMessage(roundTrip(shown));
      assert.equal(read?.type, 'elicitation-show', `unreadable: ${JSON.stringify(read).slice(0, 300)}`);
      const state = parseHostMessage(roundTrip({ type: 'state', requests: [], restored: false, elicitations: queue.views() }));
      assert.equal(state?.type === 'state' && state.elicitations?.length, 1);
      controller.abort();
    }),
    { numRuns: 150 },
  );
});

test('the odd values of the review each yield a view the webview reads, and none blanks the others', () => {
  const base = sampleRequest();
  const odd: ApprovalRequest[] = [
    { ...sampleRequest({ id: 'mime' }), params: { ...base.params, messages: [{ role: 'user', content: { type: 'image', mimeType: `image/${'x'.repeat(150)}`, data: 'AAAA' } }] } },
    { ...sampleRequest({ id: 'models' }), providers: [{ id: 'openai', label: 'OpenAI', models: [{ id: '' }, { id: 'gpt', maxInputTokens: 1e300 }] }] },
    { ...sampleRequest({ id: 'estimate' }), tokenEstimate: 1e300, maxInputTokens: Number.NaN },
  ];
  for (const request of odd) assert.equal(webviewReads(toRequestView(request, live, ENGLISH_CARD_WORDS))?.type, 'request-added', request.origin.requestId);
  const response = toResponseView({ model: 'm', stopReason: 'endTurn', content: [{ type: 'text', text: 'a' }], usage: { inputTokens: 1e300, outputTokens: 2 } });
  assert.equal(response.inputTokens, Number.MAX_SAFE_INTEGER);
  assert.ok(parseHostMessage(roundTrip({ type: 'response', requestId: 'r', response })));

  // A URL that grows past the bound once percent-encoded is refused with a reason, not shown broken.
  assert.throws(() => parseElicitationRequest({ mode: 'url', message: 'm', url: `https://example.org/${'é'.repeat(4000)}` }), /at most 8192 characters once encoded/);
  // A form default over the bound is dropped; the card still shows.
  const request = parseElicitationRequest({ message: 'm', requestedSchema: { type: 'object', properties: { a: { type: 'string', default: 'x'.repeat(100_001) } } } });
  if (request.mode !== 'form') throw new Error('form expected');
  const posted: HostToWebview[] = [];
  const queue = new ElicitationQueue(silent, { post: (m) => posted.push(m), attention() {}, openExternal: async () => true });
  const controller = new AbortController();
  queue.elicitForm(request, 's', controller.signal).catch(() => undefined);
  const shown = posted[0];
  assert.equal(shown?.type, 'elicitation-show');
  assert.deepEqual(shown?.type === 'elicitation-show' && shown.elicitation.mode === 'form' && shown.elicitation.defaults, {});
  assert.ok(readElicitationView(roundTrip((shown as { elicitation: ElicitationView }).elicitation)));
  controller.abort();
});

test('one bad entry in `state` never drops the others: it arrives as "could not be displayed"', () => {
  const good = roundTrip(toRequestView(sampleRequest(), live, ENGLISH_CARD_WORDS));
  const bad = { ...good, requestId: 'bad', messages: [{ role: 'user', content: [{ type: 'image', mimeType: `image/${'x'.repeat(150)}`, data: '' }] }] };
  const goodElicitation = { id: 'e1', serverName: 's', message: 'm', mode: 'form', requestedSchema: { type: 'object', properties: {} }, defaults: {} };
  const state = parseHostMessage({ type: 'state', restored: false, requests: [good, bad], elicitations: [goodElicitation, { ...goodElicitation, id: 'e2', defaults: { x: 'y'.repeat(200_000) } }] });
  assert.equal(state?.type, 'state');
  if (state?.type !== 'state') return;
  assert.deepEqual(state.requests.map((r) => r.requestId), ['req-1']);
  assert.deepEqual(state.unreadable, [{ id: 'bad', serverName: 'everything', problem: 'requests[1].messages[0].content[0].mimeType' }]);
  assert.deepEqual(state.elicitations?.map((e) => e.id), ['e1']);
  assert.deepEqual(state.unreadableElicitations?.map((e) => e.id), ['e2']);
});

// ---- item 1: nothing the model receives goes unseen ----

test('what the panel cuts is announced, counted, and the full request is one click away; approving sends the complete request', async () => {
  const base = sampleRequest();
  const many = Array.from({ length: 1200 }, (_, i) => ({ type: 'text' as const, text: i === 1199 ? 'THE REAL INSTRUCTION' : `filler ${i}` }));
  const params: SamplingParams = {
    ...base.params,
    messages: [
      { role: 'user', content: many },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'c', name: 'lookup', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', toolUseId: 'c', content: many }] },
    ],
    tools: Array.from({ length: 1005 }, (_, i) => ({ name: `tool${i}`, inputSchema: { type: 'object' as const } })),
    systemPrompt: 's'.repeat(LIMITS.text + 10),
  };
  const request: ApprovalRequest = { ...base, params };
  const view = toRequestView(request, live, ENGLISH_CARD_WORDS);
  assert.equal(webviewReads(view)?.type, 'request-added');
  assert.equal(view.messages[0]?.content.length, LIMITS.blocks);
  assert.match(view.notShown?.[0] ?? '', /^System prompt: [\d,]+ characters not shown$/);
  assert.deepEqual(view.notShown?.slice(1), [
    'Message 1: 200 more blocks not shown',
    'Message 3 block 1 tool result: 200 more blocks not shown',
    'Tools: 5 more tools not shown',
  ]);
  assert.match(view.systemPrompt ?? '', /\[… [\d,]+ more characters not shown: open the full request to see them\]$/);
  assert.ok(!JSON.stringify(view).includes('THE REAL INSTRUCTION'), 'the cut part is indeed not in the view');

  // The full request (what the model receives) is opened on the card's button.
  const opened: string[] = [];
  const queue = new ApprovalQueue(silent, { changed() {}, attention() {}, pendingCountChanged() {} });
  const hooks = { post() {}, openDiff() {}, openFullRequest: (_id: string, text: string) => void opened.push(text) };
  const decision = queue.open(request, { withPerson: true }).approve(new AbortController().signal);
  handleRequestMessage(queue, { type: 'open-full-request', requestId: request.origin.requestId }, hooks);
  assert.equal(opened.length, 1);
  assert.ok(opened[0]?.includes('THE REAL INSTRUCTION'));
  assert.equal(opened[0], fullRequestText(request));
  // Approving without edits sends exactly the complete request the notice announced.
  handleRequestMessage(queue, { type: 'approve', requestId: request.origin.requestId }, hooks);
  const approved = await decision;
  assert.equal(approved.kind, 'approve');
  if (approved.kind === 'approve') assert.deepEqual(approved.params, params);
});
