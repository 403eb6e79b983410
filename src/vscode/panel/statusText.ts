/** The status bar's words for N waiting requests: sampling requests and forms (pure, for tests). */
export function pendingStatusText(count: number): { text: string; tooltip: string } {
  const noun = count === 1 ? 'request waits' : 'requests wait';
  return { text: `$(inbox) ${count}`, tooltip: `MCP Sampling: ${count} ${noun} for you (sampling requests and servers' forms). Click to open the approval panel.` };
}

/** The status bar's words while sampling is paused (every request is refused until resumed). */
export const PAUSED_STATUS = {
  text: '$(debug-pause) Sampling paused',
  tooltip: 'MCP Sampling is paused: every sampling request is refused without asking. Click to resume.',
} as const;
