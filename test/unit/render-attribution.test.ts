// Issue 23, item 7: the card says "during tool call X" only when the request provably belongs to X
// (an input_required round of that call); a 2025-11-25 request that merely arrived while X ran says
// "while X was running". The host's view builder keeps the two apart; the webview words them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installFakeDom, type FakeElement } from './render-fake-dom';
import type { RequestView } from '../../src/shared/protocol';
import { parseHostMessage } from '../../src/shared/protocol';
import { ENGLISH_CARD_WORDS, toRequestView } from '../../src/vscode/panel/toView';
import { sampleRequest } from './protocol-fixtures';

installFakeDom();
const { renderCard } = require('../../src/webview/card') as { renderCard(view: RequestView, draft: object, ui: { diffOpen: boolean; rejecting: boolean }): unknown };

const live = { state: 'pending', step: 'approval', responseText: '' } as const;
const header = (view: RequestView) => (renderCard(view, {}, { diffOpen: false, rejecting: false }) as FakeElement).querySelector('header')!.textContent;

test('a request that only arrived while a tool ran is not said to come from it', () => {
  const base = sampleRequest();
  const { toolCall: _proven, ...origin } = base.origin;
  const view = toRequestView({ ...base, origin: { ...origin, runningToolCall: { name: 'search', caller: '"Claude Code" via the gateway' } } }, live, ENGLISH_CARD_WORDS);
  assert.equal(view.toolCallName, undefined);
  assert.equal(view.runningToolName, 'search');
  assert.equal(view.toolCaller, '"Claude Code" via the gateway');
  // The webview's reader accepts the new field.
  const read = parseHostMessage(JSON.parse(JSON.stringify({ type: 'request-added', request: view }))) as { request: RequestView } | undefined;
  assert.equal(read?.request.runningToolName, 'search');
  const text = header(view);
  assert.match(text, /while search was running/);
  assert.doesNotMatch(text, /during tool call/);
});

test('a request proven to belong to a tool call (an input_required round) says "during tool call"', () => {
  const base = sampleRequest();
  const view = toRequestView({ ...base, origin: { ...base.origin, route: 'input-required', toolCall: { name: 'summarize' } } }, live, ENGLISH_CARD_WORDS);
  assert.equal(view.toolCallName, 'summarize');
  assert.equal(view.runningToolName, undefined);
  assert.match(header(view), /during tool call summarize/);
});
