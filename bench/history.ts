/**
 * Section 5, history: the cost of `JsonlHistory.append` per request (awaited one by one, as the
 * pipeline's queue runs them) and the file's growth, for the record an auto-approved round trip
 * writes (short prompt, "ok") and for one with a 2 000-character prompt and answer. Appends run
 * past the bound, so the compactions (rewrite of the newest `maxEntries`) are included.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JsonlHistory, type HistoryRecord } from '../src/core/history/history';
import { DEFAULT_SAMPLING_SETTINGS } from '../src/core/sampling/settings';
import { parseArgs, round, roundSummary, summarize } from './stats';
import { runMain, writeResult } from './output';

function record(i: number, text: string, answer: string): HistoryRecord {
  const receivedAt = Date.now();
  return {
    version: 1,
    id: `3f2c1a9e-0000-4000-8000-${String(i).padStart(12, '0')}`,
    serverName: 'bench-1',
    serverSource: 'settings',
    route: 'server-request',
    toolCall: { name: 'sample_sequential' },
    receivedAt,
    finishedAt: receivedAt + 3,
    latencyMs: 3,
    outcome: 'answered',
    decision: 'auto',
    request: { messages: [{ role: 'user', content: { type: 'text', text } }], maxTokens: 16 },
    choice: { providerId: 'stub', model: 'stub-instant', reason: 'the default model of mcpSampling.defaultProvider "stub"' },
    model: 'stub-instant',
    usage: { inputTokens: 4, outputTokens: 1 },
    result: { content: { type: 'text', text: answer }, stopReason: 'endTurn', edited: false, regenerations: 0 },
  };
}

async function measure(kind: string, text: string, answer: string, maxEntries: number, appends: number) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mcp-sampling-bench-jsonl-'));
  try {
    const history = new JsonlHistory({ directory: dir, maxEntries: () => maxEntries, secrets: () => ['sk-bench-not-a-real-key'] });
    const durations: number[] = [];
    let sizeAtBound = 0;
    let peakSize = 0;
    for (let i = 0; i < appends; i++) {
      const start = performance.now();
      await history.append(record(i, text, answer));
      durations.push(performance.now() - start);
      const size = statSync(history.path).size;
      peakSize = Math.max(peakSize, size);
      if (i + 1 === maxEntries) sizeAtBound = size;
    }
    const sorted = [...durations].sort((a, b) => a - b);
    // The slow tail is the compactions: each rewrites the file once it holds maxEntries + slack lines.
    return {
      kind,
      appends,
      maxEntries,
      perAppendMs: roundSummary(summarize(durations), 4),
      slowestAppendsMs: sorted.slice(-3).map((v) => round(v, 3)),
      bytesPerRecord: round(sizeAtBound / maxEntries, 1),
      fileBytesAtBound: sizeAtBound,
      peakFileBytes: peakSize,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = parseArgs();
  const maxEntries = DEFAULT_SAMPLING_SETTINGS.history.maxEntries;
  const appends = args.quick ? maxEntries + 200 : maxEntries * 3;
  const long = 'Summarize the following paragraph in one sentence. '.repeat(40).slice(0, 2000);
  const results = [await measure('short (round-trip record)', 'benchmark request 1 from bench-1', 'ok', maxEntries, appends), await measure('2 000-character prompt and answer', long, long, maxEntries, appends)];
  writeResult(args.out, { section: 'history', measuredOn: 'awaited JsonlHistory.append, one after another, on the local temp directory', results });
}

runMain(main);
