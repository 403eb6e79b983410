/**
 * The endpoint's parts under plain Node: the chat request mapping (each refusal names its field;
 * tool results grouped; the model as a hint), the response shapes, and the SSE writer's
 * back-pressure (a reader that does not read gets one pending chunk, not one per delta).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { OpenAiHttpError, fromPipelineError } from '../../src/core/gateway/openai/errors';
import { DEFAULT_MAX_TOKENS, mapChatRequest } from '../../src/core/gateway/openai/requestMapping';
import { toChatCompletion } from '../../src/core/gateway/openai/responseMapping';
import { SseWriter, type SseSink } from '../../src/core/gateway/openai/sseWriter';
import { refused, invalidParams } from '../../src/core/sampling/errors';

const user = (content: unknown) => ({ role: 'user', content });

function refusal(body: unknown): OpenAiHttpError {
  try {
    mapChatRequest(body);
  } catch (error) {
    assert.ok(error instanceof OpenAiHttpError);
    return error;
  }
  assert.fail('expected a refusal');
}

describe('mapChatRequest', () => {
  it('maps system, user, assistant tool calls and tool results to a sampling request', () => {
    const { params, stream, includeUsage, model } = mapChatRequest({
      model: 'claude',
      messages: [
        { role: 'system', content: 'A' },
        { role: 'developer', content: [{ type: 'text', text: 'B' }] },
        user('hi'),
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }, { id: 'c2', type: 'function', function: { name: 'g', arguments: '' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'one' },
        { role: 'tool', tool_call_id: 'c2', content: [{ type: 'text', text: 'two' }] },
      ],
      max_tokens: 10,
      stop: 'X',
      seed: 3,
    });
    assert.equal(stream, false);
    assert.equal(includeUsage, false);
    assert.equal(model, 'claude');
    assert.deepEqual(params, {
      systemPrompt: 'A\n\nB',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'hi' }] },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'c1', name: 'f', input: { a: 1 } }, { type: 'tool_use', id: 'c2', name: 'g', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', toolUseId: 'c1', content: [{ type: 'text', text: 'one' }] }, { type: 'tool_result', toolUseId: 'c2', content: [{ type: 'text', text: 'two' }] }] },
      ],
      maxTokens: 10,
      stopSequences: ['X'],
      modelPreferences: { hints: [{ name: 'claude' }] },
      metadata: { notHonoured: ['seed'] },
    });
  });

  it('defaults max tokens, prefers max_completion_tokens, leaves "auto" unhinted, offers only the tool a tool_choice names', () => {
    assert.equal(mapChatRequest({ model: 'auto', messages: [user('x')] }).params.maxTokens, DEFAULT_MAX_TOKENS);
    assert.equal(mapChatRequest({ model: 'auto', messages: [user('x')] }).params.modelPreferences, undefined);
    assert.equal(mapChatRequest({ messages: [user('x')], max_tokens: 5, max_completion_tokens: 7 }).params.maxTokens, 7);
    const tools = [{ type: 'function', function: { name: 'a' } }, { type: 'function', function: { name: 'b', parameters: { type: 'object', properties: { q: { type: 'string' } } } } }];
    const named = mapChatRequest({ messages: [user('x')], tools, tool_choice: { type: 'function', function: { name: 'b' } } }).params;
    assert.deepEqual(named.toolChoice, { mode: 'required' });
    assert.deepEqual((named.tools as { name: string }[]).map((t) => t.name), ['b']);
    const streamed = mapChatRequest({ messages: [user('x')], stream: true, stream_options: { include_usage: true } });
    assert.equal(streamed.stream && streamed.includeUsage, true);
  });

  it('refuses with a 400 naming the field', () => {
    const cases: [unknown, string][] = [
      [{ messages: [] }, 'messages'],
      [{ messages: [user('x')], n: 3 }, 'n'],
      [{ messages: [{ role: 'function', content: 'x' }] }, 'messages[0].role'],
      [{ messages: [user([{ type: 'image_url', image_url: { url: 'http://x/y.png' } }])] }, 'messages[0].content[0].image_url.url'],
      [{ messages: [user('x')], max_tokens: 0 }, 'max_tokens'],
      [{ messages: [user('x')], temperature: 'hot' }, 'temperature'],
      [{ messages: [user('x')], stop: [1] }, 'stop'],
      [{ messages: [user('x')], response_format: { type: 'json_object' } }, 'response_format'],
      [{ messages: [user('x')], tools: [{ type: 'function', function: { name: 'a' } }], tool_choice: { type: 'function', function: { name: 'zz' } } }, 'tool_choice.function.name'],
      [{ messages: [{ role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{nope' } }] }] }, 'messages[0].tool_calls[0].function.arguments'],
    ];
    for (const [body, param] of cases) {
      const error = refusal(body);
      assert.equal(error.status, 400, param);
      assert.equal(error.options.param, param);
      assert.ok(error.message.startsWith(`${param}:`), error.message);
    }
  });
});

describe('errors and responses', () => {
  it('maps the pipeline’s refusals to OpenAI statuses', () => {
    const limited = fromPipelineError(refused('Too many sampling requests from "x": the limit is 1 per minute (setting); retry in 42 s'));
    assert.equal(limited.status, 429);
    assert.deepEqual(limited.headers(), { 'retry-after': '42' });
    assert.equal(fromPipelineError(refused('The user rejected the sampling request')).status, 403);
    assert.equal(fromPipelineError(invalidParams('messages[0]: bad')).status, 400);
    assert.deepEqual(new OpenAiHttpError(404, 'no', { param: 'model', code: 'model_not_found' }).body(), { error: { message: 'no', type: 'not_found_error', param: 'model', code: 'model_not_found' } });
  });

  it('shapes a tool-calling answer as a chat.completion with tool_calls', () => {
    const completion = toChatCompletion({ id: 'chatcmpl-1', created: 1 }, { model: 'm', role: 'assistant', stopReason: 'toolUse', content: [{ type: 'tool_use', id: 't', name: 'f', input: { a: 1 } }] }, { inputTokens: 2, outputTokens: 1 });
    assert.deepEqual(completion.choices[0]?.message, { role: 'assistant', content: null, refusal: null, tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] });
    assert.equal(completion.choices[0]?.finish_reason, 'tool_calls');
    assert.deepEqual(completion.usage, { prompt_tokens: 2, completion_tokens: 1, total_tokens: 3 });
  });
});

/** A socket whose buffer is full until drain() is called. */
class BlockedSink extends EventEmitter implements SseSink {
  readonly frames: string[] = [];
  writableEnded = false;
  destroyed = false;
  blocked = true;
  write(chunk: string): boolean {
    this.frames.push(chunk);
    return !this.blocked;
  }
  end(): void {
    this.writableEnded = true;
  }
  drain(): void {
    this.blocked = false;
    this.emit('drain');
  }
}

describe('SseWriter', () => {
  it('a reader that does not read gets one pending chunk, not one per delta; the rest follows in order on drain', async () => {
    const sink = new BlockedSink();
    const writer = new SseWriter(sink, (text) => ({ text }));
    for (let i = 0; i < 10_000; i++) writer.text('ab');
    assert.equal(sink.frames.length, 1, 'only the first delta was written while the buffer is full');
    assert.equal(writer.bufferedText, 19_998, 'the rest is held as its own text, without per-chunk framing');
    const finished = writer.finish([{ done: true }]);
    assert.equal(sink.writableEnded, false, 'the end waits for the pending text');
    sink.drain();
    await finished;
    assert.deepEqual(
      sink.frames.map((f) => f.trim()),
      ['data: {"text":"ab"}', `data: {"text":"${'ab'.repeat(9_999)}"}`, 'data: {"done":true}', 'data: [DONE]'],
    );
    assert.equal(sink.writableEnded, true);
  });

  it('stops waiting when the reader goes away', async () => {
    const sink = new BlockedSink();
    const writer = new SseWriter(sink, (text) => ({ text }));
    writer.text('a');
    writer.text('b');
    const finished = writer.finish([]);
    sink.destroyed = true;
    writer.abandon();
    await finished;
    assert.equal(sink.frames.length, 1);
  });
});
