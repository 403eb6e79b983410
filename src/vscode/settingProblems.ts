/**
 * Tells the user when a `mcpSampling.*` value is ignored (wrong type, out of range, a broken provider
 * entry): once per distinct problem in the log and as a warning with a way to the setting. Core decides
 * what is valid (core/settingValidators); this module words it, localized.
 */
import * as vscode from 'vscode';
import type { Logger } from '../core/logger';
import { SETTINGS_SECTION } from '../core/settings';
import type { SettingProblem } from '../core/settingValidators';
import { currentSettingProblems, onDidChangeAnySetting } from './config';

/** One sentence naming the setting, what it must be, and what is used instead. */
export function describeSettingProblem(problem: SettingProblem): string {
  const { setting } = problem;
  switch (problem.kind) {
    case 'notBoolean':
      return vscode.l10n.t('{0} must be true or false; the default is used instead.', setting);
    case 'notText':
      return vscode.l10n.t('{0} must be a non-empty text; the default is used instead.', setting);
    case 'notOneOf':
      return vscode.l10n.t('{0} must be one of {1}; the default is used instead.', setting, problem.allowed.map((v) => `"${v}"`).join(', '));
    case 'notNumberInRange': {
      const number = problem.integer ? vscode.l10n.t('a whole number') : vscode.l10n.t('a number');
      return problem.max === undefined
        ? vscode.l10n.t('{0} must be {1} of at least {2}; the default is used instead.', setting, number, problem.min)
        : vscode.l10n.t('{0} must be {1} from {2} to {3}; the default is used instead.', setting, number, problem.min, problem.max);
    }
    case 'notObject':
      return vscode.l10n.t('{0} must be an object ({ … }); it is ignored.', setting);
    case 'notList':
      return vscode.l10n.t('{0} must be a list ([ … ]); it is ignored.', setting);
    case 'badProviderId':
      return vscode.l10n.t('{0} is ignored: its "id" must be letters, digits, "_", "." or "-".', setting);
    case 'missingBaseUrl':
      return vscode.l10n.t('{0} is ignored: it needs a "baseUrl", e.g. "http://localhost:11434/v1".', setting);
    case 'unknownProviderKind':
      return vscode.l10n.t('{0} must be one of {1}; the provider entry is ignored.', setting, problem.allowed.map((k) => `"${k}"`).join(', '));
    case 'duplicateProviderId':
      return vscode.l10n.t('{0} is ignored: the provider id "{1}" is already used by an earlier entry.', setting, problem.id);
  }
}

/** The setting to open for a problem: the top-level name (the Settings editor does not open paths). */
function topLevelSetting(setting: string): string {
  return /^[A-Za-z0-9_.]+/.exec(setting)?.[0] ?? SETTINGS_SECTION;
}

/**
 * Reports the problems of the settings now and after each change of a `mcpSampling.*` setting, each
 * distinct message once per session (so a typo is not repeated on every keystroke elsewhere).
 */
export function reportSettingProblems(logger: Logger): vscode.Disposable {
  const reported = new Set<string>();
  const report = () => {
    for (const problem of currentSettingProblems()) {
      const message = describeSettingProblem(problem);
      if (reported.has(message)) continue;
      reported.add(message);
      logger.warn(message);
      const open = vscode.l10n.t('Open Settings');
      void vscode.window.showWarningMessage(message, open).then((choice) => {
        if (choice === open) void vscode.commands.executeCommand('workbench.action.openSettings', topLevelSetting(problem.setting));
      });
    }
  };
  report();
  return onDidChangeAnySetting(report);
}
