// The lint rule that keeps the extension host's user-facing text localizable
// (scripts/eslint/l10nStrings.mjs): what it refuses, what it lets through, and that the repository's
// config applies it to the host's files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ESLint, RuleTester, type Rule } from 'eslint';
import tseslint from 'typescript-eslint';

const repoRoot = path.resolve(__dirname, '..', '..', '..');

// RuleTester reports each case through describe/it: run them in place and collect the failures.
const failures: string[] = [];
RuleTester.describe = (_name: string, run: () => void) => run();
RuleTester.it = (name: string, run: () => void) => {
  try {
    run();
  } catch (error) {
    failures.push(`${name}\n  ${error instanceof Error ? error.message : String(error)}`);
  }
};

const header = "import * as vscode from 'vscode';\n";
const invalid = (code: string, count = 1) => ({ code: header + code, errors: Array.from({ length: count }, () => ({ messageId: 'literal' })) });

test('l10n/no-literal-ui-string: refuses literals where the user reads them, lets l10n.t and plain values through', async () => {
  const plugin = (await import(pathToFileURL(path.join(repoRoot, 'scripts', 'eslint', 'l10nStrings.mjs')).href)).default as { rules: Record<string, Rule.RuleModule> };
  const rule = plugin.rules['no-literal-ui-string'];
  assert.ok(rule, 'the plugin exports no-literal-ui-string');
  new RuleTester({ languageOptions: { parser: tseslint.parser as never } }).run('no-literal-ui-string', rule, {
    valid: [
      header + "void vscode.window.showInformationMessage(vscode.l10n.t('Saved {0}.', name));",
      header + "const open = vscode.l10n.t('Open');\nvoid vscode.window.showWarningMessage(vscode.l10n.t('Oops'), open);",
      header + 'void vscode.window.showErrorMessage(message);',
      header + "void vscode.window.showQuickPick(items, { title: vscode.l10n.t('Pick'), placeHolder: vscode.l10n.t('One of them') });",
      header + "void vscode.window.showInputBox({ title: vscode.l10n.t('Key for {0}', id), prompt: description ?? vscode.l10n.t('A value') , password: true });",
      header + "const item = new vscode.TreeItem(name);\nitem.description = [a, b].join(' · ');\nitem.tooltip = new vscode.MarkdownString().appendText(text);",
      header + "const item = new vscode.TreeItem(vscode.l10n.t('Gateway'));\nitem.description = `${a} · ${b}`;\nitem.iconPath = new vscode.ThemeIcon('plug');",
      header + "const status = vscode.window.createStatusBarItem('id');\nstatus.text = `$(inbox) ${count}`;",
      // Not user-facing: ids, settings keys, commands, log lines.
      header + "void vscode.commands.executeCommand('workbench.action.openSettings', 'mcpSampling.providers');\nlogger.info('Started the gateway');",
      header + "const item = new vscode.TreeItem(name);\nitem.contextValue = 'server';\nitem.id = `server:${name}`;",
    ],
    invalid: [
      invalid("void vscode.window.showInformationMessage('Saved.');"),
      invalid('void vscode.window.showWarningMessage(`Could not read ${file}.`);'),
      invalid("void vscode.window.showErrorMessage('Failed: ' + message);"),
      invalid("void vscode.window.showInformationMessage(ok ? 'Saved.' : 'Deleted.');"),
      invalid("void vscode.window.showWarningMessage(vscode.l10n.t('Sure?'), { modal: true, detail: 'This cannot be undone.' });"),
      invalid("const open = 'Open Settings';\nvoid vscode.window.showWarningMessage(vscode.l10n.t('No provider.'), open);"),
      invalid("void vscode.window.showInformationMessage(vscode.l10n.t('Call it?'), 'Call', 'Cancel');", 2),
      invalid("void vscode.window.showQuickPick(items, { title: 'Set API key', placeHolder: `Which of ${n}?` });", 2),
      invalid("void vscode.window.showQuickPick([{ label: 'Copy the URL only', description: url }], { title: vscode.l10n.t('Connect') });"),
      invalid("void vscode.window.showInputBox({ title: vscode.l10n.t('Key'), prompt: 'Stored in secret storage.' });"),
      invalid("void vscode.window.withProgress({ location: 15, title: `${tool} on ${server}` }, run);"),
      invalid("const pick = vscode.window.createQuickPick();\npick.title = 'Choose';\npick.placeholder = vscode.l10n.t('Type');"),
      invalid("const item = new vscode.TreeItem('Gateway');"),
      invalid("vscode.window.setStatusBarMessage(paused ? '$(debug-pause) Sampling paused' : '$(play) Sampling resumed', 3000);"),
      invalid("const item = new vscode.TreeItem(name);\nitem.description = 'off';\nitem.tooltip = `Runs on ${url}`;", 2),
      invalid("const status = vscode.window.createStatusBarItem('id');\nstatus.name = 'MCP Sampling Requests';"),
      invalid("item.accessibilityInformation = { label: `${count} requests` };"),
      invalid("const item = { label, accessibilityInformation: { label: 'Paused', role: 'button' } };"),
    ],
  });
  assert.deepEqual(failures, []);
});

test('the repository config applies the rule to the extension host (src/vscode, src/extension.ts)', async () => {
  // Existing files as the paths (the type-aware rules parse only files of the TypeScript project), with this text.
  const eslint = new ESLint({ cwd: repoRoot });
  const code = header + "export const f = () => vscode.window.showInformationMessage('Hello');\n";
  const ruleIds = async (file: string) =>
    (await eslint.lintText(code, { filePath: path.join(repoRoot, file) }))[0]!.messages.map((m) => m.ruleId).filter((id) => id === null || id.startsWith('l10n/'));
  assert.deepEqual(await ruleIds('src/vscode/statusBar.ts'), ['l10n/no-literal-ui-string']);
  assert.deepEqual(await ruleIds('src/extension.ts'), ['l10n/no-literal-ui-string']);
  assert.deepEqual(await ruleIds('src/core/logger.ts'), [], 'not outside the extension host');
});
