/**
 * A server that speaks ONLY MCP 2026-07-28 (test/fixtures/modernServer.ts), end to end in the real
 * workbench, over stdio and Streamable HTTP: its guard-pattern tool `summarize` returns
 * input_required, the approval panel shows the request as an input-required round at MCP 2026-07-28,
 * the browser approves, the tool result carries the helper's deterministic test model's answer, and
 * the history record (history.jsonl in the extension's global storage) holds the route and revision.
 */
import { waitFor } from '../support/waitFor';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { startSession, type Session } from '../harness/session';
import { callToolAndFindCard, textOf, waitForConnected } from '../harness/panel';
import { repoRoot } from '../harness/paths';
import { ModernServer, serveHttp } from '../fixtures/modernServer';

/** The records of every history.jsonl the editor wrote under `dir` (the extension's global storage). */
function historyRecords(dir: string): { id: string; route?: string; protocolVersion?: string }[] {
  const files: string[] = [];
  const walk = (current: string, depth: number) => {
    if (depth > 12) return;
    for (const name of readdirSync(current)) {
      const full = path.join(current, name);
      const stat = statSync(full, { throwIfNoEntry: false });
      if (stat?.isDirectory()) walk(full, depth + 1);
      else if (name === 'history.jsonl') files.push(full);
    }
  };
  walk(dir, 0);
  return files.flatMap((f) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as { id: string; route?: string; protocolVersion?: string }),
  );
}

describe('a 2026-07-28-only server in the real workbench', () => {
  let session: Session;
  let http: { url: string; close(): Promise<void> };

  before(async () => {
    http = await serveHttp(new ModernServer());
    session = await startSession({
      settings: {
        'mcpSampling.approval': 'ask',
        'mcpSampling.reviewResponses': false,
        'mcpSampling.defaultProvider': 'vscode-lm',
        'mcpSampling.servers': {
          modernStdio: { type: 'stdio', command: 'node', args: [path.join(repoRoot, 'out/test/fixtures/modernServer.js')] },
          modernHttp: { type: 'http', url: http.url },
        },
      },
    });
    await waitForConnected(session, ['modernStdio', 'modernHttp']);
  });

  after(async () => {
    await session?.stop();
    await http?.close();
  });

  for (const server of ['modernStdio', 'modernHttp']) {
    it(`${server}: summarize asks through input_required, the card says so, Approve, the answer reaches the tool result`, async () => {
      const { result, id, card } = await callToolAndFindCard(session, server, 'summarize', { text: `modern ${server}` });
      assert.equal(await card.getAttribute('data-server'), server);
      assert.match(await card.locator('header.request-header').innerText(), /input-required round · MCP 2026-07-28/);
      await card.locator('[data-action="approve"]').click();
      const final = await result;
      assert.notEqual(final.isError, true, textOf(final));
      assert.match(textOf(final), /^Summary: Echo: .*modern /s, textOf(final));
      const record = await waitFor(`the history record of ${id}`, async () => historyRecords(session.root).find((r) => r.id === id), { timeoutMs: 15_000, intervalMs: 200 });
      assert.equal(record.route, 'input-required');
      assert.equal(record.protocolVersion, '2026-07-28');
    });
  }
});
