/**
 * Red team round 3, item 1: an approval belongs to the definition that earned it. After "Always
 * allow" on repository A's workspace server `docs`, a cloned repository that defines `docs` must be
 * asked, not answered on the user's quota; the same for "Allow for this session" and a hand-written
 * `approval: "auto"` (bare name or global). The user's own servers keep name-based approvals.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alwaysAllowEntry, effectiveApproval, sessionApprovalKey } from '../../src/core/sampling/approvalScope';
import { SamplingPolicy } from '../../src/core/sampling/policy';
import { rawSettingsFrom } from '../../src/core/settings';
import { DEFAULT_SAMPLING_SETTINGS, samplingSettingsFrom, type SamplingSettings, type ServerSamplingSetting } from '../../src/core/sampling/settings';
import { formatWarning } from '../../src/core/approval/warnings';

const REPO_A = { source: '/src/repo-a/.vscode/mcp.json', fingerprint: 'a'.repeat(64) };
const REPO_B = { source: '/src/repo-b/.vscode/mcp.json', fingerprint: 'b'.repeat(64) };
const A_CHANGED = { source: REPO_A.source, fingerprint: 'c'.repeat(64) };
/** The card's reason in English (the host words it in the display language). */
const english = (warning: Parameters<typeof formatWarning>[0] | undefined): string => (warning ? formatWarning(warning) : '');

const settingsWith = (serverSampling: Record<string, ServerSamplingSetting>, approval: SamplingSettings['approval'] = 'ask'): SamplingSettings => ({ ...DEFAULT_SAMPLING_SETTINGS, approval, serverSampling });

test('"Always allow" on repository A\'s workspace server answers A only: repository B\'s "docs", and A after a change, are asked', () => {
  const entry = alwaysAllowEntry({ model: 'gpt-x' }, { serverName: 'docs', workspaceDefinition: REPO_A });
  assert.deepEqual(entry, { model: 'gpt-x', approval: 'auto', definition: REPO_A }, 'Always allow records the definition, keeping the other options');
  const settings = samplingSettingsFrom(rawSettingsFrom({ serverSampling: { docs: entry } }));
  assert.deepEqual(settings.serverSampling['docs']?.definition, REPO_A, 'the recorded definition survives the settings normalization');

  assert.equal(effectiveApproval(settings, { serverName: 'docs', workspaceDefinition: REPO_A }).mode, 'auto');
  for (const other of [REPO_B, A_CHANGED]) {
    const decided = effectiveApproval(settings, { serverName: 'docs', workspaceDefinition: other });
    assert.equal(decided.mode, 'ask', `asked for ${JSON.stringify(other)}`);
    assert.match(english(decided.notApplied), /"auto" for another definition of "docs"/);
  }
});

test('a bare-name or global "auto" never answers a workspace server without asking; the user\'s own servers keep it', () => {
  const bare = settingsWith({ docs: { approval: 'auto' } });
  const decided = effectiveApproval(bare, { serverName: 'docs', workspaceDefinition: REPO_B });
  assert.equal(decided.mode, 'ask');
  assert.match(english(decided.notApplied), /mcpSampling\.serverSampling\["docs"\]\.approval is "auto" but names no definition.*repo-b/);
  assert.equal(effectiveApproval(bare, { serverName: 'docs' }).mode, 'auto', 'a settings or profile server of that name');

  const global = settingsWith({}, 'auto');
  assert.equal(effectiveApproval(global, { serverName: 'docs', workspaceDefinition: REPO_A }).mode, 'ask');
  assert.match(english(effectiveApproval(global, { serverName: 'docs', workspaceDefinition: REPO_A }).notApplied), /mcpSampling\.approval is "auto", which does not apply to a server a workspace defines/);
  assert.equal(effectiveApproval(global, { serverName: 'docs' }).mode, 'auto');
  // Refusals need no definition: "deny" by name still refuses.
  assert.equal(effectiveApproval(settingsWith({ docs: { approval: 'deny' } }), { serverName: 'docs', workspaceDefinition: REPO_A }).mode, 'deny');
});

test('"Allow for this session" belongs to the definition too; revoking a server forgets every definition of it', () => {
  const policy = new SamplingPolicy();
  const settings = settingsWith({});
  policy.allowForSession('docs', REPO_A);
  assert.deepEqual(policy.admit(settings, 'docs', REPO_A), { mode: 'auto', reason: { kind: 'allowed-for-session' } });
  assert.equal(policy.admit(settings, 'docs', REPO_B).mode, 'ask', 'another repository\'s "docs"');
  assert.equal(policy.admit(settings, 'docs', A_CHANGED).mode, 'ask', 'A\'s "docs" after its definition changed');
  assert.equal(policy.admit(settings, 'docs').mode, 'ask', 'a user server named "docs" was not allowed');
  assert.notEqual(sessionApprovalKey({ serverName: 'docs', workspaceDefinition: REPO_A }), sessionApprovalKey({ serverName: 'docs' }));
  policy.allowForSession('docs');
  policy.revokeSession('docs');
  assert.equal(policy.isAllowedForSession('docs', REPO_A), false);
  assert.equal(policy.isAllowedForSession('docs'), false);
});

test('the policy carries the reason an "auto" was not applied, for the card', () => {
  const admission = new SamplingPolicy().admit(settingsWith({ docs: { approval: 'auto', definition: REPO_A } }), 'docs', REPO_B);
  assert.equal(admission.mode, 'ask');
  assert.match(english(admission.notApplied), /"Always allow" allows this definition only/);
  assert.deepEqual(alwaysAllowEntry({ approval: 'ask', definition: REPO_A }, { serverName: 'docs' }), { approval: 'auto' }, 'a user server\'s entry names no definition');
});
