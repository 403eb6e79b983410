/**
 * The newer paths, each against its own bare baseline in the same process and run, in alternating
 * blocks (so load from other processes falls on both):
 *  - input_required: a sampling round trip over the 2026-07-28 multi round-trip route. A bench
 *    server (bench/roundsBenchServer.ts) answers `tools/call` with `input_required` carrying one
 *    sampling request, round after round, and times each round on its side (input_required result
 *    returned -> retried call with the answer received). Extension: ConnectionManager's round
 *    handler and the pipeline (route input-required, approval auto, history on). Baseline: the SDK
 *    client calling `tools/call` in a loop, answering each round with one streaming openai call.
 *  - gateway: one tool call that makes one sampling request, timed by the caller: through the
 *    gateway (an SDK client over Streamable HTTP -> GatewayServer -> ConnectionManager -> bench
 *    server -> sampling -> pipeline) against the same call made on ConnectionManager directly (what
 *    the extension does for its own Call Tool command). The HTTP client runs in this process.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { GatewayServer } from '../src/core/gateway/gatewayServer';
import { silentLogger } from '../src/core/logger';
import { startBaselineRoundsRig, startExtensionRig, startStub, type Rig } from './rigs';
import { parseArgs, round, roundSummary, summarize, withTimeout } from './stats';
import { runMain, writeResult } from './output';

interface SequentialResult {
  durationsMs: number[];
  failed: number;
  errors: string[];
}

const TOKEN = 'bench-gateway-token-0123456789abcdef0123456789';

function paired(a: readonly number[], b: readonly number[]): number {
  return round(summarize(a.map((v, i) => v / b[i]!)).p50, 3);
}

async function main(): Promise<void> {
  const args = parseArgs();
  const blocks = args.quick ? 4 : 12;
  const blockSize = args.quick ? 25 : 50;
  const stub = await startStub();
  const closers: (() => Promise<void>)[] = [];
  try {
    const extension = await startExtensionRig({ baseUrl: stub.baseUrl, servers: 1, roundsServers: 1 });
    closers.push(() => extension.close());
    const bare: Rig = await startBaselineRoundsRig({ baseUrl: stub.baseUrl, servers: 1 });
    closers.push(() => bare.close());

    // ---- input_required ----
    const rounds = (rig: Rig, count: number) =>
      withTimeout(`${count} input_required rounds through ${rig.kind}`, 300_000, rig.call<SequentialResult>(rig.servers === bare.servers ? bare.servers[0]! : extension.roundsServers[0]!, 'sample_rounds', { rounds: count }, { maxRounds: count + 1 }));
    const roundRigs = [extension, bare];
    for (const rig of roundRigs) await rounds(rig, blockSize);
    const roundSamples = new Map<string, number[]>(roundRigs.map((r) => [r.kind, []]));
    const roundBlocks = new Map<string, number[]>(roundRigs.map((r) => [r.kind, []]));
    const roundFailures = new Map<string, { failed: number; errors: string[] }>(roundRigs.map((r) => [r.kind, { failed: 0, errors: [] }]));
    for (let block = 0; block < blocks; block++) {
      for (let i = 0; i < roundRigs.length; i++) {
        const rig = roundRigs[(block + i) % roundRigs.length]!;
        const result = await rounds(rig, blockSize);
        roundSamples.get(rig.kind)!.push(...result.durationsMs);
        roundBlocks.get(rig.kind)!.push(summarize(result.durationsMs).p50);
        const f = roundFailures.get(rig.kind)!;
        f.failed += result.failed;
        f.errors.push(...result.errors.slice(0, 5 - f.errors.length));
      }
    }

    // ---- gateway ----
    const gateway = new GatewayServer({ backend: extension.manager, isExposed: () => true, token: () => TOKEN, logger: silentLogger });
    await gateway.start(0);
    closers.unshift(() => gateway.stop());
    const [{ Client }, { StreamableHTTPClientTransport }] = await Promise.all([
      import('@modelcontextprotocol/sdk/client/index.js'),
      import('@modelcontextprotocol/sdk/client/streamableHttp.js'),
    ]);
    const client = new Client({ name: 'bench-agent', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url!), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }));
    closers.unshift(() => client.close());
    const server = extension.servers[0]!;
    const { tools } = await client.listTools();
    const gatewayTool = tools.find((t) => t.name.endsWith('sample_sequential'))?.name;
    if (!gatewayTool) throw new Error(`the gateway does not offer ${server}'s sample_sequential (it lists ${tools.map((t) => t.name).join(', ')})`);
    const viaGateway = async () => {
      const result = (await client.callTool({ name: gatewayTool, arguments: { count: 1 } })) as CallToolResult;
      if (result.isError) throw new Error(`through the gateway: ${JSON.stringify(result.content).slice(0, 300)}`);
    };
    const direct = async () => {
      await extension.call<SequentialResult>(server, 'sample_sequential', { count: 1 });
    };
    const kinds = { gateway: viaGateway, direct } as const;
    const gatewaySamples = { gateway: [] as number[], direct: [] as number[] };
    const gatewayBlocks = { gateway: [] as number[], direct: [] as number[] };
    const order = ['gateway', 'direct'] as const;
    for (const kind of order) for (let i = 0; i < blockSize; i++) await kinds[kind]();
    for (let block = 0; block < blocks; block++) {
      for (let i = 0; i < order.length; i++) {
        const kind = order[(block + i) % order.length]!;
        const times: number[] = [];
        for (let n = 0; n < blockSize; n++) {
          const start = performance.now();
          await kinds[kind]();
          times.push(performance.now() - start);
        }
        gatewaySamples[kind].push(...times);
        gatewayBlocks[kind].push(summarize(times).p50);
      }
    }

    writeResult(args.out, {
      section: 'paths',
      blockSize,
      blocks,
      inputRequired: {
        measuredOn: 'server side: input_required result returned -> retried tools/call with the sampling answer received, per round',
        clients: Object.fromEntries([...roundSamples].map(([kind, values]) => [kind, { ...roundSummary(summarize(values)), ...roundFailures.get(kind)! }])),
        medianBlockP50Ratio: paired(roundBlocks.get('extension')!, roundBlocks.get('baseline-rounds')!),
      },
      gateway: {
        measuredOn: 'caller side: one tools/call that makes one sampling request (auto-approved), through the gateway over HTTP vs on ConnectionManager directly',
        clients: { gateway: roundSummary(summarize(gatewaySamples.gateway)), direct: roundSummary(summarize(gatewaySamples.direct)) },
        medianBlockP50Ratio: paired(gatewayBlocks.gateway, gatewayBlocks.direct),
      },
    });
  } finally {
    for (const close of closers) await close().catch(() => undefined);
    await stub.close();
  }
}

runMain(main);
