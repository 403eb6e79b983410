/**
 * Red team round 3, items 2-4: a hostile repository cannot widen what its allowed server reaches.
 * `"gateway": true` is part of what the user allows (the modal names it, adding it asks again); an
 * envFile's contents are part of it too (the modal lists the variable names it sets, a `git pull`
 * that edits the file asks again); in an untrusted workspace no server reads `${workspaceFolder}` or
 * an envFile inside the workspace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerDefinition } from '../../src/core/config/serverDefinition';
import { consentKey, describeLaunch, envFileSnapshot, WorkspaceServerConsent, type ConsentPrompt, type ConsentRecord } from '../../src/core/config/workspaceConsent';

const WORKSPACE_FILE = '/repo/.vscode/mcp.json';

function world(answers: boolean[] = []) {
  let records: Record<string, ConsentRecord> = {};
  const prompts: ConsentPrompt[] = [];
  const store = { load: async () => records, save: async (r: Readonly<Record<string, ConsentRecord>>) => void (records = { ...r }) };
  const prompter = {
    confirm: async (p: ConsentPrompt) => {
      prompts.push(p);
      return answers.shift() ?? false;
    },
  };
  return { prompts, consent: () => new WorkspaceServerConsent(store, prompter, (d) => d.source === WORKSPACE_FILE) };
}

const docs: ServerDefinition = { name: 'docs', source: WORKSPACE_FILE, disabled: false, type: 'stdio', command: 'node', args: ['docs.js'], env: {} };

test('item 2: adding "gateway": true to an allowed workspace server asks again, and the modal names the gateway', async () => {
  const w = world([true, true]);
  assert.equal(await w.consent().check(docs), undefined);
  assert.doesNotMatch(w.prompts[0]?.detail ?? '', /gateway/i);
  const exposed: ServerDefinition = { ...docs, gateway: true };
  assert.notEqual(consentKey(exposed), consentKey(docs));
  assert.equal(await w.consent().check(exposed), undefined);
  assert.equal(w.prompts.length, 2, 'asked again before its tools go to the gateway\'s agents');
  assert.equal(w.prompts[1]?.changed, true);
  assert.match(w.prompts[1]?.detail ?? '', /Gateway: its tools and their descriptions are offered to every agent connected to the gateway \("gateway": true\)/);
  // Hiding it (false) asks nothing more of the user, and consents given before this change still hold.
  assert.equal(consentKey({ ...docs, gateway: false }), consentKey(docs));
});

test('item 4: an envFile\'s contents are part of the consent; the modal lists the variable names it sets', async () => {
  const w = world([true, true]);
  const withFile: ServerDefinition = { ...docs, envFile: '${workspaceFolder}/.env' };
  const before = envFileSnapshot({ API_URL: 'https://docs.example', LOG_LEVEL: 'info' });
  assert.equal(await w.consent().check(withFile, before), undefined);
  assert.match(w.prompts[0]?.detail ?? '', /Environment file: \$\{workspaceFolder\}\/\.env\nVariables the environment file sets: API_URL, LOG_LEVEL/);
  assert.equal(await w.consent().check(withFile, envFileSnapshot({ LOG_LEVEL: 'info', API_URL: 'https://docs.example' })), undefined);
  assert.equal(w.prompts.length, 1, 'the same values (in any order) are not asked again');
  // A git pull edits the file: one more variable that makes node load the repository's code.
  const pulled = envFileSnapshot({ API_URL: 'https://docs.example', LOG_LEVEL: 'info', NODE_OPTIONS: '--require ./x.js' });
  assert.equal(await w.consent().check(withFile, pulled), undefined);
  assert.equal(w.prompts.length, 2, 'asked again');
  assert.equal(w.prompts[1]?.changed, true);
  assert.match(w.prompts[1]?.detail ?? '', /sets: API_URL, LOG_LEVEL, NODE_OPTIONS/);
  // A changed value alone asks again too; a definition without an envFile keeps the key it had.
  assert.notEqual(consentKey(withFile, envFileSnapshot({ API_URL: 'https://evil.example', LOG_LEVEL: 'info' })), consentKey(withFile, before));
  assert.equal(consentKey(docs, undefined), consentKey(docs));
});

test('item 4: a file of many variables is listed bounded, saying how many there are', () => {
  const many = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`VAR_${i}`, 'x']));
  const detail = describeLaunch({ ...docs, envFile: '.env' }, envFileSnapshot(many)).detail;
  assert.match(detail, /… \(100 in all\)/);
  assert.ok(detail.length < 2000);
});
