/** The HTTP guard every HTTP provider shares: status mapping, scrubbing, idle timeout, answer bounds. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HTTP_LIMITS, HttpGuard } from '../../src/core/providers/http';
import { ProviderError } from '../../src/core/providers/providerError';
import { silentLogger } from '../../src/core/logger';

const KEY = 'sk-guard-test-key-0123456789';
const guard = new HttpGuard({ label: 'Acme', baseUrl: 'https://llm.internal.example:8443/v1/' }, silentLogger);

test('HTTP statuses map to kinds: 401 and 403 auth, 429 rate limit with its wait, 5xx server, other 4xx request', () => {
  const at = (status: number, retryAfter?: string) => guard.statusError(status, 'detail', { retries: 2, retryAfter });
  assert.deepEqual([401, 403, 429, 500, 503, 400, 404].map((s) => [at(s).kind, at(s).status]), [
    ['auth', 401],
    ['auth', 403],
    ['rate-limit', 429],
    ['server', 500],
    ['server', 503],
    ['request', 400],
    ['request', 404],
  ]);
  assert.match(at(401).message, /API key rejected by Acme: set it with MCP Sampling: Set API Key/);
  assert.match(at(429, '7').message, /after 2 retries \(it asked to wait 7 s\)/);
  assert.doesNotMatch(at(429).message, /asked to wait/);
  assert.match(at(502).message, /^Acme failed with HTTP 502: detail$/);
});

test('texts lose the key and the endpoint address (URL, origin, host) before they are cut', () => {
  const text = `bad key ${KEY} at https://llm.internal.example:8443/v1/chat and llm.internal.example:8443`;
  const scrubbed = guard.scrub(text, KEY);
  assert.doesNotMatch(scrubbed, /sk-guard|internal\.example/);
  assert.match(scrubbed, /<Acme endpoint>/);
  const long = guard.detail(`${'x'.repeat(290)}${KEY}${'y'.repeat(100)}`, KEY);
  assert.doesNotMatch(long, /sk-guard/, 'a key across the cut is still removed');
  assert.ok(long.endsWith('…'));
  const rethrown = guard.otherError(new ProviderError('server', `failed at https://llm.internal.example:8443/v1/ with ${KEY}`, 500), KEY);
  assert.equal(rethrown.status, 500);
  assert.doesNotMatch(rethrown.message, /sk-guard|internal\.example/);
  assert.equal(guard.otherError(new SyntaxError('Unexpected token'), KEY).kind, 'malformed');
});

test('a connection failure names its cause to the server and the endpoint only in the log', () => {
  const lines: string[] = [];
  const logging = new HttpGuard({ label: 'Acme', baseUrl: 'http://10.0.0.7:11434/v1' }, { ...silentLogger, warn: (m: string) => lines.push(m) });
  const error = logging.connectionError(new Error('fetch failed', { cause: { code: 'ECONNREFUSED' } }), undefined);
  assert.equal(error.kind, 'connection');
  assert.match(error.message, /the connection was refused/);
  assert.doesNotMatch(error.message, /10\.0\.0\.7/);
  assert.match(lines.join('\n'), /10\.0\.0\.7/);
});

test('the idle timeout aborts a quiet stream with a timeout error; the caller aborting is not idling', async () => {
  const caller = new AbortController();
  const idle = guard.idleTimeout(caller.signal, 30);
  await new Promise((resolve) => idle.signal.addEventListener('abort', resolve, { once: true }));
  assert.ok(idle.idled);
  assert.ok(idle.signal.reason instanceof ProviderError && idle.signal.reason.kind === 'timeout');
  assert.match(String(idle.signal.reason.message), /Acme stopped sending its answer for 30 ms/);
  idle.dispose();

  const other = new AbortController();
  const second = guard.idleTimeout(other.signal, 10_000);
  other.abort(new Error('cancelled'));
  assert.equal(second.signal.aborted, true);
  assert.equal(second.idled, false);
  second.dispose();
});

test('a streamed answer is bounded: text length, tool call index, name and arguments', () => {
  const answer = guard.boundedAnswer();
  answer.addText('hello');
  answer.addToolCallPart(0, 'c1', 'get_', '{"a"');
  answer.addToolCallPart(0, undefined, 'weather', ':1}');
  answer.addToolCallPart(undefined, undefined, 'second', '{}');
  assert.deepEqual(answer.toolCalls(), [
    { id: 'c1', name: 'get_weather', arguments: '{"a":1}' },
    { id: 'call_1', name: 'second', arguments: '{}' },
  ]);
  assert.throws(() => answer.addText('x'.repeat(HTTP_LIMITS.answerChars)), (e: unknown) => e instanceof ProviderError && e.kind === 'malformed');
  assert.throws(() => guard.boundedAnswer().addToolCallPart(HTTP_LIMITS.toolCalls, 'x', 'n', ''), /index out of range/);
  assert.throws(() => guard.boundedAnswer().addToolCallPart(0, 'x', 'n'.repeat(HTTP_LIMITS.toolNameChars + 1), ''), /name longer/);
  assert.throws(() => guard.boundedAnswer().addToolCallPart(0, 'x', 'n', 'a'.repeat(HTTP_LIMITS.toolArgumentChars + 1)), /arguments longer/);
});
