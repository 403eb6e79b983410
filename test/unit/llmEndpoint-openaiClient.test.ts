/**
 * The gateway's OpenAI-compatible endpoint driven by the official `openai` npm client, over real
 * HTTP, through the real sampling pipeline (scripted prompter, fixture provider): answers plain and
 * streamed, tools and their results, an image, refusals with their status, cancellation by abort.
 */
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { GATEWAY_TOKEN, SCRIPT_KEY, startEndpointHarness, type EndpointHarness } from '../support/llmEndpointHarness';
import { DEFAULT_SAMPLING_SETTINGS } from '../../src/core/sampling/settings';
import { waitFor } from '../support/waitFor';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

describe('the LLM endpoint with the openai client', () => {
  let h: EndpointHarness;
  const client = (apiKey = SCRIPT_KEY, extra: Partial<ConstructorParameters<typeof OpenAI>[0]> = {}) => new OpenAI({ baseURL: h.baseURL, apiKey, maxRetries: 0, ...extra });

  before(async () => {
    h = await startEndpointHarness({ limits: { maxConcurrent: 1, maxQueued: 0, maxBodyBytes: 64 * 1024 } });
  });
  after(() => h.stop());
  afterEach(() => {
    h.settings = { ...DEFAULT_SAMPLING_SETTINGS, defaultProvider: 'fixture' };
    h.prompter.hold = false;
    h.prompter.approve = undefined;
    h.provider.hang = false;
    h.provider.answer = undefined;
    h.enabled = true;
  });

  it('answers a chat completion approved in the panel, naming the caller and the route on the card', async () => {
    const completion = await client().chat.completions.create({
      model: 'fixture-small',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hello there' },
      ],
      max_completion_tokens: 50,
      temperature: 0.3,
      stop: ['END'],
    });
    assert.equal(completion.choices[0]?.message.content, 'echo: hello there');
    assert.equal(completion.choices[0]?.finish_reason, 'stop');
    assert.equal(completion.model, 'fixture-small', 'the model is a hint matched against the offered models');
    assert.deepEqual(completion.usage, { prompt_tokens: 7, completion_tokens: 5, total_tokens: 12 });
    const card = h.prompter.approvals.at(-1)!;
    assert.equal(card.origin.route, 'openai-endpoint');
    assert.equal(card.origin.serverName, 'my-script');
    assert.equal(card.params.systemPrompt, 'Be brief.');
    assert.equal(card.params.maxTokens, 50);
    assert.equal(card.params.temperature, 0.3);
    assert.deepEqual(card.params.stopSequences, ['END']);
  });

  it('streams OpenAI chunks as the provider writes them when no one reviews the answer, with usage last', async () => {
    h.settings = { ...h.settings, reviewResponses: false };
    h.provider.answer = 'one two three four five six';
    const stream = await client().chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'count' }], stream: true, stream_options: { include_usage: true } });
    const pieces: string[] = [];
    let finish: string | null | undefined;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) pieces.push(chunk.choices[0].delta.content);
      if (chunk.choices[0]?.finish_reason) finish = chunk.choices[0].finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    assert.equal(pieces.join(''), 'one two three four five six');
    assert.ok(pieces.length > 1, `streamed in pieces (${pieces.length})`);
    assert.equal(finish, 'stop');
    assert.equal(usage?.total_tokens, 12);
  });

  it('under review, streams only the accepted (edited) answer', async () => {
    h.provider.answer = 'the raw answer';
    h.prompter.reviewResponse = async () => ({ kind: 'accept', content: { type: 'text', text: 'the edited answer' } });
    try {
      const stream = await client().chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'x' }], stream: true });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      assert.equal(text, 'the edited answer', 'nothing the person had not let through reached the caller');
    } finally {
      delete (h.prompter as { reviewResponse?: unknown }).reviewResponse;
    }
  });

  it('offers tools, returns tool calls, and takes the tool results back', async () => {
    const tools: OpenAI.ChatCompletionTool[] = [{ type: 'function', function: { name: 'weather', description: 'The weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
    const first = await client().chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'weather?' }], tools, tool_choice: 'auto' });
    const call = first.choices[0]?.message.tool_calls?.[0];
    assert.equal(first.choices[0]?.finish_reason, 'tool_calls');
    assert.ok(call && call.type === 'function');
    assert.equal(call.function.name, 'weather');
    assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Paris' });
    assert.equal(h.prompter.approvals.at(-1)!.params.tools?.[0]?.name, 'weather');

    const second = await client().chat.completions.create({
      model: 'auto',
      messages: [{ role: 'user', content: 'weather?' }, first.choices[0]!.message, { role: 'tool', tool_call_id: call.id, content: 'sunny' }],
      tools,
    });
    assert.match(second.choices[0]?.message.content ?? '', /result .*sunny/);
    const sent = h.provider.requests.at(-1)!;
    const resultBlock = (sent.messages.at(-1)!.content as { type: string; toolUseId?: string }[])[0];
    assert.equal(resultBlock?.type, 'tool_result');
    assert.equal(resultBlock?.toolUseId, 'call_1');

    const streamed = await client().chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'weather?' }], tools, stream: true });
    const calls: string[] = [];
    for await (const chunk of streamed) for (const c of chunk.choices[0]?.delta.tool_calls ?? []) calls.push(`${c.function?.name}:${c.function?.arguments}`);
    assert.deepEqual(calls, ['weather:{"city":"Paris"}']);
  });

  it('passes an image (data: URL) to the provider as an image block', async () => {
    await client().chat.completions.create({
      model: 'auto',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'what is this?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } }] }],
    });
    const blocks = h.provider.requests.at(-1)!.messages.at(-1)!.content as { type: string; mimeType?: string; data?: string }[];
    assert.deepEqual(blocks[1], { type: 'image', mimeType: 'image/png', data: PNG });
    await assert.rejects(
      client().chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] }] }),
      (error: unknown) => error instanceof OpenAI.BadRequestError && error.param === 'messages[0].content[0].image_url.url',
    );
  });

  it('answers a rejection with 403 and the reason', async () => {
    await assert.rejects(
      client().chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'please reject me' }] }),
      (error: unknown) => error instanceof OpenAI.PermissionDeniedError && /rejected the sampling request: not this one/.test(error.message),
    );
    await assert.rejects(
      client().chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'please reject me' }], stream: true }),
      (error: unknown) => error instanceof OpenAI.PermissionDeniedError,
      'a refused stream still gets its status: nothing was sent before the approval',
    );
  });

  it('refuses a bad key (401), a browser (403), an unknown model (404), n > 1 (400), a big body (413) and a turned-off endpoint (404)', async () => {
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'x' }];
    await assert.rejects(client('wrong-key').chat.completions.create({ messages, model: 'auto' }), OpenAI.AuthenticationError);
    await assert.rejects(client(SCRIPT_KEY, { defaultHeaders: { Origin: 'https://evil.example' } }).models.list(), OpenAI.PermissionDeniedError);
    await assert.rejects(client().chat.completions.create({ messages, model: 'gpt-9' }), (e: unknown) => e instanceof OpenAI.NotFoundError && e.code === 'model_not_found');
    await assert.rejects(client().chat.completions.create({ messages, model: 'auto', n: 2 }), (e: unknown) => e instanceof OpenAI.BadRequestError && e.param === 'n');
    await assert.rejects(client().chat.completions.create({ messages: [{ role: 'user', content: 'x'.repeat(100_000) }], model: 'auto' }), (e: unknown) => e instanceof OpenAI.APIError && e.status === 413);
    h.enabled = false;
    await assert.rejects(client().chat.completions.create({ messages, model: 'auto' }), OpenAI.NotFoundError);
    assert.equal(h.prompter.approvals.filter((a) => JSON.stringify(a.params.messages).includes('x'.repeat(100))).length, 0);
  });

  it('answers 429 with Retry-After beyond the caller’s concurrency, and when the rate limit is reached', async () => {
    h.prompter.hold = true;
    const held = new AbortController();
    const first = client().chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'first' }] }, { signal: held.signal });
    first.catch(() => undefined);
    await waitFor('the first request to run', () => h.endpoint.load.inFlight === 1);
    const busy = await client()
      .chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'second' }] })
      .then(() => undefined, (error: unknown) => error);
    assert.ok(busy instanceof OpenAI.RateLimitError, String(busy));
    assert.equal(busy.headers?.get('retry-after'), '1');
    held.abort();
    await waitFor('the condition', () => h.endpoint.load.inFlight === 0);
    h.prompter.hold = false;

    h.settings = { ...h.settings, serverSampling: { 'my-script': { requestsPerMinute: 1 } } };
    // The other key's caller is counted apart: its limit is not the script's.
    await client(GATEWAY_TOKEN).chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'other caller' }] });
    const limited = await client()
      .chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'again' }] })
      .then(() => client().chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'and again' }] }))
      .then(() => undefined, (error: unknown) => error);
    assert.ok(limited instanceof OpenAI.RateLimitError, String(limited));
    assert.ok(Number(limited.headers?.get('retry-after')) >= 1);
  });

  it('a caller that aborts cancels its request: the card closes with the reason and the provider call is aborted', async () => {
    h.prompter.hold = true;
    const waiting = new AbortController();
    const pending = client().chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'wait for me' }] }, { signal: waiting.signal });
    await waitFor('the condition', () => h.prompter.approvals.some((a) => JSON.stringify(a.params.messages).includes('wait for me')));
    const id = h.prompter.approvals.at(-1)!.origin.requestId;
    waiting.abort();
    await assert.rejects(pending, OpenAI.APIUserAbortError);
    await waitFor('the condition', () => h.prompter.closed().some((c) => c.id === id));
    assert.deepEqual(h.prompter.closed().find((c) => c.id === id), { id, outcome: 'cancelled', reason: 'the caller disconnected' });

    h.prompter.hold = false;
    h.provider.hang = true;
    const answering = new AbortController();
    const stream = client().chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'stuck' }], stream: true }, { signal: answering.signal });
    await waitFor('the condition', () => h.provider.requests.some((r) => JSON.stringify(r.messages).includes('stuck')));
    answering.abort();
    await assert.rejects(stream);
    await waitFor('the condition', () => h.provider.aborted.length > 0);
    assert.match(String(h.provider.aborted[0]), /the caller disconnected/);
  });

  it('lists the offered models', async () => {
    const ids: string[] = [];
    for await (const model of client().models.list()) ids.push(model.id);
    assert.deepEqual(ids, ['fixture-large', 'fixture-small']);
    assert.equal((await client().models.retrieve('fixture-small')).owned_by, 'Fixture');
  });
});
