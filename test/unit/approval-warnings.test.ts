/**
 * The card's warnings are data (core/approval/warnings.ts): core's English for logs and tests keeps
 * the sentences it always had, and the host words the card's through vscode.l10n.t (a stand-in that
 * translates proves it), the same English when no translation is installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeL10n, installVscodeModule } from '../support/fakeVscode';
import { formatWarning, hiddenCharacterWarning, type RequestWarning } from '../../src/core/approval/warnings';
import { hiddenCharacterWarnings } from '../../src/core/sampling/hiddenCharacters';
import { buildApprovalRequest } from '../../src/core/sampling/approvalRequest';
import { effectiveApproval } from '../../src/core/sampling/approvalScope';
import { DEFAULT_SAMPLING_SETTINGS } from '../../src/core/sampling/settings';
import { toRequestView } from '../../src/vscode/panel/toView';
import { LIMITS } from '../../src/shared/limits';
import { sampleRequest } from './protocol-fixtures';

/** vscode.l10n as a display language would have it: a few messages translated, the rest in English. */
const GERMAN: Record<string, string> = {
  'Server name': 'Servername',
  'Message {0} ({1}), block {2}': 'Nachricht {0} ({1}), Block {2}',
  '{0} tool_result': '{0} tool_result',
  '{0} structuredContent': '{0} structuredContent',
  '{0} contains 1 hidden or bidi-override character: {1}': '{0} enthält 1 verborgenes oder Bidi-Zeichen: {1}',
  '{0} contains at least {1} hidden characters: {2}': '{0} enthält mindestens {1} verborgene Zeichen: {2}',
  '{0}, and {1} more kinds': '{0} und {1} weitere Arten',
  'maxTokens lowered from {0} to {1} by {2}': 'maxTokens von {0} auf {1} gesenkt durch {2}',
};
let translations: Record<string, string> = {};
const asked: string[] = [];
installVscodeModule({
  l10n: {
    t: (message: string, ...args: unknown[]) => {
      asked.push(message);
      return fakeL10n.t(translations[message] ?? message, ...args);
    },
  },
});
const { cardWarning } = require('../../src/vscode/panel/warningText') as typeof import('../../src/vscode/panel/warningText');
const { CARD_WORDS } = require('../../src/vscode/panel/omissionText') as typeof import('../../src/vscode/panel/omissionText');

const live = { state: 'pending', step: 'approval', responseText: '' } as const;
const hidden = (field: Parameters<typeof hiddenCharacterWarning>[0], text: string): RequestWarning => hiddenCharacterWarning(field, text)!;

/** One of each kind and field, with the English core has always written for it. */
const ENGLISH: readonly [RequestWarning, string][] = [
  [hidden({ kind: 'system-prompt' }, 'a\u200Bb\u200Bc\u200B'), 'System prompt contains 3 hidden characters: U+200B ZERO WIDTH SPACE'],
  [hidden({ kind: 'server-name' }, 'x\u202Ey'), 'Server name contains 1 hidden or bidi-override characters: U+202E RIGHT-TO-LEFT OVERRIDE'],
  [hidden({ kind: 'tool-call-name' }, 'x\u200By'), 'Tool call name contains 1 hidden characters: U+200B ZERO WIDTH SPACE'],
  [hidden({ kind: 'running-tool-call-name' }, 'x\u200By'), 'Running tool call name contains 1 hidden characters: U+200B ZERO WIDTH SPACE'],
  [hidden({ kind: 'tool', tool: 'get', part: 'name' }, '\u200B'), 'Tool name "get" contains 1 hidden characters: U+200B ZERO WIDTH SPACE'],
  [hidden({ kind: 'tool', tool: 'get', part: 'description' }, '\u2066'), 'Tool "get" description contains 1 hidden or bidi-override characters: U+2066 LEFT-TO-RIGHT ISOLATE'],
  [hidden({ kind: 'tool', tool: 'get', part: 'inputSchema' }, '\u200D'), 'Tool "get" inputSchema contains 1 hidden characters: U+200D ZERO WIDTH JOINER'],
  [
    hidden({ kind: 'message', message: 2, role: 'user', block: 1, inToolResult: true, part: { kind: 'structured-content' } }, '\u202E\u2066\u200B\u200C\u200D\u2060\u{E0041}\u{E0041}'),
    'Message 2 (user), block 1 tool_result structuredContent contains 8 hidden or bidi-override characters: U+202E RIGHT-TO-LEFT OVERRIDE, U+2066 LEFT-TO-RIGHT ISOLATE, U+200B ZERO WIDTH SPACE, U+200C ZERO WIDTH NON-JOINER, U+200D ZERO WIDTH JOINER, and 2 more kinds',
  ],
  [hidden({ kind: 'message', message: 1, role: 'user', part: { kind: 'text' } }, '\u200B'.repeat(1500)), 'Message 1 (user) contains at least 1000 hidden characters: U+200B ZERO WIDTH SPACE'],
  [hidden({ kind: 'message', message: 1, role: 'user', block: 3, inToolResult: true, part: { kind: 'resource' } }, '\u200B\u200B'), 'Message 1 (user), block 3 tool_result resource contains 2 hidden characters: U+200B ZERO WIDTH SPACE'],
  [hidden({ kind: 'message', message: 1, role: 'assistant', block: 1, part: { kind: 'resource-link' } }, '\u200B\u200B'), 'Message 1 (assistant), block 1 resource link contains 2 hidden characters: U+200B ZERO WIDTH SPACE'],
  [hidden({ kind: 'message', message: 1, role: 'user', part: { kind: 'media-type', media: 'image' } }, '\u200B\u200B'), 'Message 1 (user) image mimeType contains 2 hidden characters: U+200B ZERO WIDTH SPACE'],
  [hidden({ kind: 'message', message: 4, role: 'assistant', block: 2, part: { kind: 'tool-use-name' } }, '\u200B\u200B'), 'Message 4 (assistant), block 2 tool_use name contains 2 hidden characters: U+200B ZERO WIDTH SPACE'],
  [hidden({ kind: 'message', message: 4, role: 'assistant', block: 2, part: { kind: 'tool-use-input' } }, '\u200B\u200B'), 'Message 4 (assistant), block 2 tool_use input contains 2 hidden characters: U+200B ZERO WIDTH SPACE'],
  [hidden({ kind: 'message', message: 1, role: 'user', block: 1, inToolResult: true, part: { kind: 'block', type: 'tool_use' } }, '\u200B\u200B'), 'Message 1 (user), block 1 tool_result tool_use contains 2 hidden characters: U+200B ZERO WIDTH SPACE'],
  [
    { kind: 'approval-not-applied', reason: 'other-definition', setting: 'mcpSampling.serverSampling["docs"].approval', serverName: 'docs', source: '/b/.vscode/mcp.json' },
    'mcpSampling.serverSampling["docs"].approval is "auto" for another definition of "docs", not the one in /b/.vscode/mcp.json: you are asked. "Always allow" allows this definition only.',
  ],
  [
    { kind: 'approval-not-applied', reason: 'no-definition', setting: 'mcpSampling.serverSampling["docs"].approval', serverName: 'docs', source: '/b/.vscode/mcp.json' },
    'mcpSampling.serverSampling["docs"].approval is "auto" but names no definition, and "docs" is defined by a workspace (/b/.vscode/mcp.json): you are asked. "Always allow" allows this definition only.',
  ],
  [
    { kind: 'approval-not-applied', reason: 'workspace-server', setting: 'mcpSampling.approval', serverName: 'docs', source: '/b/.vscode/mcp.json' },
    'mcpSampling.approval is "auto", which does not apply to a server a workspace defines (/b/.vscode/mcp.json): you are asked. "Always allow" allows this definition only.',
  ],
  [{ kind: 'max-tokens-lowered', requested: 9000, cap: 10, setting: 'mcpSampling.limits.maxTokensCap' }, 'maxTokens lowered from 9000 to 10 by mcpSampling.limits.maxTokensCap'],
  [{ kind: 'prompt-over-limit', estimate: 120, limit: 5, model: 'small' }, 'The prompt is about 120 tokens (estimated as characters / 4), more than the 5 that small accepts'],
];

test('core says each warning in the English it always had (logs, tests)', () => {
  for (const [warning, english] of ENGLISH) assert.equal(formatWarning(warning), english);
});

test('core decides warnings as data: the field, the count, the kinds and how many more', () => {
  const [warning] = hiddenCharacterWarnings({
    maxTokens: 5,
    messages: [{ role: 'user', content: [{ type: 'tool_result', toolUseId: 'c', content: [], structuredContent: { note: 'a\u202Eb\u200Bc' } }] }],
  });
  assert.deepEqual(warning, {
    kind: 'hidden-characters',
    field: { kind: 'message', message: 1, role: 'user', block: 1, inToolResult: true, part: { kind: 'structured-content' } },
    found: { count: 2, atLeast: false, bidi: true, kinds: [{ codePoint: 0x202e, name: 'RIGHT-TO-LEFT OVERRIDE' }, { codePoint: 0x200b, name: 'ZERO WIDTH SPACE' }], moreKinds: 0 },
  });
  const request = buildApprovalRequest(
    { requestId: 'r', serverName: 's', serverSource: 'user', route: 'server-request', signal: new AbortController().signal },
    { params: { messages: [{ role: 'user', content: { type: 'text', text: 'word '.repeat(40) } }], maxTokens: 10 }, bytes: 200, maxTokensLowered: { requested: 9000, cap: 10, setting: 'mcpSampling.limits.maxTokensCap' } },
    { providerId: 'p', model: 'small', reason: 'test' },
    [{ id: 'p', label: 'P', models: [{ id: 'small', maxInputTokens: 5 }] }],
    0,
  );
  assert.deepEqual(request.warnings, [
    { kind: 'max-tokens-lowered', requested: 9000, cap: 10, setting: 'mcpSampling.limits.maxTokensCap' },
    { kind: 'prompt-over-limit', estimate: request.tokenEstimate, limit: 5, model: 'small' },
  ]);
  const scope = effectiveApproval({ ...DEFAULT_SAMPLING_SETTINGS, approval: 'auto' }, { serverName: 'docs', workspaceDefinition: { source: '/b/.vscode/mcp.json', fingerprint: 'f' } });
  assert.deepEqual(scope.notApplied, { kind: 'approval-not-applied', reason: 'workspace-server', setting: 'mcpSampling.approval', serverName: 'docs', source: '/b/.vscode/mcp.json' });
});

test('the card says every warning through vscode.l10n.t, in the display language', () => {
  translations = GERMAN;
  try {
    const request = {
      ...sampleRequest(),
      origin: { ...sampleRequest().origin, serverName: 'trusted\u202Eevil' },
      warnings: [ENGLISH[7]![0], ENGLISH[8]![0], { kind: 'max-tokens-lowered', requested: 9000, cap: 10, setting: 'mcpSampling.limits.maxTokensCap' }] satisfies RequestWarning[],
    };
    assert.deepEqual(toRequestView(request, live, CARD_WORDS).warnings, [
      'Servername enthält 1 verborgenes oder Bidi-Zeichen: U+202E RIGHT-TO-LEFT OVERRIDE',
      'Nachricht 2 (user), Block 1 tool_result structuredContent contains 8 hidden or bidi-override characters: U+202E RIGHT-TO-LEFT OVERRIDE, U+2066 LEFT-TO-RIGHT ISOLATE, U+200B ZERO WIDTH SPACE, U+200C ZERO WIDTH NON-JOINER, U+200D ZERO WIDTH JOINER und 2 weitere Arten',
      'Message 1 (user) enthält mindestens 1000 verborgene Zeichen: U+200B ZERO WIDTH SPACE',
      'maxTokens von 9000 auf 10 gesenkt durch mcpSampling.limits.maxTokensCap',
    ]);
  } finally {
    translations = {};
  }
});

test('every warning the card shows is a message the l10n bundle can translate, and its English is core\'s but for the singular', () => {
  for (const [warning, english] of ENGLISH) {
    asked.length = 0;
    const said = cardWarning(warning);
    assert.ok(asked.length > 0, `${english}: not through l10n.t`);
    assert.equal(said, english.replace(/ contains 1 (hidden(?: or bidi-override)? character)s/, ' contains 1 $1'));
  }
});

test('the card keeps its bounds: at most LIMITS.warnings warnings, each clipped to LIMITS.reason', () => {
  const long: RequestWarning = { kind: 'prompt-over-limit', estimate: 1, limit: 0, model: 'm'.repeat(LIMITS.reason * 2) };
  const view = toRequestView({ ...sampleRequest(), warnings: Array.from({ length: LIMITS.warnings + 5 }, () => long) }, live, CARD_WORDS);
  assert.equal(view.warnings.length, LIMITS.warnings);
  assert.ok(view.warnings.every((w) => w.length <= LIMITS.reason));
});
