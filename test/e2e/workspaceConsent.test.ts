/**
 * Red team round 2, item 7, in the real workbench: a trusted workspace's .vscode/mcp.json names a
 * stdio server. It does not start until the user allows it in VS Code's modal, which names the
 * command; after the file changes (as a `git pull` would) it asks again before running the new one.
 * Round 3, items 1, 2 and 4: the modal names gateway exposure and the variables its envFile sets, an
 * envFile edit asks again, and an approval that skips the person belongs to the definition allowed.
 */
import { waitFor } from '../support/waitFor';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startSession, type Session } from '../harness/session';
import { repoRoot } from '../harness/paths';
import { callToolAndFindCard, rejectRequest, textOf, type ToolResult } from '../harness/panel';

const FIXTURE = path.join(repoRoot, 'out/test/fixtures/samplingServer.js');
const mcpJson = (args: string[], extra: Record<string, unknown> = {}) => JSON.stringify({ servers: { 'from-workspace': { type: 'stdio', command: 'node', args: [FIXTURE, ...args], ...extra } } }, null, 2);
const shots = path.join(repoRoot, 'test-results');

describe('a workspace server in the real workbench', () => {
  let session: Session;

  before(async () => {
    session = await startSession({
      // Answers go straight back once approved: the approval, not the review, is under test.
      settings: { 'mcpSampling.reviewResponses': false },
      workspaceFiles: { '.vscode/mcp.json': mcpJson(['--name', 'from-workspace']) },
    });
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

  it('the modal names gateway exposure and the variables the envFile sets (round 3, items 2 and 4)', async () => {
    writeFileSync(path.join(session.workspace, '.env'), 'DOCS_URL=https://docs.example\nLOG_LEVEL=info\n');
    writeFileSync(path.join(session.workspace, '.vscode', 'mcp.json'), mcpJson(['--name', 'from-workspace'], { gateway: true, envFile: '${workspaceFolder}/.env' }));
    const text = await answerConsent(/The workspace changed the MCP server "from-workspace"/, 'Allow and Start');
    assert.match(text, /Gateway: its tools and their descriptions are offered to every agent connected to the gateway/);
    assert.match(text, /Variables the environment file sets: DOCS_URL, LOG_LEVEL/);
    await waitFor('the allowed server to connect', async () => (await status()) === 'connected', { timeoutMs: 60_000, intervalMs: 200 });
  });

  it('a bare-name "auto" does not answer it; "Always allow" names this definition, and an envFile edit asks again (round 3, items 1 and 4)', async () => {
    await session.command('mcpSamplingTest.updateSetting', 'mcpSampling.serverSampling', { 'from-workspace': { approval: 'auto' } });
    const first = await callToolAndFindCard(session, 'from-workspace', 'sample', { prompt: 'asked despite a bare auto' });
    assert.match(await first.card.locator('[data-role="warnings"]').innerText(), /approval is "auto" but names no definition, and "from-workspace" is defined by a workspace/);
    await session.screenshot(path.join(shots, 'workspace-approval-scope.png'));
    await first.card.locator('[data-action="always-allow"]').click();
    assert.notEqual((await first.result).isError, true, textOf(await first.result));

    let entry: { approval?: string; definition?: { source?: string; fingerprint?: string } } | undefined;
    await waitFor('Always allow to be saved with the definition', async () => {
      const user = JSON.parse(readFileSync(path.join(session.root, 'user-data', 'User', 'settings.json'), 'utf8')) as Record<string, Record<string, typeof entry>>;
      entry = user['mcpSampling.serverSampling']?.['from-workspace'];
      return entry?.definition !== undefined;
    }, { timeoutMs: 10_000, intervalMs: 200 });
    assert.equal(entry?.approval, 'auto');
    assert.equal(entry?.definition?.source, path.join(session.workspace, '.vscode', 'mcp.json'));
    assert.match(entry?.definition?.fingerprint ?? '', /^[0-9a-f]{64}$/);

    // The definition it names is answered without a card.
    const unasked = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('not answered without a person within 60 s')), 60_000).unref());
    const answered = await Promise.race([session.command<ToolResult>('mcpSampling.callTool', 'from-workspace', 'sample', { prompt: 'always allowed' }), unasked]);
    assert.notEqual(answered.isError, true, textOf(answered));

    // A git pull edits the envFile: the restart asks again, and the approval no longer applies.
    writeFileSync(path.join(session.workspace, '.env'), 'DOCS_URL=https://docs.example\nLOG_LEVEL=info\nNODE_DEBUG=net\n');
    session.command('mcpSampling.restartServer', 'from-workspace').catch(() => undefined);
    const text = await answerConsent(/The workspace changed the MCP server "from-workspace"/, 'Allow and Start');
    assert.match(text, /sets: DOCS_URL, LOG_LEVEL, NODE_DEBUG/);
    await waitFor('the re-allowed server to connect', async () => (await status()) === 'connected', { timeoutMs: 60_000, intervalMs: 200 });
    const again = await callToolAndFindCard(session, 'from-workspace', 'sample', { prompt: 'asked again after the change' });
    assert.match(await again.card.locator('[data-role="warnings"]').innerText(), /"auto" for another definition of "from-workspace"/);
    await rejectRequest(again.card, 'changed definition');
    assert.equal((await again.result).isError, true);
  });
});
