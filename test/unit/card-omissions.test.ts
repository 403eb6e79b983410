/**
 * What the card leaves out is data (src/vscode/panel/omissions.ts): the English of the card's "not
 * shown" notes is the one it always had, and the host words them through vscode.l10n.t (a stand-in
 * that translates proves it), with the bounds of the list unchanged.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeL10n, installVscodeModule } from '../support/fakeVscode';
import type { ApprovalRequest, SamplingParams } from '../../src/core/sampling/types';
import { ENGLISH_CARD_WORDS, toRequestView } from '../../src/vscode/panel/toView';
import { formatOmission } from '../../src/vscode/panel/omissions';
import { LIMITS } from '../../src/shared/limits';
import { sampleRequest } from './protocol-fixtures';

/** vscode.l10n and the display language as the editor would have them: a few messages translated, the rest in English. */
const GERMAN: Record<string, string> = {
  '{0}: {1} characters not shown': '{0}: {1} Zeichen nicht angezeigt',
  'Message {0} block {1}': 'Nachricht {0}, Block {1}',
  '{0} tool result': '{0}, Werkzeugergebnis',
  '{0}: {1} more blocks not shown': '{0}: {1} weitere Blöcke nicht angezeigt',
  '{0}: image ({1} base64 characters) not shown': '{0}: Bild ({1} Base64-Zeichen) nicht angezeigt',
  'Stop sequence {0}': 'Stoppsequenz {0}',
  'Tools: 1 more tool not shown': 'Werkzeuge: 1 weiteres Werkzeug nicht angezeigt',
  'Temperature {0} is shown as {1}': 'Temperatur {0} wird als {1} angezeigt',
  'and {0} more omissions': 'und {0} weitere Auslassungen',
};
let translations: Record<string, string> = {};
const asked: string[] = [];
const env = { language: 'en' };
installVscodeModule({
  env,
  l10n: {
    t: (message: string, ...args: unknown[]) => {
      asked.push(message);
      return fakeL10n.t(translations[message] ?? message, ...args);
    },
  },
});
const { CARD_WORDS, cardOmission } = require('../../src/vscode/panel/omissionText') as typeof import('../../src/vscode/panel/omissionText');

/** Runs `body` with the editor in `language` and `table` installed. */
function inLanguage<T>(language: string, table: Record<string, string>, body: () => T): T {
  env.language = language;
  translations = table;
  try {
    return body();
  } finally {
    env.language = 'en';
    translations = {};
  }
}

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

/** What the card has always said, in English, of `everyOmission()` (checked against the code before the notes were data). */
const EVERY_NOTE = [
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
];

test('the card says what it leaves out in the English it always had', () => {
  assert.deepEqual(toRequestView(everyOmission(), live, ENGLISH_CARD_WORDS).notShown, EVERY_NOTE);
});

test('the host words every note through vscode.l10n.t, and without a translation says the same English', () => {
  asked.length = 0;
  assert.deepEqual(toRequestView(everyOmission(), live, CARD_WORDS).notShown, EVERY_NOTE);
  assert.ok(asked.includes('{0}: {1} characters not shown') && asked.includes('{0}: audio (1 base64 character) not shown'), 'through l10n.t');
});

test('the card says what it leaves out in the display language, with its numbers grouped as that language groups them', () => {
  const notShown = inLanguage('de', GERMAN, () => toRequestView(everyOmission(), live, CARD_WORDS).notShown ?? []);
  assert.equal(notShown.length, EVERY_NOTE.length);
  for (const note of [
    'Temperatur 5 wird als 2 angezeigt',
    'Nachricht 1, Block 1: 81 Zeichen nicht angezeigt',
    'Nachricht 1, Block 2: Bild (4 Base64-Zeichen) nicht angezeigt',
    // Untranslated messages stay English, with the translated place inside them.
    'Nachricht 1, Block 3: audio (1 base64 character) not shown',
    'Nachricht 1, Block 8, Werkzeugergebnis: 2 weitere Blöcke nicht angezeigt',
    'Stoppsequenz 1: 2.071 Zeichen nicht angezeigt',
    'Werkzeuge: 1 weiteres Werkzeug nicht angezeigt',
  ]) {
    assert.ok(notShown.includes(note), `${note} in ${JSON.stringify(notShown)}`);
  }
});

test('every kind of note has a singular of its own, and the host\'s English is the diff\'s', () => {
  const place = { inMessage: { message: 2, block: 3 }, inToolResult: 4 };
  const omissions = [
    { kind: 'characters', field: { kind: 'block', place, part: 'resource-text' }, count: 1 },
    { kind: 'characters', field: { kind: 'tool', tool: 7, part: 'input-schema' }, count: 12345 },
    { kind: 'items', list: { kind: 'messages' }, count: 1 },
    { kind: 'items', list: { kind: 'stop-sequences' }, count: 2 },
    { kind: 'items', list: { kind: 'tools' }, count: 1200 },
    { kind: 'items', list: { kind: 'message-blocks', message: 5 }, count: 1 },
    { kind: 'items', list: { kind: 'tool-result-blocks', place: { inMessage: { message: 1, block: 1 } } }, count: 1 },
    { kind: 'media', place: {}, media: 'image', characters: 1 },
    { kind: 'media', place, media: 'resource-blob', characters: 1 },
    { kind: 'media', place, media: 'audio', characters: 5000 },
    { kind: 'more', count: 1 },
    { kind: 'more', count: 3 },
  ] as const;
  assert.deepEqual(omissions.map(cardOmission), [
    'Message 2 block 3 tool result block 4 resource text: 1 character not shown',
    'Tool 7 input schema: 12,345 characters not shown',
    'Messages: 1 more message not shown',
    'Stop sequences: 2 more stop sequences not shown',
    'Tools: 1,200 more tools not shown',
    'Message 5: 1 more block not shown',
    'Message 1 block 1 tool result: 1 more block not shown',
    'Block: image (1 base64 character) not shown',
    'Message 2 block 3 tool result block 4: resource blob (1 base64 character) not shown',
    'Message 2 block 3 tool result block 4: audio (5,000 base64 characters) not shown',
    'and 1 more omission',
    'and 3 more omissions',
  ]);
  assert.deepEqual(omissions.map(formatOmission), omissions.map(cardOmission));
});

test('the list keeps its bound: LIMITS.warnings notes at most, the last saying how many more', () => {
  const tools = Array.from({ length: LIMITS.warnings + 100 }, () => ({ name: 'n'.repeat(LIMITS.name + 1), inputSchema: { type: 'object' as const } }));
  const request = { ...sampleRequest(), params: { ...sampleRequest().params, tools } };
  const english = toRequestView(request, live, ENGLISH_CARD_WORDS).notShown ?? [];
  assert.equal(english.length, LIMITS.warnings);
  assert.equal(english[0], 'Tool 1 name: 72 characters not shown');
  assert.equal(english.at(-1), 'and 101 more omissions');
  assert.deepEqual(toRequestView(request, live, CARD_WORDS).notShown, english);
  const german = inLanguage('de', GERMAN, () => toRequestView(request, live, CARD_WORDS).notShown ?? []);
  assert.equal(german.length, LIMITS.warnings);
  assert.equal(german.at(-1), 'und 101 weitere Auslassungen');
  // A translation longer than the bound is cut like any note.
  const long = inLanguage('de', { 'Tool {0} name': 'W'.repeat(LIMITS.reason * 2) }, () => toRequestView(request, live, CARD_WORDS).notShown ?? []);
  assert.ok(long.every((note) => note.length <= LIMITS.reason) && long[0]!.endsWith('…'));
});
