/** Helpers shared by the integration tests (they run inside the real extension host). */
import * as vscode from 'vscode';
import path from 'node:path';
import type { McpSamplingApi, ServerSnapshot } from '../../src/api';

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

export async function waitFor<T>(what: string, timeoutMs: number, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
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
