import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { validateSamplingParams, type ValidationOptions } from '../../src/core/sampling/validate';
import { findHiddenCharacters, hiddenCharacterWarnings } from '../../src/core/sampling/hiddenCharacters';
import { formatWarning, hiddenCharacterWarning } from '../../src/core/approval/warnings';
import type { SamplingParams } from '../../src/core/sampling/types';

const options: ValidationOptions = { clientSupportsTools: true, maxRequestBytes: 100_000, maxMessages: 10, maxTokensCap: 1000 };

function expectInvalid(raw: unknown, pattern: RegExp, opts: ValidationOptions = options): void {
  assert.throws(
    () => validateSamplingParams(raw, opts),
    (error: unknown) => error instanceof McpError && error.code === -32602 && pattern.test(error.message),
  );
}

const hello = { role: 'user', content: { type: 'text', text: 'hello' } };

test('a valid request is normalized and keeps its fields', () => {
  const result = validateSamplingParams({ messages: [hello], maxTokens: 50, systemPrompt: 'be brief', temperature: 0.2, stopSequences: ['END'] }, options);
  assert.equal(result.params.maxTokens, 50);
  assert.equal(result.params.systemPrompt, 'be brief');
  assert.deepEqual(result.params.stopSequences, ['END']);
  assert.equal(result.maxTokensLowered, undefined);
  assert.ok(result.bytes > 0);
});

test('maxTokens above the cap is lowered and the setting is named', () => {
  const result = validateSamplingParams({ messages: [hello], maxTokens: 5000 }, options);
  assert.equal(result.params.maxTokens, 1000);
  assert.deepEqual(result.maxTokensLowered, { requested: 5000, cap: 1000, setting: 'mcpSampling.limits.maxTokensCap' });
  const perServer = validateSamplingParams({ messages: [hello], maxTokens: 5000 }, { ...options, serverMaxTokens: 200 });
  assert.equal(perServer.params.maxTokens, 200);
  assert.match(perServer.maxTokensLowered?.setting ?? '', /serverSampling/);
});

test('size and message-count limits name their settings', () => {
  expectInvalid({ messages: [{ role: 'user', content: { type: 'text', text: 'x'.repeat(2000) } }], maxTokens: 5 }, /mcpSampling\.limits\.maxRequestBytes/, { ...options, maxRequestBytes: 1024 });
  expectInvalid({ messages: Array.from({ length: 11 }, () => hello), maxTokens: 5 }, /11 messages.*mcpSampling\.limits\.maxMessages/);
});

test('schema violations are -32602 with the path, unknown roles named', () => {
  expectInvalid({ messages: [{ role: 'system', content: { type: 'text', text: 'x' } }], maxTokens: 5 }, /messages\[0\]\.role: unknown role "system"/);
  expectInvalid({ messages: [hello] }, /maxTokens/);
  expectInvalid({ messages: [], maxTokens: 5 }, /messages must not be empty/);
  expectInvalid({ messages: [hello], maxTokens: 0 }, /at least 1/);
  expectInvalid({ messages: [{ role: 'user', content: { type: 'image', data: '***', mimeType: 'image/png' } }], maxTokens: 5 }, /Base64/);
  expectInvalid(null, /must be an object/);
  expectInvalid([], /must be an object/);
  expectInvalid({ messages: [hello], maxTokens: 5, task: { ttl: 10 } }, /Task-augmented/);
});

const toolUse = { role: 'assistant', content: [{ type: 'tool_use', id: 'call-1', name: 'weather', input: { city: 'Paris' } }] };
const toolResult = { role: 'user', content: [{ type: 'tool_result', toolUseId: 'call-1', content: [{ type: 'text', text: 'sunny' }] }] };
const tools = [{ name: 'weather', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } }];

test('tool_use/tool_result pairing is enforced', () => {
  const ok = validateSamplingParams({ messages: [hello, toolUse, toolResult], maxTokens: 5, tools }, options);
  assert.equal(ok.params.messages.length, 3);
  expectInvalid({ messages: [hello, toolResult], maxTokens: 5, tools }, /no earlier tool_use/);
  expectInvalid({ messages: [hello, toolUse, toolResult, toolResult], maxTokens: 5, tools }, /answered twice/);
  expectInvalid({ messages: [hello, { role: 'user', content: toolUse.content }], maxTokens: 5, tools }, /assistant message/);
  expectInvalid(
    { messages: [hello, toolUse, { role: 'user', content: [...toolResult.content, { type: 'text', text: 'also' }] }], maxTokens: 5, tools },
    /only tool_result/,
  );
});

test('tools are refused when the client has not declared sampling.tools', () => {
  expectInvalid({ messages: [hello], maxTokens: 5, tools }, /sampling\.tools/, { ...options, clientSupportsTools: false });
  expectInvalid({ messages: [hello], maxTokens: 5, toolChoice: { mode: 'auto' } }, /sampling\.tools/, { ...options, clientSupportsTools: false });
  expectInvalid({ messages: [hello], maxTokens: 5, tools: [...tools, ...tools] }, /duplicate tool name/);
  expectInvalid({ messages: [hello], maxTokens: 5, toolChoice: { mode: 'required' } }, /no tools/);
});

const onlyInvalidParams = (raw: unknown): void => {
  try {
    const result = validateSamplingParams(raw, options);
    // When it passes, the result must satisfy our own invariants.
    assert.ok(result.params.messages.length >= 1 && result.params.messages.length <= options.maxMessages);
    assert.ok(result.params.maxTokens >= 1 && result.params.maxTokens <= options.maxTokensCap);
  } catch (error) {
    assert.ok(error instanceof McpError, `threw a non-McpError: ${String(error)}`);
    assert.equal(error.code, -32602);
  }
};

test('property: any input yields a normalized request or a -32602 McpError', () => {
  fc.assert(fc.property(fc.anything({ withBigInt: true, withNullPrototype: true, withObjectString: true, withMap: true, withSet: true }), onlyInvalidParams), { numRuns: 500 });
});

test('property: near-valid requests yield a normalized request or a -32602 McpError', () => {
  const block = fc.oneof(
    fc.record({ type: fc.constant('text'), text: fc.string() }),
    fc.record({ type: fc.constant('image'), data: fc.oneof(fc.base64String(), fc.string()), mimeType: fc.string() }),
    fc.record({ type: fc.constant('tool_use'), id: fc.constantFrom('a', 'b'), name: fc.string(), input: fc.dictionary(fc.string(), fc.jsonValue()) }),
    fc.record({ type: fc.constant('tool_result'), toolUseId: fc.constantFrom('a', 'b', 'c'), content: fc.array(fc.record({ type: fc.constant('text'), text: fc.string() }), { maxLength: 2 }) }),
    fc.record({ type: fc.string(), text: fc.anything() }),
  );
  const message = fc.record({ role: fc.constantFrom('user', 'assistant', 'system', 7), content: fc.oneof(block, fc.array(block, { maxLength: 3 })) });
  const params = fc.record(
    {
      messages: fc.array(message, { maxLength: 14 }),
      maxTokens: fc.oneof(fc.integer({ min: -5, max: 5000 }), fc.double(), fc.string()),
      systemPrompt: fc.string(),
      temperature: fc.oneof(fc.double({ noNaN: true }), fc.string()),
      tools: fc.array(fc.record({ name: fc.constantFrom('t', 'u'), inputSchema: fc.constant({ type: 'object' }) }), { maxLength: 3 }),
      toolChoice: fc.record({ mode: fc.constantFrom('auto', 'required', 'none', 'sometimes') }),
      stopSequences: fc.array(fc.string(), { maxLength: 3 }),
    },
    { requiredKeys: [] },
  );
  fc.assert(fc.property(params, onlyInvalidParams), { numRuns: 1000 });
});

test('hidden characters are found and described by field and code point', () => {
  assert.deepEqual(findHiddenCharacters('plain text, émoji 👍 ok'), []);
  const found = findHiddenCharacters('a\u202Eb\u200Bc\u{E0041}');
  assert.deepEqual(found.map((c) => c.codePoint), [0x202e, 0x200b, 0xe0041]);
  assert.match(formatWarning(hiddenCharacterWarning({ kind: 'system-prompt' }, 'x\u202Ey')!), /^System prompt contains 1 hidden or bidi-override characters: U\+202E RIGHT-TO-LEFT OVERRIDE$/);
  const params = {
    systemPrompt: 'clean',
    maxTokens: 5,
    messages: [
      { role: 'user', content: { type: 'text', text: 'hi' } },
      { role: 'assistant', content: [{ type: 'text', text: 'ok' }, { type: 'text', text: 'zero\u200Dwidth' }] },
    ],
    tools: [{ name: 'w', description: 'ignore\u2066 this', inputSchema: { type: 'object' } }],
  } as SamplingParams;
  const warnings = hiddenCharacterWarnings(params).map(formatWarning);
  assert.equal(warnings.length, 2);
  assert.match(warnings[0] ?? '', /^Message 2 \(assistant\), block 2 contains 1 hidden characters: U\+200D ZERO WIDTH JOINER/);
  assert.match(warnings[1] ?? '', /^Tool "w" description contains .*U\+2066 LEFT-TO-RIGHT ISOLATE/);
});

test('temperature outside the one parameter bound is refused, naming the bound', () => {
  expectInvalid({ messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }], maxTokens: 5, temperature: 2.5 }, /temperature must be between 0 and 2 \(got 2\.5\)/);
  expectInvalid({ messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }], maxTokens: 5, temperature: -0.1 }, /temperature must be between 0 and 2/);
});
