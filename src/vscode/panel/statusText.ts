/**
 * The status bar's words for N waiting requests: sampling requests and forms (pure, for tests: no
 * vscode import, so it translates with @vscode/l10n, which the composition root gives the editor's bundle).
 */
import * as l10n from '@vscode/l10n';

export function pendingStatusText(count: number): { text: string; tooltip: string } {
  const tooltip =
    count === 1
      ? l10n.t("MCP Sampling: 1 request waits for you (sampling requests and servers' forms). Click to open the approval panel.")
      : l10n.t("MCP Sampling: {0} requests wait for you (sampling requests and servers' forms). Click to open the approval panel.", count);
  return { text: `$(inbox) ${count}`, tooltip };
}

/** The status bar's words while sampling is paused (every request is refused until resumed). */
export function pausedStatusText(): { text: string; tooltip: string } {
  return {
    text: l10n.t('$(debug-pause) Sampling paused'),
    tooltip: l10n.t('MCP Sampling is paused: every sampling request is refused without asking. Click to resume.'),
  };
}
