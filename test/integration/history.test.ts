import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { HistoryRecord } from '../../src/core/history/history';
import { fixture, resultText, serverEverythingEntry, setSetting, waitFor, waitForServer } from './support';

interface Exported {
  readonly count: number;
  readonly records: HistoryRecord[];
}

describe('Sampling history in the real extension host', function () {
  this.timeout(90_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mcp-sampling-history-'));
  let exports = 0;

  /** Exports through the command (with a target path, no dialog) and reads the file back. */
  async function exportHistory(): Promise<Exported> {
    const target = path.join(dir, `export-${++exports}.json`);
    const written = await vscode.commands.executeCommand<string>('mcpSampling.exportHistory', target);
    assert.equal(written, target, 'the command returns the path it wrote');
    return JSON.parse(readFileSync(target, 'utf8')) as Exported;
  }

  before(async () => {
    await setSetting('approval', 'auto');
    await setSetting('reviewResponses', false);
    await setSetting('defaultProvider', 'vscode-lm');
    await setSetting('servers', {
      hist: { type: 'stdio', command: process.execPath, args: [fixture('samplingServer.js'), '--name', 'hist'] },
      everything: { type: 'stdio', command: process.execPath, args: [serverEverythingEntry, 'stdio'] },
    });
    await waitForServer('hist');
    await waitForServer('everything');
  });

  after(async () => {
    for (const key of ['approval', 'reviewResponses', 'defaultProvider', 'servers']) await setSetting(key, undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('records a sampling request with server, model, decision and usage, and exports it as JSON', async () => {
    const prompt = `history check ${Date.now()}`;
    const result = await vscode.commands.executeCommand('mcpSampling.callTool', 'hist', 'sample', { prompt, systemPrompt: 'Be brief.' });
    assert.match(resultText(result), /test-echo/);

    // The pipeline appends the record as the request ends; the write may land just after the tool result.
    const record = await waitFor('the history record', 15_000, async () => (await exportHistory()).records.find((r) => r.serverName === 'hist' && JSON.stringify(r.request).includes(prompt)));
    assert.equal(record.version, 1);
    assert.equal(record.model, 'test-echo');
    assert.equal(record.decision, 'auto');
    assert.equal(record.outcome, 'answered');
    // stdio at 2025-11-25 gives no proof of the tool that caused a request: it is the one that was running.
    assert.equal(record.toolCall, undefined);
    assert.equal(record.runningToolCall?.name, 'sample');
    assert.equal(record.request?.systemPrompt, 'Be brief.');
    assert.ok((record.usage?.inputTokens ?? 0) > 0, `usage reported: ${JSON.stringify(record.usage)}`);
    assert.ok(record.latencyMs >= 0 && record.finishedAt >= record.receivedAt);
    const answer = record.result?.content as { type: string; text: string } | undefined;
    assert.equal(answer?.type, 'text');
    assert.match(answer?.text ?? '', new RegExp(`Echo: .*${prompt}`, 's'));
  });

  it('records server-everything\'s pushed request with its route and revision (server request, MCP 2025-11-25), and the record says so', async () => {
    const prompt = `pushed ${Date.now()}`;
    const result = await vscode.commands.executeCommand('mcpSampling.callTool', 'everything', 'trigger-sampling-request', { prompt, maxTokens: 50 });
    assert.match(resultText(result), /Echo: /);
    const record = await waitFor('the pushed record', 15_000, async () => (await exportHistory()).records.find((r) => r.serverName === 'everything' && JSON.stringify(r.request).includes(prompt)));
    assert.equal(record.route, 'server-request');
    assert.equal(record.protocolVersion, '2025-11-25');
    const uri = await vscode.commands.executeCommand<string>('mcpSampling.openHistoryEntry', record.id);
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
    assert.match(document?.getText() ?? '', /\| Route \| server request · MCP 2025-11-25 \|/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('opens a past request as a read-only Markdown document', async () => {
    const { records } = await exportHistory();
    const record = records.filter((r) => r.serverName === 'hist').at(-1);
    assert.ok(record, 'a record from hist');
    const uri = await vscode.commands.executeCommand<string>('mcpSampling.openHistoryEntry', record.id);
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
    assert.ok(document, `the document ${uri} is open`);
    assert.equal(document.languageId, 'markdown');
    const text = document.getText();
    assert.match(text, /^# Sampling request from hist/);
    assert.match(text, /\| Model \| test-echo \|/);
    // The decision by its label, as the History view shows it (not the record's id `auto`).
    assert.match(text, /\| Decision \| auto-approved \|/);
    assert.match(text, /## Answer/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('clears the history when confirmed', async () => {
    assert.ok((await exportHistory()).count > 0);
    const cleared = await vscode.commands.executeCommand<boolean>('mcpSampling.clearHistory', { confirm: true });
    assert.equal(cleared, true);
    const after = await exportHistory();
    assert.equal(after.count, 0);
    assert.deepEqual(after.records, []);
  });
});
