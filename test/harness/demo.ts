/**
 * `npm run demo`: a real VS Code (code-server) with the extension installed from its VSIX and the
 * bundled demo MCP server configured, on http://127.0.0.1:PORT. Ctrl+C stops it.
 * The approval mode stays `ask`, so every request shows in the panel; with no language model in a
 * fresh editor, the manual provider lets you type the answer.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { prepareProfile, startCodeServer } from './session';
import { repoRoot } from './paths';

async function main(): Promise<void> {
  const port = process.env.PORT ? Number(process.env.PORT) : 8080;
  const profile = prepareProfile({
    withHelper: false,
    // Opens the MCP Sampling view and the walkthrough at start: a fresh browser would show the Explorer.
    extensionFolders: [path.join(repoRoot, 'test/demo-opener')],
    settings: { 'workbench.colorTheme': 'Default Dark Modern' },
    workspaceFiles: { 'README.md': '# Demo workspace\n\nThe MCP Sampling view is open in the activity bar; follow the walkthrough, or run **MCP Sampling: Call Tool…** and pick `demo` › `summarize`.\n' },
  });
  // The demo server ships inside the installed extension; point the setting at it.
  const { name, version, publisher } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Record<string, string>;
  const demoServer = path.join(profile.extensions, `${publisher}.${name}-${version}`, 'dist', 'demo', 'server.js');
  // Machine-scoped settings live in the Machine settings in code-server (a remote setup).
  const settingsFile = path.join(profile.userData, 'Machine', 'settings.json');
  const settings = JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
  settings['mcpSampling.servers'] = { demo: { type: 'stdio', command: 'node', args: [demoServer] } };
  writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
  const server = await startCodeServer(profile, {}, port);
  console.log(`\nMCP Sampling Client demo is running. Open this URL in a browser:\n\n  ${server.url}\n\nPress Ctrl+C to stop.`);
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
