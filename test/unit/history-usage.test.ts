// Usage per server and the Markdown view of a history record (both vscode-free).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HistoryRecord } from '../../src/core/history/history';
import { recordTokens, usageByServer } from '../../src/core/history/usage';
import { fenced, formatLatency, recordToMarkdown } from '../../src/vscode/history/recordMarkdown';

let next = 0;
function record(overrides: Partial<HistoryRecord> & Pick<HistoryRecord, 'serverName'>): HistoryRecord {
  next += 1;
  return {
    version: 1,
    id: `r${next}`,
    serverSource: 'settings',
    route: 'server-request',
    receivedAt: 1_700_000_000_000 + next * 1000,
    finishedAt: 1_700_000_000_500 + next * 1000,
    latencyMs: 500,
    outcome: 'answered',
    decision: 'approved',
    ...overrides,
  };
}

test('usageByServer adds input and output tokens per server and sorts by total', () => {
  const usage = usageByServer([
    record({ serverName: 'alpha', usage: { inputTokens: 10, outputTokens: 5 } }),
    record({ serverName: 'beta', usage: { inputTokens: 100, outputTokens: 50 } }),
    record({ serverName: 'alpha', usage: { inputTokens: 1, outputTokens: 2 } }),
    record({ serverName: 'alpha', outcome: 'rejected', decision: 'rejected' }),
  ]);
  assert.deepEqual(
    usage.map((u) => [u.serverName, u.requests, u.answered, u.inputTokens, u.outputTokens, u.totalTokens]),
    [
      ['beta', 1, 1, 100, 50, 150],
      ['alpha', 3, 2, 11, 7, 18],
    ],
  );
  assert.deepEqual(usage.map((u) => [u.withUsage, u.withoutUsage]), [[1, 0], [2, 0]], 'a rejected request without usage is not an answer missing figures');
});

test('usageByServer counts answers without usage and ignores nonsense figures', () => {
  const records = [
    record({ serverName: 'alpha' }),
    record({ serverName: 'alpha', usage: { inputTokens: -5, outputTokens: Number.NaN } }),
    record({ serverName: 'alpha', usage: { inputTokens: 7 } }),
  ];
  const [alpha] = usageByServer(records);
  assert.equal(alpha?.withoutUsage, 1);
  assert.equal(alpha?.withUsage, 2, 'a usage object counts as reported even with unusable figures');
  assert.equal(alpha?.totalTokens, 7);
  assert.equal(alpha?.lastAt, records[2]!.finishedAt);
  assert.deepEqual(usageByServer([]), []);
});

test('recordTokens is undefined without usage, else the sum', () => {
  assert.equal(recordTokens(record({ serverName: 'a' })), undefined);
  assert.equal(recordTokens(record({ serverName: 'a', usage: { inputTokens: 3, outputTokens: 4 } })), 7);
});

test('recordToMarkdown shows the summary, the request, the edits and the answer', () => {
  const md = recordToMarkdown(
    record({
      serverName: 'demo',
      toolCall: { name: 'summarize' },
      model: 'test-echo',
      usage: { inputTokens: 12, outputTokens: 3 },
      latencyMs: 1500,
      request: { systemPrompt: 'Be brief.', messages: [{ role: 'user', content: { type: 'text', text: 'Summarize this' } }], maxTokens: 300 },
      editedRequest: { systemPrompt: 'Be very brief.', messages: [{ role: 'user', content: { type: 'text', text: 'Summarize this' } }], maxTokens: 100 },
      result: { content: { type: 'text', text: 'A summary.' }, stopReason: 'endTurn', edited: true, regenerations: 1 },
    }),
  );
  assert.match(md, /^# Sampling request from demo/);
  assert.match(md, /\| Tool call \| summarize \|/);
  assert.match(md, /\| Latency \| 1\.5 s \|/);
  assert.match(md, /\| Model \| test-echo \|/);
  assert.match(md, /\| Tokens \| 12 in, 3 out \|/);
  assert.match(md, /## Request\n\n\*\*System prompt\*\*\n\n```text\nBe brief\.\n```/);
  assert.match(md, /## Edited request \(as sent to the model\)[\s\S]*Be very brief\.[\s\S]*"maxTokens": 100/);
  assert.match(md, /## Answer\n\n\*edited by the user, regenerated once, stop reason: endTurn\*\n\n```text\nA summary\.\n```/);
});

test('recordToMarkdown keeps server text inside its fences and table cells', () => {
  const hostile = 'x | y\n```\n# injected heading';
  const md = recordToMarkdown(record({ serverName: 'evil | name', request: { messages: [{ role: 'user', content: { type: 'text', text: hostile } }], maxTokens: 1 }, error: { code: -1, message: 'nope' } }));
  assert.match(md, /\| Server \| evil \\\| name \(settings\) \|/);
  assert.ok(md.includes(`\`\`\`\`text\n${hostile}\n\`\`\`\``), 'a four-backtick fence wraps text holding three');
  const lines = md.split('\n');
  const injected = lines.indexOf('# injected heading');
  assert.equal(lines.filter((l) => l === '# injected heading').length, 1);
  assert.equal(lines[injected + 1], '````', 'the line is the last one inside the fence');
  assert.match(md, /## Error\n\n```text\n-1: nope\n```/);
  assert.match(md, /\*\*Message 1 \(user\)\*\*/);
});

test('fenced and formatLatency', () => {
  assert.equal(fenced('plain'), '```\nplain\n```');
  assert.equal(fenced('a ```` b', 'text'), '`````text\na ```` b\n`````');
  assert.equal(formatLatency(250), '250 ms');
  assert.equal(formatLatency(12_345), '12.3 s');
  assert.equal(formatLatency(-1), '—');
});
