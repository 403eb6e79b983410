/**
 * Elicitation checks shared by both routes: the request the server sends, the answer the UI gives
 * (form content against the requested schema), defaults (SEP-1034), and URL mode's consent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyElicitationDefaults,
  createElicitationResponder,
  ElicitationError,
  headlessElicitationPrompter,
  parseElicitationRequest,
  validateElicitationContent,
  type ElicitationPrompter,
  type ElicitResult,
  type RequestedSchema,
} from '../../src/core/rounds/elicitation';

function formSchema(raw: unknown): RequestedSchema {
  const request = parseElicitationRequest(raw);
  if (request.mode !== 'form') throw new Error('expected form mode');
  return request.requestedSchema;
}

const schema = formSchema({
  message: 'Who are you?',
  requestedSchema: {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 2, maxLength: 10, default: 'John Doe' },
      email: { type: 'string', format: 'email' },
      age: { type: 'integer', minimum: 0, maximum: 150, default: 30 },
      score: { type: 'number', default: 95.5 },
      status: { type: 'string', enum: ['active', 'inactive'], default: 'active' },
      size: { type: 'string', oneOf: [{ const: 's', title: 'Small' }, { const: 'l', title: 'Large' }] },
      tags: { type: 'array', items: { type: 'string', enum: ['a', 'b', 'c'] }, maxItems: 2, default: ['a'] },
      verified: { type: 'boolean', default: true },
      broken: { type: 'integer', default: 'not a number' },
    },
    required: ['name', 'email'],
  },
});

test('form content is checked against every kind of property', () => {
  assert.deepEqual(validateElicitationContent(schema, { name: 'Ann', email: 'ann@example.com', age: 40, status: 'inactive', size: 'l', tags: ['a', 'c'], verified: false }), []);
  assert.deepEqual(validateElicitationContent(schema, { name: 'A', email: 'nope', age: 40.5, status: 'gone', size: 'm', tags: ['a', 'z'], verified: 'yes', extra: 1 }), [
    'name: must be at least 2 characters',
    'email: must be a valid email',
    'age: must be an integer',
    'status: must be one of "active", "inactive"',
    'size: must be one of "s", "l"',
    'tags: contains "z", not one of the options',
    'verified: must be true or false',
    'extra: is not in the requested schema',
  ]);
  assert.deepEqual(validateElicitationContent(schema, { email: 'a@b.co', tags: ['a', 'b', 'c'], age: -1 }), [
    'name: is required',
    'tags: must have at most 2 choices',
    'age: must be at least 0',
  ]);
  assert.deepEqual(validateElicitationContent(schema, null), ['content must be an object']);
  assert.deepEqual(validateElicitationContent(schema, { name: 'Ann', email: 'a@b.co', __proto__: { polluted: 1 } }), []);
});

test('defaults (SEP-1034) fill what the user left out, and invalid defaults are ignored', () => {
  assert.deepEqual(applyElicitationDefaults(schema, { name: 'Ann' }), { name: 'Ann', age: 30, score: 95.5, status: 'active', tags: ['a'], verified: true });
});

test('requests the server sends are validated', () => {
  const bad: [unknown, RegExp][] = [
    [null, /params must be an object/],
    [{ message: 1 }, /message must be a string/],
    [{ message: 'm', mode: 'telepathy' }, /unknown elicitation mode/],
    [{ message: 'm', requestedSchema: { type: 'array' } }, /object schema with properties/],
    [{ message: 'm', requestedSchema: { type: 'object', properties: { a: { type: 'object' } } } }, /properties\.a must be a string, number/],
    [{ message: 'm', requestedSchema: { type: 'object', properties: { a: { type: 'array', items: {} } } } }, /items must list its options/],
    [{ message: 'm', requestedSchema: { type: 'object', properties: { a: { type: 'string' } }, required: ['b'] } }, /required must list properties/],
    [{ message: 'm', requestedSchema: { type: 'object', properties: { a: { type: 'number', minimum: 'low' } } } }, /minimum must be a number/],
    [{ message: 'm', mode: 'url', url: 'javascript:alert(1)' }, /url must be http or https/],
    [{ message: 'm', mode: 'url', url: 'not a url' }, /not a valid URL/],
  ];
  for (const [raw, pattern] of bad) assert.throws(() => parseElicitationRequest(raw), (e: unknown) => e instanceof ElicitationError && pattern.test(e.message), String(pattern));
  assert.deepEqual(parseElicitationRequest({ message: 'Go', mode: 'url', url: 'https://example.com/a', elicitationId: 'e1' }), {
    mode: 'url',
    message: 'Go',
    url: 'https://example.com/a',
    elicitationId: 'e1',
  });
});

function scriptedPrompter(form: ElicitResult, url: 'accept' | 'decline' | 'cancel' = 'accept'): ElicitationPrompter & { seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    async elicitForm(request) {
      seen.push(`form:${request.message}`);
      return form;
    },
    async elicitUrl(request) {
      seen.push(`url:${request.url}`);
      return url;
    },
  };
}

const formParams = { message: 'Name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } };

test('the responder passes valid answers, decline and cancel, and refuses answers that break the schema', async () => {
  const signal = new AbortController().signal;
  assert.deepEqual(await createElicitationResponder(scriptedPrompter({ action: 'accept', content: { name: 'Ann' } }))(formParams, 's', signal), { action: 'accept', content: { name: 'Ann' } });
  // Content the user typed before declining never reaches the server.
  assert.deepEqual(await createElicitationResponder(scriptedPrompter({ action: 'decline', content: { name: 'Ann' } }))(formParams, 's', signal), { action: 'decline' });
  assert.deepEqual(await createElicitationResponder(scriptedPrompter({ action: 'cancel' }))(formParams, 's', signal), { action: 'cancel' });
  await assert.rejects(createElicitationResponder(scriptedPrompter({ action: 'accept', content: {} }))(formParams, 's', signal), /does not match the requested schema: name: is required/);
  const urlPrompter = scriptedPrompter({ action: 'cancel' }, 'accept');
  assert.deepEqual(await createElicitationResponder(urlPrompter)({ message: 'Sign in', mode: 'url', url: 'https://example.com/x' }, 's', signal), { action: 'accept' });
  assert.deepEqual(urlPrompter.seen, ['url:https://example.com/x']);
});

test('the headless prompter accepts with defaults when they satisfy the schema, else declines; URLs are declined', async () => {
  const signal = new AbortController().signal;
  const respond = createElicitationResponder(headlessElicitationPrompter);
  assert.deepEqual(await respond({ message: 'm', requestedSchema: { type: 'object', properties: { n: { type: 'integer', default: 3 } }, required: ['n'] } }, 's', signal), {
    action: 'accept',
    content: { n: 3 },
  });
  assert.deepEqual(await respond(formParams, 's', signal), { action: 'decline' });
  assert.deepEqual(await respond({ message: 'm', mode: 'url', url: 'https://example.com' }, 's', signal), { action: 'decline' });
});
