/** The profile `npm run demo` starts (test/harness/demo.ts), also used by test/e2e/demo.test.ts. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { prepareProfile, type Profile } from './session';
import { repoRoot } from './paths';

/** The demo's profile: the VSIX, the demo opener, the demo server configured. */
export function prepareDemoProfile(): Profile {
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
  return profile;
}

