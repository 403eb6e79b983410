/**
 * Red team round 2, item 7, in the real workbench: a trusted workspace's .vscode/mcp.json names a
 * stdio server. It does not start until the user allows it in VS Code's modal, which names the
 * command; after the file changes (as a `git pull` would) it asks again before running the new one.
 */
import { waitFor } from '../support/waitFor';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startSession, type Session } from '../harness/session';
import { repoRoot } from '../harness/paths';

const FIXTURE = path.join(repoRoot, 'out/test/fixtures/samplingServer.js');
const mcpJson = (args: string[]) => JSON.stringify({ servers: { 'from-workspace': { type: 'stdio', command: 'node', args: [FIXTURE, ...args] } } }, null, 2);
const shots = path.join(repoRoot, 'test-results');

describe('a workspace server in the real workbench', () => {
  let session: Session;

  before(async () => {
    session = await startSession({ workspaceFiles: { '.vscode/mcp.json': mcpJson(['--name', 'from-workspace']) } });
  });

  after(async () => {
    await session?.stop();
  });

  async function status(): Promise<string | undefined> {
    const servers = await session.command<{ name: string; status: string }[]>('mcpSamplingTest.listServers');
    return servers.find((s) => s.name === 'from-workspace')?.status;
  }

  /** Waits for the consent modal, checks its text, and answers it. */
  async function answerConsent(pattern: RegExp, button: 'Allow and Start' | 'Cancel'): Promise<string> {
    const dialog = session.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 60_000 });
    const text = await dialog.innerText();
    assert.match(text, pattern);
    await session.screenshot(path.join(shots, `workspace-consent-${button === 'Cancel' ? 'refused' : 'allowed'}.png`));
    await dialog.locator('.monaco-button', { hasText: button }).first().click();
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
    return text;
  }

  it('asks before the first start, naming the command; the server starts only once allowed', async () => {
    // Not running while the modal waits.
    assert.notEqual(await status(), 'connected');
    const text = await answerConsent(/Start the MCP server "from-workspace" defined by this workspace\?/, 'Allow and Start');
    assert.ok(text.includes(`node ${FIXTURE} --name from-workspace`), `the modal names the command line: ${text}`);
    assert.match(text, /\.vscode[\\/]mcp\.json/);
    await waitFor('the allowed server to connect', async () => (await status()) === 'connected', { timeoutMs: 60_000, intervalMs: 200 });
  });

  it('a change of its args asks again before running the new command; refused, it does not run', async () => {
    writeFileSync(path.join(session.workspace, '.vscode', 'mcp.json'), mcpJson(['--name', 'from-workspace', '--changed']));
    const text = await answerConsent(/The workspace changed the MCP server "from-workspace"/, 'Cancel');
    assert.ok(text.includes('--changed'), text);
    await waitFor('the refused server to report why it did not start', async () => {
      const servers = await session.command<{ name: string; status: string; error?: string }[]>('mcpSamplingTest.listServers');
      const server = servers.find((s) => s.name === 'from-workspace');
      return server?.status === 'error' && /you did not allow it/.test(server.error ?? '');
    }, { timeoutMs: 30_000, intervalMs: 200 });
  });
});
