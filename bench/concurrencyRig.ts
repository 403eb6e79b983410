/**
 * One client of the concurrency section in its own process, so its memory numbers are its alone:
 * forked with IPC by bench/concurrency.ts (`--rig extension|baseline --base-url URL --servers N`,
 * `node --expose-gc`), it connects its bench servers and then does what the coordinator asks, one
 * thing at a time: a round (every server sends `sample_concurrent` with 50 requests at once), the
 * idle reading, the summary, close. Memory is read after forced collections once connected, after
 * the warm-up round and after every round, inside the round's turn (before the reply), so the
 * collection never runs during the other client's round. Rounds are of two phases: `memory` (back to
 * back in this process, as the trend and the idle reading have always been measured) and
 * `throughput` (alternating with the other client's rounds; the throughput numbers come from these).
 */
import { startBaselineRig, startExtensionRig, type Rig } from './rigs';
import { gcAvailable, memory, round, roundSummary, sleep, summarize, withTimeout, type MemorySnapshot } from './stats';

const PER_SERVER = 50;

interface ConcurrentResult {
  durationsMs: number[];
  ok: number;
  failed: number;
  errors: string[];
  wallMs: number;
}

export type RoundPhase = 'warmup' | 'memory' | 'throughput';

export interface RoundReport {
  readonly phase: RoundPhase;
  readonly wallMs: number;
  readonly requestsPerSecond: number;
  readonly ok: number;
  readonly failed: number;
  readonly errors: string[];
  readonly latency: ReturnType<typeof summarize>;
  /** CPU time (user + system) of this process over the round, per answered request, µs. */
  readonly cpuUsPerRequest: number;
  readonly memory: MemorySnapshot;
  /** Since this client's previous round (or warm-up) ended: the other client's round(s) ran in between. */
  readonly sincePreviousRoundMs: number;
}

/** Coordinator -> rig. */
export type RigCommand = { readonly id: number } & ({ readonly cmd: 'round'; readonly phase: RoundPhase } | { readonly cmd: 'idle'; readonly ms: number } | { readonly cmd: 'summary' } | { readonly cmd: 'close' });
/** Rig -> coordinator: `id` 0 is the ready message after connecting. */
export type RigReply = { readonly id: number } & ({ readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string });

const ROUND_TIMEOUT_MS = 300_000;
const CLOSE_TIMEOUT_MS = 10_000;

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

/** The least-squares slope of values over their index (MB per round). */
function slope(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return 0;
  const mx = (n - 1) / 2;
  const my = values.reduce((a, b) => a + b, 0) / n;
  const num = values.reduce((s, v, i) => s + (i - mx) * (v - my), 0);
  const den = values.reduce((s, _v, i) => s + (i - mx) ** 2, 0);
  return num / den;
}

const send = (reply: RigReply) =>
  new Promise<void>((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(reply, undefined, undefined, () => resolve());
  });

async function main(): Promise<void> {
  if (!process.send) throw new Error('bench/concurrencyRig.ts runs forked by bench/concurrency.ts (it needs the IPC channel)');
  const kind = flag('--rig') === 'baseline' ? 'baseline' : 'extension';
  const baseUrl = flag('--base-url');
  const servers = Number(flag('--servers'));
  if (!baseUrl || !Number.isInteger(servers) || servers < 1 || servers > 100) throw new Error('--base-url URL and --servers 1..100 are required');

  let rig: Rig | undefined;
  let closing: Promise<void> | undefined;
  const close = (code: number) => {
    closing ??= withTimeout(`the ${kind} rig to close`, CLOSE_TIMEOUT_MS, rig?.close() ?? Promise.resolve())
      .catch((error: unknown) => process.stderr.write(`${String(error)}\n`))
      .then(() => process.exit(code));
    return closing;
  };
  // Stopped by the coordinator (SIGTERM on error, timeout or Ctrl+C), or the coordinator is gone.
  process.on('SIGTERM', () => void close(143));
  process.on('SIGINT', () => void close(130));
  process.on('disconnect', () => void close(1));

  const before = memory();
  const t0 = performance.now();
  try {
    rig = kind === 'baseline' ? await startBaselineRig({ baseUrl, servers, streaming: true }) : await startExtensionRig({ baseUrl, servers });
  } catch (error) {
    await send({ id: 0, ok: false, error: error instanceof Error ? error.message : String(error) });
    throw error;
  }
  const phases: Record<string, number> = { connectMs: round(performance.now() - t0, 0) };
  const connected = memory();
  let afterWarmup: MemorySnapshot | undefined;
  let afterIdle: MemorySnapshot | undefined;
  let idleMs = 0;
  let lastEnd = performance.now();
  const perRound: RoundReport[] = [];

  const runRound = async (phase: RoundPhase) => {
    const sincePreviousRoundMs = performance.now() - lastEnd;
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    const results = await withTimeout(
      `${kind}: round of ${servers}x${PER_SERVER}`,
      ROUND_TIMEOUT_MS,
      Promise.all(rig!.servers.map((s) => rig!.call<ConcurrentResult>(s, 'sample_concurrent', { count: PER_SERVER }))),
    );
    const wallMs = performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    const ok = results.reduce((n, r) => n + r.ok, 0);
    const snapshot = memory();
    lastEnd = performance.now();
    if (phase === 'warmup') {
      // The warm-up loads the SDK schemas, openai and the JIT; it is not counted.
      phases.warmupMs = round(wallMs, 0);
      afterWarmup = snapshot;
      return { wallMs: round(wallMs, 1) };
    }
    const report: RoundReport = {
      phase,
      wallMs: round(wallMs, 1),
      requestsPerSecond: round((ok / wallMs) * 1000, 1),
      ok,
      failed: results.reduce((n, r) => n + r.failed, 0),
      errors: results.flatMap((r) => r.errors).slice(0, 5),
      latency: roundSummary(summarize(results.flatMap((r) => r.durationsMs))),
      cpuUsPerRequest: round((cpu.user + cpu.system) / Math.max(1, ok), 1),
      memory: snapshot,
      sincePreviousRoundMs: round(sincePreviousRoundMs, 0),
    };
    perRound.push(report);
    return report;
  };

  // Memory a request holds for a few seconds after it ends (keep-alive sockets, timeout timers) is not
  // a leak; reading again after an idle pause longer than those tells the two apart (full mode only).
  const idle = async (ms: number) => {
    await sleep(ms);
    idleMs = ms;
    afterIdle = memory();
    return afterIdle;
  };

  const summary = () => {
    const throughputRounds = perRound.filter((r) => r.phase === 'throughput');
    // Quick mode has no memory rounds of its own: its memory numbers come from the throughput rounds.
    const memoryPhase = perRound.some((r) => r.phase === 'memory');
    const memoryRounds = memoryPhase ? perRound.filter((r) => r.phase === 'memory') : throughputRounds;
    if (!afterWarmup || throughputRounds.length === 0) throw new Error('a summary before the warm-up and a throughput round');
    const last = memoryRounds[memoryRounds.length - 1]!.memory;
    const deltas = memoryRounds.slice(1).map((r, i) => ({ heapUsedMB: round(r.memory.heapUsedMB - memoryRounds[i]!.memory.heapUsedMB, 2), rssMB: round(r.memory.rssMB - memoryRounds[i]!.memory.rssMB, 2) }));
    const throughputOk = throughputRounds.reduce((n, r) => n + r.ok, 0);
    const latencies = throughputRounds.map((r) => r.latency);
    return {
      client: rig!.kind,
      servers,
      inFlightPerServer: PER_SERVER,
      gcForced: gcAvailable(),
      phases,
      // Every round after the warm-up, of both phases.
      answered: perRound.reduce((n, r) => n + r.ok, 0),
      failed: perRound.reduce((n, r) => n + r.failed, 0),
      // The throughput rounds (alternating with the other client's).
      throughputRounds: throughputRounds.length,
      requestsPerSecond: round(throughputOk / (throughputRounds.reduce((n, r) => n + r.wallMs, 0) / 1000), 1),
      latencyP50Median: summarize(latencies.map((l) => l.p50)).p50,
      latencyP99Median: summarize(latencies.map((l) => l.p99)).p50,
      cpuUsPerRequest: round(throughputRounds.reduce((n, r) => n + r.cpuUsPerRequest * r.ok, 0) / Math.max(1, throughputOk), 1),
      // The memory rounds (back to back after the warm-up, then the idle pause).
      memoryRounds: memoryPhase ? memoryRounds.length : 0,
      memory: {
        roundsMeasured: memoryPhase ? 'memory rounds, back to back' : 'throughput rounds, alternating with the other client',
        beforeConnect: before,
        connected,
        afterWarmup,
        afterLastRound: last,
        ...(afterIdle ? { afterIdle, idleMs, growthAfterIdleMB: { heapUsed: round(afterIdle.heapUsedMB - afterWarmup.heapUsedMB, 2), rss: round(afterIdle.rssMB - afterWarmup.rssMB, 2) } } : {}),
        growthSinceWarmupMB: { heapUsed: round(last.heapUsedMB - afterWarmup.heapUsedMB, 2), rss: round(last.rssMB - afterWarmup.rssMB, 2) },
        growthSinceConnectedMB: { heapUsed: round(last.heapUsedMB - connected.heapUsedMB, 2), rss: round(last.rssMB - connected.rssMB, 2) },
        roundToRoundMB: deltas,
        // The trend over the memory rounds: a least-squares slope, MB per round.
        heapSlopeMBPerRound: round(slope(memoryRounds.map((r) => r.memory.heapUsedMB)), 3),
        rssSlopeMBPerRound: round(slope(memoryRounds.map((r) => r.memory.rssMB)), 3),
      },
      perRound,
    };
  };

  // One command at a time: the coordinator waits for each reply before it sends the next.
  let queue = Promise.resolve();
  process.on('message', (message: RigCommand) => {
    queue = queue.then(async () => {
      try {
        if (message.cmd === 'round') await send({ id: message.id, ok: true, value: await runRound(message.phase) });
        else if (message.cmd === 'idle') await send({ id: message.id, ok: true, value: await idle(message.ms) });
        else if (message.cmd === 'summary') await send({ id: message.id, ok: true, value: summary() });
        else {
          await send({ id: message.id, ok: true, value: null });
          await close(0);
        }
      } catch (error) {
        await send({ id: message.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      }
    });
  });
  await send({ id: 0, ok: true, value: { connectMs: phases.connectMs } });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
