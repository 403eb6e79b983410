/**
 * The stdio MCP server for the `input_required` round trip (MCP 2026-07-28 multi round-trip
 * requests, SEP-2322): its tool `sample_rounds` answers `tools/call` with `resultType:
 * "input_required"` carrying one `sampling/createMessage` in `inputRequests`, `rounds` times, and
 * times each round on the server side, from the moment it returns the input_required result to the
 * moment the retried `tools/call` with the sampling answer arrives: everything a client adds to
 * answer one round (reading the round, its sampling pipeline and model call, the retried call).
 * Built on the SDK v1 low-level Server with a tools/call schema that keeps `inputResponses` and
 * `requestState` (as test/fixtures/roundsServer.ts), so it speaks to the extension's connection and
 * to a bare client alike.
 *
 *   node out/bench/roundsBenchServer.js [--name NAME]
 *
 * Bounded: at most 1000 rounds per call and 64 calls in progress.
 */
import { randomUUID } from 'node:crypto';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

const nameIndex = process.argv.indexOf('--name');
const serverName = nameIndex === -1 ? 'bench-rounds' : (process.argv[nameIndex + 1] ?? 'bench-rounds');
const MAX_ROUNDS = 1000;
const MAX_CALLS = 64;
const MAX_ERRORS_KEPT = 5;

const LooseCallToolRequestSchema = z.object({
  method: z.literal('tools/call'),
  params: z.looseObject({ name: z.string(), arguments: z.record(z.string(), z.unknown()).optional() }),
});

interface Call {
  readonly rounds: number;
  step: number;
  sentAt: number;
  readonly durationsMs: number[];
  readonly errors: string[];
  failed: number;
}

const calls = new Map<string, Call>();
const text = (value: string, isError = false) => ({ content: [{ type: 'text' as const, text: value }], ...(isError ? { isError: true } : {}) });
const now = () => performance.now();

function round(id: string, call: Call) {
  call.step += 1;
  call.sentAt = now();
  return {
    resultType: 'input_required',
    inputRequests: {
      answer: {
        method: 'sampling/createMessage',
        params: { messages: [{ role: 'user', content: { type: 'text', text: `benchmark round ${call.step} from ${serverName}` } }], maxTokens: 16 },
      },
    },
    requestState: Buffer.from(JSON.stringify({ id, step: call.step })).toString('base64url'),
  };
}

function readState(raw: unknown): { id: string; step: number } | undefined {
  if (typeof raw !== 'string') return undefined;
  try {
    const state = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { id?: unknown; step?: unknown };
    return typeof state.id === 'string' && typeof state.step === 'number' ? { id: state.id, step: state.step } : undefined;
  } catch {
    return undefined;
  }
}

const server = new Server({ name: serverName, version: '1.0.0' }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, () => ({
  tools: [
    {
      name: 'sample_rounds',
      description: 'Asks for one sampling answer per input_required round, `rounds` times; returns each round trip (ms, server side).',
      inputSchema: { type: 'object' as const, properties: { rounds: { type: 'number' } }, required: ['rounds'] },
    },
  ],
}));
server.setRequestHandler(LooseCallToolRequestSchema, (request) => {
  const params = request.params;
  if (params.name !== 'sample_rounds') return text(`unknown tool ${params.name}`, true);
  if (params.requestState === undefined) {
    const rounds = Math.floor(Number(params.arguments?.rounds));
    if (!(rounds >= 1 && rounds <= MAX_ROUNDS)) return text(`rounds must be 1 to ${MAX_ROUNDS}`, true);
    if (calls.size >= MAX_CALLS) return text('too many calls in progress', true);
    const id = randomUUID();
    const call: Call = { rounds, step: 0, sentAt: 0, durationsMs: [], errors: [], failed: 0 };
    calls.set(id, call);
    return round(id, call);
  }
  const arrived = now();
  const state = readState(params.requestState);
  const call = state && calls.get(state.id);
  if (!state || !call || state.step !== call.step) return text('requestState is not one this server sent', true);
  const answer = (params.inputResponses as { answer?: { content?: { type?: string; text?: unknown }; model?: unknown } } | undefined)?.answer;
  if (answer?.content?.type === 'text' && typeof answer.content.text === 'string' && typeof answer.model === 'string') call.durationsMs.push(arrived - call.sentAt);
  else {
    call.failed++;
    if (call.errors.length < MAX_ERRORS_KEPT) call.errors.push(`round ${call.step}: no sampling answer in inputResponses.answer (${JSON.stringify(answer)?.slice(0, 200)})`);
  }
  if (call.step < call.rounds) return round(state.id, call);
  calls.delete(state.id);
  return text(JSON.stringify({ durationsMs: call.durationsMs, failed: call.failed, errors: call.errors }));
});

process.stdin.on('end', () => process.exit(0));
server.connect(new StdioServerTransport()).catch((error: unknown) => {
  process.stderr.write(`bench rounds server ${serverName}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
