/**
 * The bridge, end to end in the real workbench: VS Code's own MCP client (which speaks 2025-11-25 and
 * not 2026-07-28) calls, through this extension's gateway, a tool of a server that speaks ONLY MCP
 * 2026-07-28 and samples only through `input_required` (test/fixtures/modernServer.ts, as FastMCP 4
 * does). The approval card names VS Code's agent as the caller and MCP 2026-07-28 as the route; the
 * approved answer goes back to the server's round and the tool's result returns to VS Code's caller.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startSession, type Session } from '../harness/session';
import { waitForConnected } from '../harness/panel';
import { repoRoot } from '../harness/paths';
import { waitFor } from '../support/waitFor';

type Part = { text?: string; kind?: string };

describe('the bridge: VS Code’s MCP client calls a 2026-07-28-only tool through the gateway, the panel answers its input_required sampling', () => {
  let session: Session;
  let toolName = '';

  before(async () => {
    session = await startSession({
      settings: {
        // VS Code's MCP client and language-model tools are AI features.
        'chat.disableAIFeatures': false,
        'mcpSampling.approval': 'ask',
        'mcpSampling.reviewResponses': false,
        'mcpSampling.defaultProvider': 'vscode-lm',
        'mcpSampling.servers': { modern: { type: 'stdio', command: 'node', args: [path.join(repoRoot, 'out/test/fixtures/modernServer.js')] } },
      },
    });
    await waitForConnected(session, ['modern']);
    // VS Code starts the servers of extension providers on demand; the helper asks it to, as a chat request would.
    await waitFor('the gateway’s tools in vscode.lm.tools', async () => {
      const names = await session.command<string[]>('mcpSamplingTest.startMcpServers', 20_000);
      toolName = names.find((n) => n.endsWith('modern__summarize')) ?? '';
      return toolName !== '';
    }, { timeoutMs: 90_000, intervalMs: 500 });
  });

  after(async () => {
    await session?.stop();
  });

  it('the card names VS Code’s agent and MCP 2026-07-28, and the approved answer returns to the caller', async () => {
    const known = new Set((await session.command<{ id: string }[]>('mcpSamplingTest.pendingRequests')).map((r) => r.id));
    const result = session.command<Part[]>('mcpSamplingTest.invokeTool', toolName, { text: 'through the bridge' });
    result.catch(() => undefined);
    let id = '';
    let confirmed = false;
    await waitFor('the input_required sampling in the panel', async () => {
      // VS Code's own "Run …?" confirmation for a tool without readOnlyHint.
      const dialog = session.page.locator('.monaco-dialog-box');
      if (!confirmed && (await dialog.count()) > 0) {
        await dialog.locator('.monaco-button', { hasText: /^(Yes|Continue|Allow|Run)$/ }).first().click();
        confirmed = true;
      }
      const pending = await session.command<{ id: string; serverName: string }[]>('mcpSamplingTest.pendingRequests');
      id = pending.find((r) => r.serverName === 'modern' && !known.has(r.id))?.id ?? '';
      return id !== '';
    }, { timeoutMs: 60_000, intervalMs: 500 });

    const frame = await session.findInFrames(`[data-request-id="${id}"]`, 30_000);
    const card = frame.locator(`[data-request-id="${id}"]`);
    assert.equal(await card.getAttribute('data-server'), 'modern');
    assert.equal(await card.locator('[data-role="caller"]').innerText(), 'Called by VS Code agent via the gateway');
    assert.match(await card.locator('header.request-header').innerText(), /input-required round · MCP 2026-07-28/);
    await card.locator('[data-action="approve"]').click();

    const parts = await result;
    const text = parts.map((p) => p.text ?? '').join('\n');
    assert.match(text, /^Summary: Echo: .*through the bridge/s, text);
  });
});
