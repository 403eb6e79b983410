// The extension's entry points: everything is built in the composition root (src/vscode/composition.ts).
import type * as vscode from 'vscode';
import type { McpSamplingApi } from './api';
import { composeExtension } from './vscode/composition';

/** Kept so deactivate can wait for servers (and their process trees) to stop. */
let stopServers: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): McpSamplingApi {
  const composed = composeExtension(context);
  stopServers = () => composed.stop();
  return composed.api;
}

export async function deactivate(): Promise<void> {
  // Everything else is disposed through context.subscriptions; servers are awaited so no child outlives us.
  await stopServers?.();
}
