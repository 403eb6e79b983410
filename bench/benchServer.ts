/**
 * The stdio MCP server the benchmarks drive. Its tools send `sampling/createMessage` to the client and
 * time each one on the server side, from just before the request is written to stdout to the moment
 * the result is parsed: exactly the round trip a client (the extension, or the baseline) adds.
 *
 *   node out/bench/benchServer.js [--name NAME]
 *
 * Every loop is bounded by its arguments (at most 100 000 requests or 600 s).
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { CreateMessageRequest } from '@modelcontextprotocol/sdk/types.js';
import { createHash } from 'node:crypto';
import { z } from 'zod';

const nameIndex = process.argv.indexOf('--name');
const serverName = nameIndex === -1 ? 'bench' : (process.argv[nameIndex + 1] ?? 'bench');
const MAX_ERRORS_KEPT = 5;

const server = new McpServer({ name: serverName, version: '1.0.0' }, { capabilities: { tools: {} } });

let sequence = 0;
function request(prompt?: string): CreateMessageRequest['params'] {
  sequence += 1;
  return { messages: [{ role: 'user', content: { type: 'text', text: prompt ?? `benchmark request ${sequence} from ${serverName}` } }], maxTokens: 16 };
}

const now = () => performance.now();
// Date.now, not timeOrigin + now(): the browser compares against it, and a long-lived frame's timeOrigin drifts from the wall clock.
const epochMs = () => Date.now();
const json = (value: unknown) => ({ content: [{ type: 'text' as const, text: JSON.stringify(value) }] });
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** One timed request: its duration in ms, or the error. */
async function timedSample(prompt?: string): Promise<{ ms: number; error?: string }> {
  const start = now();
  try {
    const result = await server.server.createMessage(request(prompt));
    if (result.content === undefined) throw new Error('a result without content');
    return { ms: now() - start };
  } catch (error) {
    return { ms: now() - start, error: message(error) };
  }
}

server.registerTool(
  'sample_sequential',
  { description: 'Sends `count` sampling requests one after another; returns each duration (ms, server side).', inputSchema: { count: z.number().int().min(1).max(100_000) } },
  async ({ count }) => {
    const durationsMs: number[] = [];
    const errors: string[] = [];
    let failed = 0;
    for (let i = 0; i < count; i++) {
      const r = await timedSample();
      if (r.error) {
        failed++;
        if (errors.length < MAX_ERRORS_KEPT) errors.push(r.error);
      } else durationsMs.push(r.ms);
    }
    return json({ durationsMs, failed, errors });
  },
);

server.registerTool(
  'sample_concurrent',
  { description: 'Sends `count` sampling requests at once; returns each duration and the wall time.', inputSchema: { count: z.number().int().min(1).max(10_000) } },
  async ({ count }) => {
    const start = now();
    const results = await Promise.all(Array.from({ length: count }, () => timedSample()));
    const wallMs = now() - start;
    const failures = results.filter((r) => r.error);
    return json({ durationsMs: results.filter((r) => !r.error).map((r) => r.ms), ok: count - failures.length, failed: failures.length, errors: failures.slice(0, MAX_ERRORS_KEPT).map((r) => r.error), wallMs });
  },
);

server.registerTool(
  'sample_timed',
  { description: 'Sends one sampling request; returns when it was sent and when the result arrived (Date.now() ms).', inputSchema: { prompt: z.string().max(10_000) } },
  async ({ prompt }) => {
    const sentAt = epochMs();
    const result = await server.server.createMessage(request(prompt), { timeout: 120_000 });
    const resolvedAt = epochMs();
    return json({ sentAt, resolvedAt, model: result.model, content: result.content });
  },
);

/**
 * `bytes` characters of text, 80-character lines (or one long line), starting with the line the test model answers with
 * a digest of what it received (test/helper-extension/testModels.ts): a 10 MB echo would stream for minutes.
 */
function bigText(bytes: number, tag: string, oneLine: boolean): string {
  // One line after the first, as minified JSON or base64 comes.
  if (oneLine) return `DIGEST ONLY\n${`${tag} word `.repeat(Math.ceil(bytes / (tag.length + 6)))}`.slice(0, bytes);
  const lines = ['DIGEST ONLY'];
  let size = lines[0]!.length + 1;
  for (let i = 0; size < bytes; i++) {
    const line = `${tag} line ${i} `.padEnd(79, '.');
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n').slice(0, bytes);
}

server.registerTool(
  'sample_big',
  {
    description: 'Sends one sampling request of `bytes` characters; returns when it was sent and answered, and whether the model received exactly that text.',
    inputSchema: { bytes: z.number().int().min(100).max(12_000_000), tag: z.string().max(100), oneLine: z.boolean().optional() },
  },
  async ({ bytes, tag, oneLine }) => {
    const text = bigText(bytes, tag, oneLine === true);
    const expected = `sha256 ${createHash('sha256').update(text).digest('hex')} length ${text.length}`;
    const sentAt = epochMs();
    try {
      const result = await server.server.createMessage({ messages: [{ role: 'user', content: { type: 'text', text } }], maxTokens: 64 }, { timeout: 600_000 });
      const blocks = (Array.isArray(result.content) ? result.content : [result.content]) as { type: string; text?: string }[];
      const answer = blocks.map((b) => b.text ?? '').join('');
      return json({ sentAt, resolvedAt: epochMs(), exact: answer === expected, answer: answer.slice(0, 200), expected });
    } catch (error) {
      return json({ sentAt, resolvedAt: epochMs(), error: message(error) });
    }
  },
);

server.registerTool(
  'sample_for',
  { description: 'Sends sampling requests one after another for `seconds`; returns how many were answered.', inputSchema: { seconds: z.number().min(0.1).max(600) } },
  async ({ seconds }) => {
    const deadline = now() + seconds * 1000;
    let answered = 0;
    let failed = 0;
    const errors: string[] = [];
    for (let i = 0; i < 10_000_000 && now() < deadline; i++) {
      const r = await timedSample();
      if (r.error) {
        failed++;
        if (errors.length < MAX_ERRORS_KEPT) errors.push(r.error);
      } else answered++;
    }
    return json({ answered, failed, errors });
  },
);

process.stdin.on('end', () => process.exit(0));
server.connect(new StdioServerTransport()).catch((error: unknown) => {
  process.stderr.write(`bench server ${serverName}: ${message(error)}\n`);
  process.exit(1);
});
