/** Helpers shared by the integration tests (they run inside the real extension host). */
import { waitFor as waitUntil } from '../support/waitFor';
import * as vscode from 'vscode';
import path from 'node:path';
import type { McpSamplingApi, ServerSnapshot } from '../../src/api';
import { parseMcpJson } from '../../src/core/config/mcpJson';
import { consentKey } from '../../src/core/config/workspaceConsent';
import type { ParsedServers } from '../../src/core/config/serverDefinition';

export const EXTENSION_ID = 'mcp-sampling.mcp-sampling-client';
export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const fixture = (name: string) => path.join(repoRoot, 'out', 'test', 'fixtures', name);
export const serverEverythingEntry = path.join(repoRoot, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');

export async function extensionApi(): Promise<McpSamplingApi> {
  const ext = vscode.extensions.getExtension<McpSamplingApi>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed`);
  return ext.activate();
}

export const config = () => vscode.workspace.getConfiguration('mcpSampling');

export async function setSetting(key: string, value: unknown): Promise<void> {
  await config().update(key, value, vscode.ConfigurationTarget.Global);
}

export function waitFor<T>(what: string, timeoutMs: number, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  return waitUntil(what, probe, { timeoutMs, intervalMs: 100 });
}

export async function waitForServer(name: string, status: ServerSnapshot['status'] = 'connected', timeoutMs = 30_000): Promise<ServerSnapshot> {
  const api = await extensionApi();
  let last: ServerSnapshot | undefined;
  try {
    return await waitFor(`server "${name}" to be ${status}`, timeoutMs, () => {
      last = api.listServers().find((s) => s.name === name);
      return last?.status === status ? last : undefined;
    });
  } catch (err) {
    throw new Error(`${(err as Error).message}; last seen: ${JSON.stringify(last)}`, { cause: err });
  }
}

/** The text of a CallToolResult's content blocks. */
export function resultText(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((c) => (c.type === 'text' ? (c.text ?? '') : `[${c.type}]`)).join('\n');
}

/**
 * Pre-approves the servers of a workspace mcp.json, as the user's "Allow and Start" in the consent
 * modal would (the modal itself is answered in test/e2e/workspaceConsent.test.ts). Writes the exact
 * consent records, per definition, into this extension's global storage under the harness's profile.
 */
export async function consentToWorkspaceServers(file: vscode.Uri, jsonc: string, parse: (text: string, source: string) => ParsedServers = parseMcpJson): Promise<void> {
  const testDir = process.env.MCP_SAMPLING_TEST_DIR;
  if (!testDir) throw new Error('consentToWorkspaceServers needs the code-server harness (MCP_SAMPLING_TEST_DIR)');
  const storage = vscode.Uri.file(path.join(testDir, '..', 'user-data', 'User', 'globalStorage', EXTENSION_ID));
  const consentFile = vscode.Uri.joinPath(storage, 'workspace-server-consent.json');
  let records: Record<string, unknown> = {};
  try {
    records = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(consentFile))) as Record<string, unknown>;
  } catch {}
  for (const definition of parse(jsonc, file.fsPath).definitions) records[consentKey(definition)] = { serverName: definition.name, source: definition.source, at: Date.now() };
  await vscode.workspace.fs.createDirectory(storage);
  await vscode.workspace.fs.writeFile(consentFile, new TextEncoder().encode(JSON.stringify(records)));
}
