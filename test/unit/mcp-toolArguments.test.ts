import { test } from 'node:test';
import assert from 'node:assert/strict';
import { convertFieldValue, planToolArguments, skeletonFor } from '../../src/core/mcp/toolArguments';
import { toolResultToMarkdown } from '../../src/core/mcp/toolResultMarkdown';

test('a flat schema becomes one field per property, with types, required, enum and defaults', () => {
  const plan = planToolArguments({
    type: 'object',
    properties: {
      prompt: { type: 'string', description: 'The prompt' },
      maxTokens: { type: 'integer', default: 100 },
      temperature: { type: ['number', 'null'] },
      stream: { type: 'boolean' },
      mode: { enum: ['a', 'b'] },
    },
    required: ['prompt'],
  });
  assert.equal(plan.kind, 'flat');
  if (plan.kind !== 'flat') return;
  assert.deepEqual(plan.fields, [
    { name: 'prompt', type: 'string', required: true, description: 'The prompt' },
    { name: 'maxTokens', type: 'integer', required: false, defaultValue: 100 },
    { name: 'temperature', type: 'number', required: false },
    { name: 'stream', type: 'boolean', required: false },
    { name: 'mode', type: 'string', required: false, enumValues: ['a', 'b'] },
  ]);
});

test('no properties means no arguments; nested schemas get a JSON skeleton', () => {
  assert.deepEqual(planToolArguments({ type: 'object' }), { kind: 'none' });
  assert.deepEqual(planToolArguments(undefined), { kind: 'none' });
  const plan = planToolArguments({
    type: 'object',
    properties: { name: { type: 'string' }, options: { type: 'object', properties: { depth: { type: 'integer', default: 2 }, tags: { type: 'array', items: { type: 'string' } } } } },
  });
  assert.equal(plan.kind, 'json');
  if (plan.kind !== 'json') return;
  assert.deepEqual(JSON.parse(plan.skeleton), { name: '', options: { depth: 2, tags: [''] } });
});

test('skeletonFor uses examples, enum, const, anyOf and stops at a bounded depth', () => {
  assert.equal(skeletonFor({ type: 'string', examples: ['x'] }), 'x');
  assert.equal(skeletonFor({ enum: [3, 4] }), 3);
  assert.equal(skeletonFor({ const: 'k' }), 'k');
  assert.equal(skeletonFor({ anyOf: [{ type: 'number' }, { type: 'string' }] }), 0);
  const deep: Record<string, unknown> = {};
  let cursor = deep;
  for (let i = 0; i < 20; i++) {
    const next: Record<string, unknown> = {};
    cursor['type'] = 'object';
    cursor['properties'] = { child: next };
    cursor = next;
  }
  assert.ok(JSON.stringify(skeletonFor(deep)).includes('null'), 'recursion is cut off');
});

test('convertFieldValue converts and rejects per type', () => {
  const int = { name: 'n', type: 'integer' as const, required: true };
  assert.deepEqual(convertFieldValue(int, '42'), { ok: true, value: 42 });
  assert.equal(convertFieldValue(int, '4.5').ok, false);
  assert.equal(convertFieldValue(int, 'abc').ok, false);
  assert.equal(convertFieldValue(int, '').ok, false);
  assert.deepEqual(convertFieldValue({ name: 'b', type: 'boolean', required: false }, 'true'), { ok: true, value: true });
  assert.equal(convertFieldValue({ name: 'b', type: 'boolean', required: false }, 'yes').ok, false);
  assert.deepEqual(convertFieldValue({ name: 's', type: 'string', required: false }, ''), { ok: true, value: undefined });
  assert.deepEqual(convertFieldValue({ name: 's', type: 'string', required: false }, ' a b '), { ok: true, value: ' a b ' });
  assert.deepEqual(convertFieldValue({ name: 'x', type: 'number', required: false }, '-1.5'), { ok: true, value: -1.5 });
});

test('toolResultToMarkdown renders text, JSON, images, resources, errors and structured content safely', () => {
  const md = toolResultToMarkdown('srv', 'tool', { a: 1 }, {
    isError: true,
    content: [
      { type: 'text', text: 'plain ``` with a fence' },
      { type: 'text', text: '{"k":[1,2]}' },
      { type: 'image', data: 'AAAA', mimeType: 'image/png' },
      { type: 'resource', resource: { uri: 'file:///x.txt', mimeType: 'text/plain', text: 'inside' } },
      { type: 'resource_link', uri: 'file:///y', name: 'y' },
    ],
    structuredContent: { ok: false },
  });
  assert.match(md, /^# tool on srv/);
  assert.match(md, /\*\*The tool reported an error\.\*\*/);
  assert.match(md, /````text\nplain ``` with a fence\n````/, 'the fence is longer than the content\'s backticks');
  assert.match(md, /```json\n\{\n {2}"k": \[/);
  assert.match(md, /_image \(image\/png, about 3 bytes\)_/);
  assert.match(md, /Resource `file:\/\/\/x\.txt` \(text\/plain\)\n\n```text\ninside\n```/);
  assert.match(md, /Resource link: `file:\/\/\/y` \(y\)/);
  assert.match(md, /## Structured content\n\n```json\n\{\n {2}"ok": false\n\}\n```/);
});
