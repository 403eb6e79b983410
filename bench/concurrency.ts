/**
 * Section 2, concurrency: 20 bench servers (quick: 10) each send 50 sampling requests at once (1000 in
 * flight), for several rounds, through one client per process (`--rig extension|baseline`), so the memory
 * numbers are that client's alone. Memory is read after forced collections (`node --expose-gc`):
 * once connected and warmed up (one discarded round), then after every round.
 */
import { startBaselineRig, startExtensionRig, startStub, type Rig } from './rigs';
import { gcAvailable, memory, parseArgs, round, roundSummary, sleep, summarize, withTimeout, type MemorySnapshot } from './stats';
import { runMain, writeResult } from './output';

interface ConcurrentResult {
  durationsMs: number[];
  ok: number;
  failed: number;
  errors: string[];
  wallMs: number;
}

const PER_SERVER = 50;
const IDLE_MS = 12_000;

async function main(): Promise<void> {
  const args = parseArgs();
  // Quick mode halves the servers: starting 20 server processes is most of its time on 2 cores.
  const SERVERS = args.quick ? 10 : 20;
  const kindIndex = process.argv.indexOf('--rig');
  const kind = kindIndex === -1 ? 'extension' : process.argv[kindIndex + 1];
  // Quick mode: two rounds for the extension (one round-to-round step), one for the baseline's throughput.
  const rounds = args.quick ? (kind === 'baseline' ? 1 : 2) : 8;
  const before = memory();
  const stub = await startStub();
  let rig: Rig | undefined;
  const phases: Record<string, number> = {};
  let t = performance.now();
  const phase = (name: string) => {
    phases[name] = round(performance.now() - t, 0);
    t = performance.now();
  };
  try {
    rig = kind === 'baseline' ? await startBaselineRig({ baseUrl: stub.baseUrl, servers: SERVERS, streaming: true }) : await startExtensionRig({ baseUrl: stub.baseUrl, servers: SERVERS });
    phase('connectMs');
    const connected = memory();
    const runRound = async () => {
      const start = performance.now();
      const results = await withTimeout(
        `round of ${SERVERS}x${PER_SERVER}`,
        300_000,
        Promise.all(rig!.servers.map((s) => rig!.call<ConcurrentResult>(s, 'sample_concurrent', { count: PER_SERVER }))),
      );
      const wallMs = performance.now() - start;
      const ok = results.reduce((n, r) => n + r.ok, 0);
      const failed = results.reduce((n, r) => n + r.failed, 0);
      return { wallMs, ok, failed, errors: results.flatMap((r) => r.errors).slice(0, 5), durations: results.flatMap((r) => r.durationsMs) };
    };
    await runRound(); // warm-up: loads the SDK schemas, openai, JIT
    phase('warmupMs');
    const afterWarmup = memory();
    const perRound: { wallMs: number; requestsPerSecond: number; ok: number; failed: number; errors: string[]; latency: ReturnType<typeof summarize>; memory: MemorySnapshot }[] = [];
    for (let i = 0; i < rounds; i++) {
      const r = await runRound();
      perRound.push({
        wallMs: round(r.wallMs, 1),
        requestsPerSecond: round((r.ok / r.wallMs) * 1000, 1),
        ok: r.ok,
        failed: r.failed,
        errors: r.errors,
        latency: roundSummary(summarize(r.durations)),
        memory: memory(),
      });
    }
    phase('roundsMs');
    // Memory a request holds for a few seconds after it ends (keep-alive sockets, timeout timers) is not
    // a leak; reading again after an idle pause longer than those tells the two apart (full mode only).
    let afterIdle: MemorySnapshot | undefined;
    if (!args.quick) {
      await sleep(IDLE_MS);
      afterIdle = memory();
    }
    const last = perRound[perRound.length - 1]!.memory;
    const deltas = perRound.slice(1).map((r, i) => ({ heapUsedMB: round(r.memory.heapUsedMB - perRound[i]!.memory.heapUsedMB, 2), rssMB: round(r.memory.rssMB - perRound[i]!.memory.rssMB, 2) }));
    // The trend over the rounds after the first: a least-squares slope, MB per round.
    const slope = (values: number[]) => {
      const n = values.length;
      if (n < 2) return 0;
      const mx = (n - 1) / 2;
      const my = values.reduce((a, b) => a + b, 0) / n;
      const num = values.reduce((s, v, i) => s + (i - mx) * (v - my), 0);
      const den = values.reduce((s, _v, i) => s + (i - mx) ** 2, 0);
      return num / den;
    };
    const allLatencies = perRound.map((r) => r.latency);
    writeResult(args.out, {
      section: 'concurrency',
      client: rig.kind,
      servers: SERVERS,
      inFlightPerServer: PER_SERVER,
      rounds,
      gcForced: gcAvailable(),
      phases,
      answered: perRound.reduce((n, r) => n + r.ok, 0),
      failed: perRound.reduce((n, r) => n + r.failed, 0),
      requestsPerSecond: round(perRound.reduce((n, r) => n + r.ok, 0) / (perRound.reduce((n, r) => n + r.wallMs, 0) / 1000), 1),
      latencyP50Median: summarize(allLatencies.map((l) => l.p50)).p50,
      latencyP99Median: summarize(allLatencies.map((l) => l.p99)).p50,
      memory: {
        beforeConnect: before,
        connected,
        afterWarmup,
        afterLastRound: last,
        ...(afterIdle ? { afterIdle, idleMs: IDLE_MS, growthAfterIdleMB: { heapUsed: round(afterIdle.heapUsedMB - afterWarmup.heapUsedMB, 2), rss: round(afterIdle.rssMB - afterWarmup.rssMB, 2) } } : {}),
        growthSinceWarmupMB: { heapUsed: round(last.heapUsedMB - afterWarmup.heapUsedMB, 2), rss: round(last.rssMB - afterWarmup.rssMB, 2) },
        growthSinceConnectedMB: { heapUsed: round(last.heapUsedMB - connected.heapUsedMB, 2), rss: round(last.rssMB - connected.rssMB, 2) },
        roundToRoundMB: deltas,
        heapSlopeMBPerRound: round(slope(perRound.map((r) => r.memory.heapUsedMB)), 3),
        rssSlopeMBPerRound: round(slope(perRound.map((r) => r.memory.rssMB)), 3),
      },
      perRound,
    });
  } finally {
    await rig?.close();
    await stub.close();
  }
}

runMain(main);
