// The extension's entry points. Everything is built in the composition root
// (src/vscode/composition.ts, bundled apart as dist/lazy-main.js), which activate() loads after
// yielding once: VS Code's activation time (loading this file + the synchronous activate() call)
// stays small, and other extensions activating at start-up get the extension host before the
// composition runs. Activation still completes only when the composition has (VS Code waits for
// the returned promise before it runs our commands, views or MCP definition provider).
import type * as vscode from 'vscode';
import type { McpSamplingApi } from './api';

const moduleStartedAt = performance.now();

/** Kept so deactivate can wait for servers (and their process trees) to stop. */
let stopServers: (() => Promise<void>) | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<McpSamplingApi> {
  const activateStartedAt = performance.now();
  // Our own share of VS Code's activation number (this file's top-level code + this call up to
  // the yield), for the log line bench/workbench.ts reads.
  const ownMs = moduleMs + (performance.now() - activateStartedAt);
  await new Promise<void>((resolve) => setImmediate(resolve));
  const loadStartedAt = performance.now();
  const { composeExtension } = await import('./vscode/composition');
  const composed = composeExtension(context, { loadStartedAt, activationOwnMs: ownMs });
  stopServers = () => composed.stop();
  return composed.api;
}

export async function deactivate(): Promise<void> {
  // Everything else is disposed through context.subscriptions; servers are awaited so no child outlives us.
  await stopServers?.();
}

const moduleMs = performance.now() - moduleStartedAt;
