import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SETTINGS } from '../../src/core/settings';
import type { SettingProblem } from '../../src/core/settingValidators';
import { currentSettingProblems, read } from '../../src/vscode/config';
import { describeSettingProblem } from '../../src/vscode/settingProblems';

describe('Settings in a real extension host', () => {
  const config = () => vscode.workspace.getConfiguration('mcpSampling');

  it('reads the table defaults when nothing is set, with no problem reported', () => {
    assert.equal(read(SETTINGS.maxMessages), SETTINGS.maxMessages.default);
    assert.equal(read(SETTINGS.approval), 'ask');
    assert.deepEqual(
      currentSettingProblems().filter((p) => p.setting === SETTINGS.maxMessages.id),
      [],
    );
  });

  it('an invalid value is read as the default, reported, and worded naming the setting and the bound', async () => {
    await config().update('limits.maxMessages', 'many', vscode.ConfigurationTarget.Global);
    try {
      assert.equal(read(SETTINGS.maxMessages), 500);
      const problem = currentSettingProblems().find((p) => p.setting === SETTINGS.maxMessages.id);
      assert.ok(problem, 'the problem is reported');
      assert.equal(describeSettingProblem(problem), 'mcpSampling.limits.maxMessages must be a number of at least 1; the default is used instead.');
    } finally {
      await config().update('limits.maxMessages', undefined, vscode.ConfigurationTarget.Global);
    }
    assert.equal(read(SETTINGS.maxMessages), 500);
  });

  it('every kind of problem is worded as one sentence naming the setting', () => {
    const setting = 'mcpSampling.example';
    const problems: SettingProblem[] = [
      { kind: 'notBoolean', setting },
      { kind: 'notText', setting },
      { kind: 'notOneOf', setting, allowed: ['a', 'b'] },
      { kind: 'notNumberInRange', setting, min: 0, max: 65535, integer: true },
      { kind: 'notObject', setting },
      { kind: 'notList', setting },
      { kind: 'badProviderId', setting },
      { kind: 'missingBaseUrl', setting },
      { kind: 'duplicateProviderId', setting, id: 'x' },
    ];
    for (const problem of problems) {
      const text = describeSettingProblem(problem);
      assert.ok(text.startsWith(setting), text);
      assert.match(text, /\.$/, text);
      assert.doesNotMatch(text, /\{\d\}/, `every placeholder is filled: ${text}`);
    }
  });
});
