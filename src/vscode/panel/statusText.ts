/** The status bar's words for N waiting requests (pure, for tests). */
export function pendingStatusText(count: number): { text: string; tooltip: string } {
  const noun = count === 1 ? 'request waits' : 'requests wait';
  return { text: `$(inbox) ${count}`, tooltip: `MCP Sampling: ${count} sampling ${noun} for you. Click to open the approval panel.` };
}
