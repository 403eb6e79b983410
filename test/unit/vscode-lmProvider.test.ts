/** The vscode-lm provider against a plain-Node stand-in of vscode.lm (test/support/fakeVscode.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeChatModel, fakeVscodeLm, installVscodeModule, LanguageModelDataPart, LanguageModelError, LanguageModelTextPart, LanguageModelToolCallPart, LanguageModelToolResultPart, type Part } from '../support/fakeVscode';
import { silentLogger } from '../../src/core/logger';
import type { ProviderRequest } from '../../src/core/providers/types';

const lm = fakeVscodeLm([]);
installVscodeModule(lm.module);
const { toChatMessages, VsCodeLmProvider } = require('../../src/vscode/lmProvider') as typeof import('../../src/vscode/lmProvider');

const ask = (text: string, extra: Partial<ProviderRequest> = {}): ProviderRequest => ({ model: 'gpt', messages: [{ role: 'user', content: { type: 'text', text } }], maxTokens: 100, ...extra });
const noDelta = () => undefined;
const live = () => new AbortController().signal;

function providerWith(...models: FakeChatModel[]) {
  lm.changeModels(models);
  return new VsCodeLmProvider(silentLogger, () => 'because a test asked');
}

test('messages: the system prompt is folded into the first user message; images, audio and tool blocks map to parts', () => {
  const messages = toChatMessages({
    systemPrompt: 'be brief',
    messages: [
      { role: 'assistant', content: { type: 'text', text: 'earlier' } },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'look' },
          { type: 'image', data: Buffer.from('png').toString('base64'), mimeType: 'image/png' },
          { type: 'audio', data: 'AAAA', mimeType: 'audio/wav' },
        ],
      },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'c1', name: 'weather', input: { city: 'Paris' } }] },
      { role: 'user', content: [{ type: 'tool_result', toolUseId: 'c1', content: [{ type: 'text', text: 'sunny' }] }] },
    ],
  });
  assert.equal(messages.length, 4);
  const [first, ...rest] = messages[1]!.content as Part[];
  assert.ok(first instanceof LanguageModelTextPart && first.value === 'System instructions:\nbe brief\n\n', 'prepended to the first user message');
  assert.ok(rest[1] instanceof LanguageModelDataPart && rest[1].mimeType === 'image/png' && Buffer.from(rest[1].data).toString() === 'png');
  assert.ok(rest[2] instanceof LanguageModelTextPart && /audio omitted/.test(rest[2].value), 'audio is named, not dropped');
  assert.ok(messages[2]!.content[0] instanceof LanguageModelToolCallPart && messages[2]!.content[0].name === 'weather');
  const result = messages[3]!.content[0];
  assert.ok(result instanceof LanguageModelToolResultPart && result.callId === 'c1');
  assert.equal(toChatMessages({ systemPrompt: 'alone', messages: [] })[0]?.role, lm.module.LanguageModelChatMessageRole.User, 'without a user message, one is added');
});

test('models are listed once and listed again after the editor says they changed', async () => {
  const provider = providerWith(new FakeChatModel('gpt-4o', 'gpt'));
  const before = lm.state.selections;
  assert.equal(provider.cachedModels(), undefined);
  assert.deepEqual(await provider.listModels(), [{ id: 'gpt-4o', family: 'gpt', name: 'gpt model', maxInputTokens: 1000 }]);
  await provider.listModels();
  assert.deepEqual(provider.cachedModels()?.map((m) => m.id), ['gpt-4o']);
  assert.equal(lm.state.selections - before, 1, 'asked the editor once');
  lm.changeModels([new FakeChatModel('claude', 'claude')]);
  assert.equal(provider.cachedModels(), undefined);
  assert.deepEqual((await provider.listModels()).map((m) => m.id), ['claude']);
  provider.dispose();
});

test('complete: the model is found by id or family, text streams, options carry the limits and the justification', async () => {
  const model = new FakeChatModel('gpt-4o', 'gpt', () => [new LanguageModelTextPart('hel'), new LanguageModelTextPart('lo')]);
  const provider = providerWith(model);
  const deltas: string[] = [];
  const response = await provider.complete(ask('hi', { temperature: 0.5, stopSequences: ['END'] }), (d) => deltas.push(d), live());
  assert.deepEqual(response, { model: 'gpt-4o', stopReason: 'endTurn', content: { type: 'text', text: 'hello' }, usage: { inputTokens: 1 } });
  assert.deepEqual(deltas, ['hel', 'lo']);
  assert.equal(model.sent[0]?.options.justification, 'because a test asked');
  assert.deepEqual(model.sent[0]?.options.modelOptions, { max_tokens: 100, temperature: 0.5, stop: ['END'] });
  assert.equal(model.sent[0]?.options.tools, undefined);
  await assert.rejects(provider.complete(ask('hi', { model: 'nope' }), noDelta, live()), /no language model "nope"\. Available: gpt-4o/);
  provider.dispose();
});

test('a stop sequence the model ignores ends the answer there, cancels the request and says stopSequence', async () => {
  const model = new FakeChatModel('m', 'm', () => [new LanguageModelTextPart('one two '), new LanguageModelTextPart('STOP three'), new LanguageModelTextPart('never read')]);
  const provider = providerWith(model);
  const response = await provider.complete(ask('count', { model: 'm', stopSequences: ['STOP'] }), noDelta, live());
  assert.equal(response.stopReason, 'stopSequence');
  assert.deepEqual(response.content, { type: 'text', text: 'one two ' });
  assert.equal(model.sent[0]?.token.isCancellationRequested, true);
  provider.dispose();
});

test('tools: offered with their mode, and tool calls come back as tool_use with stopReason toolUse', async () => {
  const model = new FakeChatModel('m', 'm', () => [new LanguageModelTextPart('let me check'), new LanguageModelToolCallPart('c1', 'weather', { city: 'Paris' })]);
  const provider = providerWith(model);
  const tools = [{ name: 'weather', inputSchema: { type: 'object' as const } }];
  const response = await provider.complete(ask('weather?', { model: 'm', tools, toolChoice: { mode: 'required' } }), noDelta, live());
  assert.equal(response.stopReason, 'toolUse');
  assert.deepEqual(response.content, [
    { type: 'text', text: 'let me check' },
    { type: 'tool_use', id: 'c1', name: 'weather', input: { city: 'Paris' } },
  ]);
  assert.deepEqual(model.sent[0]?.options.tools?.map((t) => t.name), ['weather']);
  assert.equal(model.sent[0]?.options.toolMode, lm.module.LanguageModelChatToolMode.Required);
  await provider.complete(ask('weather?', { model: 'm', tools, toolChoice: { mode: 'none' } }), noDelta, live());
  assert.equal(model.sent[1]?.options.tools, undefined, 'mode none offers no tools');
  provider.dispose();
});

test('a prompt over the model input limit is refused before it is sent', async () => {
  const model = new FakeChatModel('small', 'small', undefined, 2);
  const provider = providerWith(model);
  await assert.rejects(provider.complete(ask('a prompt far longer than two tokens', { model: 'small' }), noDelta, live()), /needs about \d+ input tokens; "small model" accepts at most 2/);
  assert.equal(model.sent.length, 0);
  provider.dispose();
});

test('errors: the editor refusing access is explained; a cancelled request ends with its reason', async () => {
  const refusing = new FakeChatModel('m', 'm', () => {
    throw new LanguageModelError('no', 'NoPermissions');
  });
  const provider = providerWith(refusing);
  await assert.rejects(provider.complete(ask('hi', { model: 'm' }), noDelta, live()), /Access to the language model "m model" was not granted/);

  const controller = new AbortController();
  const slow = new FakeChatModel('s', 's', () =>
    (async function* () {
      yield new LanguageModelTextPart('partial');
      controller.abort(new Error('the server cancelled'));
      yield new LanguageModelTextPart(' more');
    })(),
  );
  lm.changeModels([slow]);
  await assert.rejects(provider.complete(ask('hi', { model: 's' }), noDelta, controller.signal), /the server cancelled/);
  assert.equal(slow.sent[0]?.token.isCancellationRequested, true, 'the abort cancelled the editor request');
  provider.dispose();
});
