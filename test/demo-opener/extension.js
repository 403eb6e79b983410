// Demo-only extension installed by `npm run demo` (test/harness/demo.ts), never shipped: a fresh
// browser has no workbench state, so VS Code would open the Explorer; this opens what the demo is
// about, as a user would from the activity bar and MCP Sampling: Get Started.
const vscode = require('vscode');

async function activate() {
  await vscode.commands.executeCommand('workbench.view.extension.mcpSampling');
  // The empty secondary side bar (chat is off in the demo profile) would take a third of the window.
  await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', 'mcp-sampling.mcp-sampling-client#mcpSampling.gettingStarted', false);
}

module.exports = { activate, deactivate: () => {} };
