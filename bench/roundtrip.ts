/**
 * Section 1, round-trip overhead: sequential sampling requests from one bench server, timed on the
 * server side (createMessage sent -> result parsed), through the extension's core and through the
 * baseline clients. Blocks of requests alternate between the clients so load from other processes
 * on the machine falls on all of them alike; one block per client is a discarded warm-up.
 */
import { startBaselineRig, startExtensionRig, startStub, type Rig } from './rigs';
import { parseArgs, round, roundSummary, summarize, withTimeout } from './stats';
import { runMain, writeResult } from './output';

interface SequentialResult {
  durationsMs: number[];
  failed: number;
  errors: string[];
}

async function main(): Promise<void> {
  const args = parseArgs();
  // Small blocks, many alternations: load from other processes changes by the second.
  const blocks = args.quick ? 4 : 20;
  const blockSize = 50;
  const warmup = args.quick ? 50 : 200;
  const stub = await startStub();
  const rigs: Rig[] = [];
  try {
    rigs.push(await startExtensionRig({ baseUrl: stub.baseUrl, servers: 1 }));
    rigs.push(await startBaselineRig({ baseUrl: stub.baseUrl, servers: 1, streaming: true }));
    rigs.push(await startBaselineRig({ baseUrl: stub.baseUrl, servers: 1, streaming: false }));
    const samples = new Map<string, number[]>(rigs.map((r) => [r.kind, []]));
    const failures = new Map<string, { failed: number; errors: string[] }>(rigs.map((r) => [r.kind, { failed: 0, errors: [] }]));
    const run = (rig: Rig, count: number) =>
      withTimeout(`${count} requests through ${rig.kind}`, 300_000, rig.call<SequentialResult>(rig.servers[0]!, 'sample_sequential', { count }));
    for (const rig of rigs) await run(rig, warmup);
    const blockP50 = new Map<string, number[]>(rigs.map((r) => [r.kind, []]));
    // CPU time of this process (the client; the server and the stub are processes of their own) per
    // request, block by block: it moves far less with the machine's load than wall time.
    const blockCpuUs = new Map<string, number[]>(rigs.map((r) => [r.kind, []]));
    for (let block = 0; block < blocks; block++) {
      // Rotate the order so no client always runs first after a pause.
      for (let i = 0; i < rigs.length; i++) {
        const rig = rigs[(block + i) % rigs.length]!;
        const cpu = process.cpuUsage();
        const result = await run(rig, blockSize);
        const used = process.cpuUsage(cpu);
        blockCpuUs.get(rig.kind)!.push((used.user + used.system) / blockSize);
        samples.get(rig.kind)!.push(...result.durationsMs);
        blockP50.get(rig.kind)!.push(summarize(result.durationsMs).p50);
        const f = failures.get(rig.kind)!;
        f.failed += result.failed;
        f.errors.push(...result.errors.slice(0, 5 - f.errors.length));
      }
    }
    const summaries = Object.fromEntries([...samples].map(([kind, values]) => [kind, { ...roundSummary(summarize(values)), ...failures.get(kind)! }]));
    // Each block's p50 against the baseline's block run right beside it: robust to load that changes over the run.
    const ext = blockP50.get('extension')!;
    const pairedRatio = (kind: string) => round(summarize(ext.map((v, i) => v / blockP50.get(kind)![i]!)).p50, 3);
    const cpuUsPerRequest = Object.fromEntries([...blockCpuUs].map(([kind, values]) => [kind, round(summarize(values).p50, 1)]));
    const cpuRatio = (kind: string) => round(summarize(blockCpuUs.get('extension')!.map((v, i) => v / blockCpuUs.get(kind)![i]!)).p50, 3);
    writeResult(args.out, {
      section: 'roundtrip',
      cpuUsPerRequest,
      medianBlockCpuRatio: { 'baseline-stream': cpuRatio('baseline-stream'), 'baseline-json': cpuRatio('baseline-json') },
      blockSize,
      medianBlockP50Ratio: { 'baseline-stream': pairedRatio('baseline-stream'), 'baseline-json': pairedRatio('baseline-json') },
      measuredOn: 'server side: from createMessage being sent to its result being parsed, per request, sequential',
      requestsPerClient: blocks * blockSize,
      warmupPerClient: warmup,
      clients: summaries,
    });
  } finally {
    await Promise.allSettled(rigs.map((r) => r.close()));
    await stub.close();
  }
}

runMain(main);
