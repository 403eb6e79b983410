/**
 * The two clients the benchmarks compare, each driving bench servers (real stdio processes):
 *  - extension: the extension's core, wired as src/vscode/samplingRuntime.ts wires it: ConnectionManager
 *    and ServerConnection, createSamplingPipeline (approval auto, no review, history on), the
 *    OpenAI-compatible provider on the stub's `stub-instant` model.
 *  - baseline: the SDK's Client with the sampling capability, whose handler calls the same stub with
 *    the `openai` package, streaming (the same wire request the extension sends) or not.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { silentLogger } from '../src/core/logger';
import { ConnectionManager } from '../src/core/mcp/connectionManager';
import type { ServerDefinition } from '../src/core/config/serverDefinition';
import { createSamplingPipeline } from '../src/core/sampling/pipeline';
import { createSamplingHandler } from '../src/core/sampling/handlerAdapter';
import { SamplingPolicy } from '../src/core/sampling/policy';
import { DEFAULT_SAMPLING_SETTINGS, type SamplingSettings } from '../src/core/sampling/settings';
import type { ApprovalPrompter } from '../src/core/sampling/types';
import { ProviderRegistry } from '../src/core/providers/registry';
import { createProvider } from '../src/core/providers/factories';
import { JsonlHistory } from '../src/core/history/history';
import { withTimeout } from './stats';

/** The repo root from out/bench/*.js. */
export const repoRoot = path.resolve(__dirname, '..', '..');
export const benchServerPath = path.join(repoRoot, 'out', 'bench', 'benchServer.js');
export const roundsBenchServerPath = path.join(repoRoot, 'out', 'bench', 'roundsBenchServer.js');
const STUB_MODEL = 'stub-instant';
const TOOL_TIMEOUT_MS = 15 * 60_000;

export type RigKind = 'extension' | 'baseline-stream' | 'baseline-json' | 'baseline-rounds';

export interface Rig {
  readonly kind: RigKind;
  readonly servers: readonly string[];
  /** Calls a bench server tool and returns its JSON result (`maxRounds`: input_required rounds allowed). */
  call<T>(server: string, tool: string, args: Record<string, unknown>, options?: { readonly maxRounds?: number }): Promise<T>;
  close(): Promise<void>;
}

export interface Stub {
  readonly baseUrl: string;
  close(): Promise<void>;
}

/** Starts the OpenAI-compatible stub in its own process on 127.0.0.1. */
export async function startStub(): Promise<Stub> {
  const child: ChildProcess = spawn(process.execPath, [path.join(repoRoot, 'out', 'bench', 'stubProcess.js')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const closed = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = await withTimeout(
    'the OpenAI stub to start',
    15_000,
    new Promise<string>((resolve, reject) => {
      let buffered = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        const line = buffered.split('\n')[0];
        if (buffered.includes('\n') && line) resolve((JSON.parse(line) as { baseUrl: string }).baseUrl);
      });
      child.once('exit', (code) => reject(new Error(`the stub exited with ${code}`)));
    }),
  ).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  return {
    baseUrl,
    async close() {
      child.kill('SIGTERM');
      await Promise.race([closed, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

function parseToolResult<T>(result: CallToolResult, what: string): T {
  const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
  if (result.isError) throw new Error(`${what} failed: ${text}`);
  return JSON.parse(text) as T;
}

const serverNames = (count: number, prefix = 'bench') => Array.from({ length: count }, (_, i) => `${prefix}-${i + 1}`);

export interface ExtensionRigOptions {
  readonly baseUrl: string;
  readonly servers: number;
  /** History entries kept (the setting's default is 1000). */
  readonly historyMaxEntries?: number;
  /** Also connect this many input_required servers (bench/roundsBenchServer.ts), named rounds-1…; default none. */
  readonly roundsServers?: number;
}

/** Approval is 'auto' and review off, so nothing here is ever asked; a call would be a bug in the setup. */
export const noHumanPrompter: ApprovalPrompter = {
  open: () => ({
    approve: () => Promise.reject(new Error('no approval expected in the benchmark')),
    review: () => Promise.reject(new Error('no review expected in the benchmark')),
    manualReply: () => Promise.reject(new Error('no manual reply expected in the benchmark')),
    notify: () => {},
  }),
};

/** No person, no review, the stub as the only provider, and no rate limit; everything else as shipped. */
export function benchSettings(baseUrl: string, defaultModel: string, historyMaxEntries?: number): SamplingSettings {
  return {
    ...DEFAULT_SAMPLING_SETTINGS,
    approval: 'auto',
    reviewResponses: false,
    defaultProvider: 'stub',
    providers: [{ id: 'stub', label: 'Stub', baseUrl, defaultModel }],
    // The default 30 per minute per server would refuse a benchmark; everything else stays default.
    limits: { ...DEFAULT_SAMPLING_SETTINGS.limits, requestsPerMinute: 1_000_000_000 },
    history: { maxEntries: historyMaxEntries ?? DEFAULT_SAMPLING_SETTINGS.history.maxEntries },
  };
}

/** The providers of those settings, made by the same factories as the extension's. */
export function benchRegistry(settings: SamplingSettings): ProviderRegistry {
  const registry = new ProviderRegistry(silentLogger);
  registry.syncFromSettings(settings.providers, (setting) => createProvider(setting, { getApiKey: async () => undefined, logger: silentLogger }));
  return registry;
}

export async function startExtensionRig(options: ExtensionRigOptions): Promise<Rig & { readonly historyFile: string; readonly manager: ConnectionManager; readonly roundsServers: readonly string[] }> {
  const settings = benchSettings(options.baseUrl, STUB_MODEL, options.historyMaxEntries);
  const registry = benchRegistry(settings);
  const historyDir = mkdtempSync(path.join(os.tmpdir(), 'mcp-sampling-bench-history-'));
  const history = new JsonlHistory({ directory: historyDir, maxEntries: () => settings.history.maxEntries, secrets: () => [], logger: silentLogger });
  const pipeline = createSamplingPipeline({
    config: { get: () => settings },
    providers: registry,
    prompter: noHumanPrompter,
    history,
    logger: silentLogger,
    policy: new SamplingPolicy(),
    secrets: () => [],
  });
  const manager = new ConnectionManager({
    logger: silentLogger,
    samplingHandler: createSamplingHandler(pipeline, { serverSource: () => 'bench' }),
    // As src/vscode/servers wires it: sampling inside input_required results goes through the same pipeline.
    connectionOptions: { inputRequiredSamplingHandler: createSamplingHandler(pipeline, { serverSource: () => 'bench', route: 'input-required' }) },
    samplingTools: true,
    toolCallTimeoutMs: () => TOOL_TIMEOUT_MS,
    reconnect: { maxAttempts: 0 },
  });
  const servers = serverNames(options.servers);
  const roundsServers = serverNames(options.roundsServers ?? 0, 'rounds');
  const stdio = (name: string, script: string): ServerDefinition => ({
    type: 'stdio',
    name,
    source: 'bench',
    disabled: false,
    command: process.execPath,
    args: [script, '--name', name],
    env: {},
  });
  const definitions: ServerDefinition[] = [...servers.map((name) => stdio(name, benchServerPath)), ...roundsServers.map((name) => stdio(name, roundsBenchServerPath))];
  try {
    await withTimeout('the extension rig to connect', 120_000, manager.update(definitions));
    const down = manager.list().filter((s) => s.status !== 'connected');
    if (down.length) throw new Error(`not connected: ${down.map((s) => `${s.name} (${s.error ?? s.status})`).join(', ')}`);
  } catch (error) {
    await manager.dispose();
    rmSync(historyDir, { recursive: true, force: true });
    throw error;
  }
  return {
    kind: 'extension',
    servers,
    roundsServers,
    manager,
    historyFile: history.path,
    async call<T>(server: string, tool: string, args: Record<string, unknown>, callOptions: { readonly maxRounds?: number } = {}) {
      return parseToolResult<T>(await manager.callTool(server, tool, args, { timeoutMs: TOOL_TIMEOUT_MS, ...callOptions }), `${server}/${tool}`);
    },
    async close() {
      await manager.dispose();
      await history.dispose(); // writes what is queued and closes the file before the directory goes
      rmSync(historyDir, { recursive: true, force: true });
    },
  };
}

export interface BaselineRigOptions {
  readonly baseUrl: string;
  readonly servers: number;
  readonly streaming: boolean;
}

export async function startBaselineRig(options: BaselineRigOptions): Promise<Rig> {
  const [{ Client }, { StdioClientTransport }, { CreateMessageRequestSchema }, { default: OpenAI }] = await Promise.all([
    import('@modelcontextprotocol/sdk/client/index.js'),
    import('@modelcontextprotocol/sdk/client/stdio.js'),
    import('@modelcontextprotocol/sdk/types.js'),
    import('openai'),
  ]);
  const openai = new OpenAI({ apiKey: 'no-key-set', baseURL: options.baseUrl });
  const servers = serverNames(options.servers);
  const clients = new Map<string, InstanceType<typeof Client>>();

  const connectOne = async (name: string) => {
    const client = new Client({ name: 'bench-baseline', version: '1.0.0' }, { capabilities: { sampling: {} } });
    client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
      const messages = request.params.messages.map((m) => {
        const blocks = Array.isArray(m.content) ? m.content : [m.content];
        return { role: m.role, content: blocks.map((b) => (b.type === 'text' ? b.text : '')).join('') };
      });
      const body = { model: STUB_MODEL, messages, max_tokens: request.params.maxTokens };
      let text = '';
      let model = STUB_MODEL;
      if (options.streaming) {
        const stream = await openai.chat.completions.create({ ...body, stream: true });
        for await (const chunk of stream) {
          text += chunk.choices[0]?.delta?.content ?? '';
          model = chunk.model || model;
        }
      } else {
        const completion = await openai.chat.completions.create({ ...body, stream: false });
        text = completion.choices[0]?.message?.content ?? '';
        model = completion.model;
      }
      return { role: 'assistant' as const, content: { type: 'text' as const, text }, model, stopReason: 'endTurn' };
    });
    const transport = new StdioClientTransport({ command: process.execPath, args: [benchServerPath, '--name', name], stderr: 'ignore' });
    clients.set(name, client);
    await client.connect(transport);
  };

  const close = async () => {
    await Promise.allSettled([...clients.values()].map((c) => c.close()));
  };
  try {
    await withTimeout('the baseline rig to connect', 120_000, Promise.all(servers.map(connectOne)));
  } catch (error) {
    await close();
    throw error;
  }
  return {
    kind: options.streaming ? 'baseline-stream' : 'baseline-json',
    servers,
    async call<T>(server: string, tool: string, args: Record<string, unknown>) {
      const client = clients.get(server);
      if (!client) throw new Error(`no server ${server}`);
      const result = (await client.callTool({ name: tool, arguments: args }, undefined, { timeout: TOOL_TIMEOUT_MS })) as CallToolResult;
      return parseToolResult<T>(result, `${server}/${tool}`);
    },
    close,
  };
}

/**
 * The bare client of the input_required route: the SDK's Client over stdio calling `tools/call` and,
 * while the result is `input_required`, answering each embedded sampling request with one streaming
 * `openai` call on the stub and calling again with `inputResponses` and the `requestState`. Nothing
 * else: no validation, policy, history or limits.
 */
export async function startBaselineRoundsRig(options: { readonly baseUrl: string; readonly servers: number }): Promise<Rig> {
  const [{ Client }, { StdioClientTransport }, { default: OpenAI }, { z }] = await Promise.all([
    import('@modelcontextprotocol/sdk/client/index.js'),
    import('@modelcontextprotocol/sdk/client/stdio.js'),
    import('openai'),
    import('zod'),
  ]);
  const openai = new OpenAI({ apiKey: 'no-key-set', baseURL: options.baseUrl });
  const AnyResult = z.looseObject({});
  type Embedded = { method?: string; params?: { messages?: { role: 'user' | 'assistant'; content: { type: string; text?: string } }[]; maxTokens?: number } };
  const sample = async (request: Embedded) => {
    const messages = (request.params?.messages ?? []).map((m) => ({ role: m.role, content: m.content.type === 'text' ? (m.content.text ?? '') : '' }));
    const stream = await openai.chat.completions.create({ model: STUB_MODEL, messages, max_tokens: request.params?.maxTokens, stream: true });
    let text = '';
    let model = STUB_MODEL;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      model = chunk.model || model;
    }
    return { role: 'assistant' as const, content: { type: 'text' as const, text }, model, stopReason: 'endTurn' };
  };
  const servers = serverNames(options.servers, 'rounds');
  const clients = new Map<string, InstanceType<typeof Client>>();
  const close = async () => {
    await Promise.allSettled([...clients.values()].map((c) => c.close()));
  };
  try {
    await withTimeout(
      'the baseline rounds rig to connect',
      120_000,
      Promise.all(
        servers.map(async (name) => {
          const client = new Client({ name: 'bench-baseline-rounds', version: '1.0.0' }, { capabilities: { sampling: {} } });
          clients.set(name, client);
          await client.connect(new StdioClientTransport({ command: process.execPath, args: [roundsBenchServerPath, '--name', name], stderr: 'ignore' }));
        }),
      ),
    );
  } catch (error) {
    await close();
    throw error;
  }
  return {
    kind: 'baseline-rounds',
    servers,
    async call<T>(server: string, tool: string, args: Record<string, unknown>) {
      const client = clients.get(server);
      if (!client) throw new Error(`no server ${server}`);
      let params: Record<string, unknown> = { name: tool, arguments: args };
      for (let round = 0; round <= 100_000; round++) {
        const result = (await client.request({ method: 'tools/call', params }, AnyResult, { timeout: TOOL_TIMEOUT_MS })) as Record<string, unknown>;
        if (result.resultType !== 'input_required') return parseToolResult<T>(result as unknown as CallToolResult, `${server}/${tool}`);
        const inputResponses: Record<string, unknown> = {};
        for (const [key, request] of Object.entries((result.inputRequests ?? {}) as Record<string, Embedded>)) {
          if (request.method === 'sampling/createMessage') inputResponses[key] = await sample(request);
        }
        params = { name: tool, arguments: args, inputResponses, requestState: result.requestState };
      }
      throw new Error(`${server}/${tool} did not finish`);
    },
    close,
  };
}
