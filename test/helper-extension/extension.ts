/**
 * Test-only extension, installed beside the one under test by the harness (never in the VSIX).
 * - Registers a deterministic language model, so the vscode.lm path runs for real, and on request a
 *   deterministic agent model for a real agent turn in the Chat view (agentModel.ts).
 * - When MCP_SAMPLING_TEST_SUITE is set, runs that mocha suite in this extension host and writes results.
 * - When MCP_SAMPLING_TEST_DIR is set, opens a loopback HTTP bridge so end-to-end tests can run
 *   commands in the extension host (and read their results) while the browser clicks the UI.
 */
import * as vscode from 'vscode';
import { registerTestModels } from './testModels';
import { startBridge } from './bridge';
import { registerAgentModelCommands } from './agentModel';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(registerTestModels(), registerAgentModelCommands());
  const testDir = process.env.MCP_SAMPLING_TEST_DIR;
  if (testDir) context.subscriptions.push(await startBridge(testDir));
  const suite = process.env.MCP_SAMPLING_TEST_SUITE;
  const results = process.env.MCP_SAMPLING_TEST_RESULTS;
  if (suite && results) {
    // The suite module is compiled separately (out/test/integration/index.js) and loaded from disk.
    const { runSuiteToFile } = require(suite) as { runSuiteToFile(resultsFile: string): Promise<void> };
    void runSuiteToFile(results);
  }
}

export function deactivate(): void {}
