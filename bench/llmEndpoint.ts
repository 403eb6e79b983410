/**
 * The OpenAI-compatible endpoint: one streamed chat completion, timed by the caller (the official
 * `openai` client, in this process) from the request to the last chunk, through the gateway's
 * /v1/chat/completions (GatewayServer -> LlmEndpoint -> the sampling pipeline, approval auto and no
 * review -> the OpenAI-compatible provider -> the stub) against the same client streaming from the
 * same stub directly. In alternating blocks, so load from other processes falls on both.
 */
import OpenAI from 'openai';
import { GatewayServer } from '../src/core/gateway/gatewayServer';
import { LlmEndpoint } from '../src/core/gateway/openai/endpoint';
import { ObservedPrompter } from '../src/core/gateway/openai/observedPrompter';
import { hasValidBearer } from '../src/core/gateway/security';
import { silentLogger } from '../src/core/logger';
import { createSamplingPipeline } from '../src/core/sampling/pipeline';
import { SamplingPolicy } from '../src/core/sampling/policy';
import { emptyBackend } from '../test/support/llmEndpointHarness';
import { runMain, writeResult } from './output';
import { benchRegistry, benchSettings, noHumanPrompter, startStub } from './rigs';
import { parseArgs, round, roundSummary, summarize } from './stats';

const KEY = 'bench-llm-key-0123456789abcdef0123456789abcdef';
/** The stub echoes the last user text one word per chunk: 24 chunks per answer. */
const PROMPT = Array.from({ length: 23 }, (_, i) => `word${i}`).join(' ');
const MODEL = 'stub-echo';

async function streamAll(client: OpenAI, model: string): Promise<number> {
  let chunks = 0;
  const stream = await client.chat.completions.create({ model, messages: [{ role: 'user', content: PROMPT }], stream: true });
  for await (const chunk of stream) if (chunk.choices[0]?.delta.content) chunks++;
  if (chunks === 0) throw new Error(`no text streamed from ${model}`);
  return chunks;
}

async function main(): Promise<void> {
  const args = parseArgs();
  const blocks = args.quick ? 4 : 12;
  const blockSize = args.quick ? 25 : 50;
  const stub = await startStub();
  const settings = benchSettings(stub.baseUrl, MODEL);
  const registry = benchRegistry(settings);
  const observed = new ObservedPrompter(noHumanPrompter);
  const pipeline = createSamplingPipeline({ config: { get: () => settings }, providers: registry, prompter: observed, logger: silentLogger, policy: new SamplingPolicy() });
  const endpoint = new LlmEndpoint({
    authenticate: (authorization) => (hasValidBearer(authorization, KEY) ? { id: 'bench', serverName: 'bench-script', serverSource: 'bench' } : undefined),
    enabled: () => true,
    run: (params, ctx, observer) => observed.observe(ctx.requestId, observer, () => pipeline(params, ctx)),
    catalog: (signal) => registry.catalog(signal),
    reviewsAnswer: (serverName, approvedByPerson) => SamplingPolicy.reviewsAnswer(settings, serverName, approvedByPerson),
    logger: silentLogger,
  });
  const gateway = new GatewayServer({ backend: emptyBackend(), isExposed: () => false, token: () => KEY, logger: silentLogger, routes: { handles: LlmEndpoint.handles, handle: (req, res, path) => endpoint.handle(req, res, path) } });
  const port = await gateway.start(0);
  try {
    const viaEndpoint = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: KEY, maxRetries: 0 });
    const direct = new OpenAI({ baseURL: stub.baseUrl, apiKey: 'unused', maxRetries: 0 });
    const kinds = { endpoint: () => streamAll(viaEndpoint, 'auto'), direct: () => streamAll(direct, MODEL) } as const;
    const order = ['endpoint', 'direct'] as const;
    const samples = { endpoint: [] as number[], direct: [] as number[] };
    const blockP50 = { endpoint: [] as number[], direct: [] as number[] };
    const chunks = { endpoint: 0, direct: 0 };
    for (const kind of order) for (let i = 0; i < blockSize; i++) await kinds[kind]();
    for (let block = 0; block < blocks; block++) {
      for (let i = 0; i < order.length; i++) {
        const kind = order[(block + i) % order.length]!;
        const times: number[] = [];
        for (let n = 0; n < blockSize; n++) {
          const start = performance.now();
          chunks[kind] = await kinds[kind]();
          times.push(performance.now() - start);
        }
        samples[kind].push(...times);
        blockP50[kind].push(summarize(times).p50);
      }
    }
    writeResult(args.out, {
      section: 'llmEndpoint',
      blockSize,
      blocks,
      measuredOn: 'caller side: one streamed chat completion (openai client, request to last chunk), through the gateway endpoint (approval auto, no review) vs from the same stub directly',
      chunksPerAnswer: chunks,
      clients: { endpoint: roundSummary(summarize(samples.endpoint)), direct: roundSummary(summarize(samples.direct)) },
      medianBlockP50Ratio: round(summarize(blockP50.endpoint.map((v, i) => v / blockP50.direct[i]!)).p50, 3),
    });
  } finally {
    await gateway.stop();
    await stub.close();
  }
}

runMain(main);
