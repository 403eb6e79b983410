import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { computeEdits } from '../../src/webview/drafts';
import { requestAsText } from '../../src/shared/requestText';
import { lineDiff } from '../../src/webview/lineDiff';
import { readPersistedState } from '../../src/webview/persisted';
import { pendingStatusText } from '../../src/vscode/panel/statusText';
import { sampleView } from './protocol-fixtures';

test('an untouched or unchanged draft yields no edits', () => {
  const view = sampleView();
  assert.deepEqual(computeEdits(view, {}), { edited: new Set(), errors: [] });
  const same = computeEdits(view, { systemPrompt: 'You are terse.', messages: { '0': 'Say hello' }, maxTokens: '100', temperature: '0.5', providerId: 'vscode-lm', model: 'gpt-4o' });
  assert.equal(same.edits, undefined);
  assert.equal(same.edited.size, 0);
});

test('changed fields become edits and are marked edited', () => {
  const r = computeEdits(sampleView(), { systemPrompt: 'New', messages: { '0': 'Changed' }, maxTokens: ' 250 ', temperature: '', providerId: 'local', model: 'llama3' });
  assert.deepEqual(r.edits, { systemPrompt: 'New', messages: [{ index: 0, text: 'Changed' }], maxTokens: 250, temperature: null, providerId: 'local', model: 'llama3' });
  assert.deepEqual([...r.edited].sort(), ['max-tokens', 'message-0', 'model', 'provider', 'system-prompt', 'temperature']);
  assert.deepEqual(r.errors, []);
});

test('messages that are not a single text block are never sent as edits', () => {
  const r = computeEdits(sampleView(), { messages: { '1': 'tries to replace an image message', '9': 'no such message' } });
  assert.equal(r.edits, undefined);
});

test('bad numbers block approval with a message', () => {
  assert.equal(computeEdits(sampleView(), { maxTokens: '1.5' }).errors.length, 1);
  assert.equal(computeEdits(sampleView(), { maxTokens: '0' }).errors.length, 1);
  assert.equal(computeEdits(sampleView(), { maxTokens: '' }).errors.length, 1);
  assert.equal(computeEdits(sampleView(), { temperature: '3' }).errors.length, 1);
  assert.equal(computeEdits(sampleView(), { temperature: 'warm' }).errors.length, 1);
  assert.equal(computeEdits(sampleView(), { model: '  ' }).errors.length, 1);
  assert.deepEqual(computeEdits(sampleView({ temperature: undefined }), { temperature: '' }).edits, undefined, 'clearing an absent temperature is no edit');
});

test('lineDiff of a 300,000-line text edited in its first line (the long-text editor\'s caret starts there) does not overflow the stack', () => {
  const before = Array.from({ length: 300_000 }, (_, i) => `line ${i}`).join('\n');
  const lines = lineDiff(before, `edited ${before}`);
  assert.equal(lines.length, 300_001);
  assert.deepEqual(lines.slice(0, 3), [{ kind: 'removed', text: 'line 0' }, { kind: 'added', text: 'edited line 0' }, { kind: 'same', text: 'line 1' }]);
  assert.deepEqual(lines.at(-1), { kind: 'same', text: 'line 299999' });
});

test('lineDiff marks added and removed lines and keeps the rest', () => {
  assert.deepEqual(lineDiff('a\nb\nc', 'a\nB\nc\nd'), [
    { kind: 'same', text: 'a' },
    { kind: 'removed', text: 'b' },
    { kind: 'added', text: 'B' },
    { kind: 'same', text: 'c' },
    { kind: 'added', text: 'd' },
  ]);
  assert.deepEqual(lineDiff('same', 'same'), [{ kind: 'same', text: 'same' }]);
});

test('lineDiff always reconstructs both sides', () => {
  const lines = fc.array(fc.constantFrom('a', 'b', 'c', ''), { maxLength: 30 }).map((l) => l.join('\n'));
  fc.assert(
    fc.property(lines, lines, (a, b) => {
      const d = lineDiff(a, b);
      assert.equal(d.filter((l) => l.kind !== 'added').map((l) => l.text).join('\n'), a);
      assert.equal(d.filter((l) => l.kind !== 'removed').map((l) => l.text).join('\n'), b);
    }),
    { numRuns: 300 },
  );
});

test('requestAsText is the one request text: the draft\'s edits change exactly their lines', () => {
  const view = sampleView();
  const original = requestAsText(view);
  const edited = requestAsText(view, computeEdits(view, { systemPrompt: 'Different', messages: { '0': 'Edited text' }, temperature: '' }).edits);
  assert.match(original, /You are terse\./);
  const changed = lineDiff(original, edited).filter((l) => l.kind !== 'same');
  assert.deepEqual(changed, [
    { kind: 'removed', text: 'temperature: 0.5' },
    { kind: 'added', text: 'temperature: (default)' },
    { kind: 'removed', text: 'You are terse.' },
    { kind: 'added', text: 'Different' },
    { kind: 'removed', text: 'Say hello' },
    { kind: 'added', text: 'Edited text' },
  ]);
  assert.equal(requestAsText(view, {}), original, 'no edits, no difference');
  assert.match(requestAsText(view, { providerId: 'local', model: 'llama3' }), /^provider: local\nmodel: llama3\n/);
});

test('requestAsText\'s headings come in the panel\'s words, its messages numbered from 1 as the card names them', () => {
  const { PANEL_STRINGS, wordsOf } = require('../../src/shared/panelStrings') as typeof import('../../src/shared/panelStrings');
  const view = sampleView({ notShown: ['Tools: 2 more tools not shown'] });
  const english = requestAsText(view, { temperature: null });
  assert.match(english, /\n=== System prompt ===\nYou are terse\.\n\n=== Message 1 \(user\) ===\nSay hello\n\n=== Message 2 \(assistant\) ===\n/);
  assert.match(english, /\ntemperature: \(default\)\n/);
  assert.match(english, /\n=== Not shown in the panel \(unchanged\) ===\nTools: 2 more tools not shown\n$/);
  const german = wordsOf({ ...PANEL_STRINGS, systemPrompt: 'Systemprompt', messageName: 'Nachricht {0} ({1})', modelDefault: 'Standard', notShownHeading: 'Nicht im Panel gezeigt (unverändert)' });
  const translated = requestAsText(view, { temperature: null }, german);
  assert.match(translated, /\n=== Systemprompt ===\n/);
  assert.match(translated, /\n=== Nachricht 1 \(user\) ===\nSay hello\n/);
  assert.match(translated, /\ntemperature: \(Standard\)\n/);
  assert.match(translated, /\n=== Nicht im Panel gezeigt \(unverändert\) ===\n/);
  assert.doesNotMatch(translated, /System prompt|Message 1/);
});

test('persisted webview state is read defensively', () => {
  assert.deepEqual(readPersistedState(undefined), { drafts: {}, shown: [] });
  assert.deepEqual(readPersistedState('junk'), { drafts: {}, shown: [] });
  const state = readPersistedState({
    drafts: { r1: { systemPrompt: 'x', maxTokens: 5, messages: { '0': 'a', bad: 'b', '1': 2 }, extra: 'y' } },
    shown: [{ requestId: 'r1', serverName: 's' }, { requestId: 3 }, 'x'],
  });
  assert.deepEqual(state, { drafts: { r1: { systemPrompt: 'x', messages: { '0': 'a' } } }, shown: [{ requestId: 'r1', serverName: 's' }] });
});

test('status bar text counts waiting requests', () => {
  assert.deepEqual(pendingStatusText(2), { text: '$(inbox) 2', tooltip: "MCP Sampling: 2 requests wait for you (sampling requests and servers' forms). Click to open the approval panel." });
  assert.match(pendingStatusText(1).tooltip, /1 request waits/);
});
