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
import { consentKey, WorkspaceServerConsent, type ConsentPrompt, type ConsentRecord } from '../../src/core/config/workspaceConsent';

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
