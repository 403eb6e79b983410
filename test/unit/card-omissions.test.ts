/**
 * What the card leaves out is data (src/vscode/panel/omissions.ts): the English of the card's "not
 * shown" notes is the one it always had, and the host words them through vscode.l10n.t (a stand-in
 * that translates proves it), with the bounds of the list unchanged.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeL10n, installVscodeModule } from '../support/fakeVscode';
import type { ApprovalRequest, SamplingParams } from '../../src/core/sampling/types';
import { toRequestView } from '../../src/vscode/panel/toView';
import { LIMITS } from '../../src/shared/limits';
import { formatWarning } from '../../src/core/approval/warnings';
import { sampleRequest } from './protocol-fixtures';

const live = { state: 'pending', step: 'approval', responseText: '' } as const;
const over = (max: number, c = 'x'): string => c.repeat(max + 5);

/** One request that makes the card leave out something of every kind, in every place. */
function everyOmission(): ApprovalRequest {
  const longText = over(LIMITS.text);
  const bigJson = { blob: 'j'.repeat(LIMITS.json) };
  const many = <T>(n: number, item: T): T[] => Array.from({ length: n }, () => item);
  const params = {
    systemPrompt: longText,
    temperature: 5,
    stopSequences: ['s'.repeat(LIMITS.name + 2000), ...many(LIMITS.stopSequences, 'END')],
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: longText },
          { type: 'image', mimeType: 'not a type', data: 'AAAA' },
          { type: 'audio', mimeType: 'audio/wav ', data: 'A' },
          { type: 'tool_use', id: 'c', name: over(LIMITS.name), input: bigJson },
          { type: 'resource_link', uri: over(LIMITS.uri), name: 'r' },
          { type: 'resource', resource: { uri: over(LIMITS.uri), blob: 'QUJD' } },
          { type: 'resource', resource: { uri: 'file:///a', text: longText } },
          { type: 'tool_result', toolUseId: 'c', content: [{ type: 'text', text: longText }, ...many(LIMITS.blocks + 1, { type: 'text', text: 'x' })], structuredContent: bigJson },
          { type: 'mystery', payload: bigJson },
          ...many(LIMITS.blocks - 8, { type: 'text', text: 'x' }),
        ],
      },
      ...many(LIMITS.messages + 2, { role: 'user', content: { type: 'text', text: 'x' } }),
    ],
    metadata: bigJson,
    tools: [{ name: over(LIMITS.name), description: longText, inputSchema: { type: 'object', blob: bigJson.blob } }, ...many(LIMITS.tools, { name: 't', inputSchema: { type: 'object' } })],
  } as unknown as SamplingParams;
  return { ...sampleRequest(), params };
}

test('the card says what it leaves out in the English it always had', () => {
  const request = everyOmission();
  const notShown = toRequestView(request, live, formatWarning).notShown ?? [];
  assert.deepEqual(notShown, [
    'Temperature 5 is shown as 2',
    'Stop sequences: 1 more stop sequence not shown',
    'System prompt: 81 characters not shown',
    'Messages: 3 more messages not shown',
    'Message 1: 1 more block not shown',
    'Message 1 block 1: 81 characters not shown',
    'Message 1 block 2: image (4 base64 characters) not shown',
    'Message 1 block 3: audio (1 base64 character) not shown',
    'Message 1 block 4 tool name: 76 characters not shown',
    'Message 1 block 4 tool input: 91 characters not shown',
    'Message 1 block 5 resource URI: 76 characters not shown',
    'Message 1 block 6: resource blob (4 base64 characters) not shown',
    'Message 1 block 6 resource URI: 76 characters not shown',
    'Message 1 block 7 resource text: 81 characters not shown',
    'Message 1 block 8 tool result: 2 more blocks not shown',
    'Message 1 block 8 tool result block 1: 81 characters not shown',
    'Message 1 block 8 structured content: 91 characters not shown',
    'Message 1 block 9: 133 characters not shown',
    'Stop sequence 1: 2,071 characters not shown',
    'Metadata: 91 characters not shown',
    'Tools: 1 more tool not shown',
    'Tool 1 name: 76 characters not shown',
    'Tool 1 description: 81 characters not shown',
    'Tool 1 input schema: 111 characters not shown',
  ]);
});

test('the list keeps its bound: LIMITS.warnings notes at most, the last saying how many more', () => {
  const tools = Array.from({ length: LIMITS.warnings + 100 }, () => ({ name: 'n'.repeat(LIMITS.name + 1), inputSchema: { type: 'object' as const } }));
  const notShown = toRequestView({ ...sampleRequest(), params: { ...sampleRequest().params, tools } }, live, formatWarning).notShown ?? [];
  assert.equal(notShown.length, LIMITS.warnings);
  assert.equal(notShown[0], 'Tool 1 name: 72 characters not shown');
  assert.equal(notShown.at(-1), 'and 101 more omissions');
  assert.ok(notShown.every((note) => note.length <= LIMITS.reason));
});
