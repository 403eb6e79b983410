import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHostMessage } from '../../src/shared/protocol';
import { applyEdits, EditError } from '../../src/core/approval/edits';
import { ENGLISH_CARD_WORDS, toRequestView, toResponseView } from '../../src/vscode/panel/toView';
import { PNG_1PX, sampleRequest } from './protocol-fixtures';

const live = { state: 'pending', step: 'approval', responseText: '' } as const;

test('toRequestView carries every field the panel shows, and the webview accepts it', () => {
  const view = toRequestView(sampleRequest(), live, ENGLISH_CARD_WORDS);
  assert.deepEqual(parseHostMessage({ type: 'request-added', request: JSON.parse(JSON.stringify(view)) }), { type: 'request-added', request: view });
  assert.equal(view.toolCallName, 'sampleLLM');
  assert.equal(view.systemPrompt, 'You are terse.');
  assert.deepEqual(view.messages[1]?.content, [
    { type: 'text', text: 'Hello' },
    { type: 'image', mimeType: 'image/png', data: PNG_1PX },
  ]);
  assert.deepEqual(view.modelPreferences, { hints: ['claude'], costPriority: 0.2, speedPriority: 0.5, intelligencePriority: 0.9 });
  assert.equal(view.metadata, JSON.stringify({ trace: 'abc' }, null, 2));
  assert.equal(view.tools[0]?.name, 'lookup');
  assert.equal(view.toolChoice, 'auto');
  assert.deepEqual(view.stopSequences, ['END']);
  assert.equal(view.includeContext, 'thisServer');
  assert.equal(view.warnings.length, 1);
});

test('tool_use, tool_result, resources and audio become structured blocks', () => {
  const request = sampleRequest({
    params: {
      maxTokens: 5,
      messages: [
        { role: 'assistant', content: [{ type: 'tool_use', id: 'call-1', name: 'lookup', input: { q: 'x' } }] },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              toolUseId: 'call-1',
              isError: true,
              structuredContent: { n: 1 },
              content: [
                { type: 'text', text: 'bad' },
                { type: 'resource_link', uri: 'file:///r', name: 'r', mimeType: 'text/plain' },
                { type: 'resource', resource: { uri: 'mem://a', text: 'inline', mimeType: 'text/plain' } },
              ],
            },
            { type: 'audio', mimeType: 'audio/wav', data: 'UklGRg==' },
          ],
        },
      ],
    },
  });
  const view = toRequestView(request, live, ENGLISH_CARD_WORDS);
  assert.ok(parseHostMessage(JSON.parse(JSON.stringify({ type: 'request-added', request: view }))));
  assert.deepEqual(view.messages[0]?.content, [{ type: 'tool_use', id: 'call-1', name: 'lookup', input: '{\n  "q": "x"\n}' }]);
  assert.deepEqual(view.messages[1]?.content, [
    {
      type: 'tool_result',
      toolUseId: 'call-1',
      isError: true,
      content: [
        { type: 'text', text: 'bad' },
        { type: 'resource', uri: 'file:///r', mimeType: 'text/plain' },
        { type: 'resource', uri: 'mem://a', mimeType: 'text/plain', text: 'inline' },
      ],
      structured: '{\n  "n": 1\n}',
    },
    { type: 'audio', mimeType: 'audio/wav', data: 'UklGRg==' },
  ]);
});

test('toResponseView keeps usage and arrays of blocks', () => {
  const v = toResponseView({ model: 'm', stopReason: 'toolUse', content: [{ type: 'text', text: 'a' }, { type: 'tool_use', id: 'i', name: 'n', input: {} }], usage: { inputTokens: 3, outputTokens: 4 } });
  assert.deepEqual(v, { model: 'm', stopReason: 'toolUse', content: [{ type: 'text', text: 'a' }, { type: 'tool_use', id: 'i', name: 'n', input: '{}' }], inputTokens: 3, outputTokens: 4 });
});

test('applyEdits: a model change keeps the provider; a provider change keeps a model it offers', () => {
  const request = sampleRequest();
  assert.deepEqual(applyEdits(request, { model: 'claude-sonnet' }).choice, { providerId: 'vscode-lm', model: 'claude-sonnet', reason: 'chosen by the user in the approval panel' });
  assert.deepEqual(applyEdits(request, { providerId: 'manual' }).choice.model, 'gpt-4o', 'a provider without a model list keeps the model');
  assert.deepEqual(applyEdits(request, { providerId: 'vscode-lm', model: 'gpt-4o' }).choice, request.choice, 'no real change keeps the original reason');
  assert.equal(applyEdits(request, undefined).params, request.params);
});

test('applyEdits refuses edits the request cannot take', () => {
  const request = sampleRequest();
  assert.throws(() => applyEdits(request, { messages: [{ index: 7, text: 'x' }] }), EditError);
  assert.throws(() => applyEdits(request, { messages: [{ index: 1, text: 'x' }] }), EditError);
  assert.throws(() => applyEdits(request, { providerId: 'secret-endpoint' }), EditError);
});
