/**
 * Section 2, concurrency: 20 bench servers (quick: 10) each send 50 sampling requests at once (1000 in
 * flight), round after round, through the extension's core and through the bare SDK client. Each client
 * runs in its own process (bench/concurrencyRig.ts, forked with IPC, `node --expose-gc`), so its memory
 * numbers are its alone; this process coordinates them, and never lets two rounds run at once (the next
 * starts when the previous client has replied, after its forced collection):
 *  1. starts the stub both use and connects both clients;
 *  2. memory, one client after the other, as each was always measured: a warm-up round, 8 rounds back
 *     to back (heap and rss after forced collections after each), then 12 s idle and a last reading
 *     (the first client's idle pause runs while the second does its rounds; it is no round);
 *  3. throughput: 8 rounds per client, strictly alternating (extension, baseline, extension, …), so every
 *     round follows exactly one round of the other client and load from other processes falls on both
 *     alike. Every two consecutive rounds are a pair (15 pairs, the extension first in every other one);
 *     the ratio to read is the median over pairs of extension req/s ÷ baseline req/s, the totals over
 *     all rounds are beside it. Not A B B A: a client's round right after its own previous one ran
 *     20–35 % faster than one after the other client's round (measured 2026-12-02, both clients, probably
 *     the keep-alive sockets to the stub, which close after ~5 s idle), so each pair compared a warm
 *     round with a cold one and the pair ratios split by order (×1.05 vs ×0.55–×0.96).
 * Step 2 stays apart from step 3 because a client's rounds are not back to back when they alternate:
 * what a round holds for a few seconds after it ends would be released in the other client's round and
 * the trend would not measure what it measured before.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { RigCommand, RigReply, RoundReport } from './concurrencyRig';
import { startStub, type Stub } from './rigs';
import { parseArgs, round, sleep, withTimeout } from './stats';
import { runMain, writeResult } from './output';

type Kind = 'extension' | 'baseline';
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type Command = WithoutId<RigCommand>;

const RIG_SCRIPT = path.join(__dirname, 'concurrencyRig.js');
const IDLE_MS = 12_000;
const CONNECT_TIMEOUT_MS = 180_000;
const ROUND_TIMEOUT_MS = 320_000; // the rig's own limit per round is 300 s
const STOP_TIMEOUT_MS = 12_000;

interface RigProcess {
  readonly kind: Kind;
  request<T>(command: Command, timeoutMs: number): Promise<T>;
  /** Asks the rig to close its client and servers; SIGTERM, then SIGKILL, when it does not exit in time. */
  stop(): Promise<void>;
  kill(): void;
}

const live = new Set<RigProcess>();
const log = (text: string) => process.stderr.write(`[concurrency] ${text}\n`);

/** `MCP_SAMPLING_BENCH_CPU_PROF=<dir>`: each rig process writes a CPU profile to <dir>/<rig> (to read what a round is made of). */
const profileDir = process.env['MCP_SAMPLING_BENCH_CPU_PROF'];

async function startRig(kind: Kind, baseUrl: string, servers: number): Promise<RigProcess> {
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}/${kind}`] : [];
  const child: ChildProcess = fork(RIG_SCRIPT, ['--rig', kind, '--base-url', baseUrl, '--servers', String(servers)], { execArgv: ['--expose-gc', ...profile], stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
    process.stderr.write(chunk);
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let gone: string | undefined;
  const exited = new Promise<void>((resolve) => {
    const end = (why: string) => {
      gone ??= why;
      for (const p of pending.values()) p.reject(new Error(`the ${kind} rig ${why}${stderr.trim() ? `: ${stderr.trim().split('\n').slice(-3).join(' ')}` : ''}`));
      pending.clear();
      resolve();
    };
    child.once('exit', (code, signal) => end(`exited (${signal ?? `code ${code}`})`));
    child.once('error', (error) => end(`failed: ${error.message}`));
  });
  child.on('message', (message: RigReply) => {
    const p = pending.get(message.id);
    if (!p) return;
    pending.delete(message.id);
    if (message.ok) p.resolve(message.value);
    else p.reject(new Error(`${kind}: ${message.error}`));
  });
  const wait = <T>(id: number, what: string, timeoutMs: number) =>
    withTimeout(
      what,
      timeoutMs,
      new Promise<T>((resolve, reject) => {
        if (gone) return reject(new Error(`the ${kind} rig ${gone}`));
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      }),
    );
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  let nextId = 1;
  let ready = false;
  const rig: RigProcess = {
    kind,
    request<T>(command: Command, timeoutMs: number) {
      const id = nextId++;
      const reply = wait<T>(id, `the ${kind} rig's ${command.cmd}`, timeoutMs);
      if (!gone) child.send({ id, ...command });
      return reply;
    },
    async stop() {
      // Before it is connected it does not listen for commands yet: SIGTERM (it stops what it started).
      if (!gone && ready) await rig.request({ cmd: 'close' }, STOP_TIMEOUT_MS).catch(() => kill());
      else kill();
      if (!(await Promise.race([exited.then(() => true), sleep(STOP_TIMEOUT_MS).then(() => false)]))) {
        kill();
        if (!(await Promise.race([exited.then(() => true), sleep(3000).then(() => false)]))) child.kill('SIGKILL');
      }
      live.delete(rig);
    },
    kill,
  };
  live.add(rig);
  try {
    await wait(0, `the ${kind} rig to connect ${servers} servers`, CONNECT_TIMEOUT_MS);
    ready = true;
  } catch (error) {
    await rig.stop();
    throw error;
  }
  return rig;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

let stub: Stub | undefined;

type PairRound = { wallMs: number; requestsPerSecond: number; cpuUsPerRequest: number };

async function main(): Promise<void> {
  const args = parseArgs();
  // Quick mode (a smoke run of about the old 2 + 1 rounds) halves the servers (starting 20 server processes
  // per client is most of its time on 2 cores) and runs two throughput rounds per client (three pairs), no
  // memory rounds of their own (its memory numbers come from the throughput rounds) and no idle pause.
  const servers = args.quick ? 10 : 20;
  const memoryRounds = args.quick ? 0 : 8;
  const idleMs = args.quick ? 0 : IDLE_MS;
  const rounds = args.quick ? 2 : 8;
  const phases: Record<string, number> = {};
  let t = performance.now();
  const phase = (name: string) => {
    phases[name] = round(performance.now() - t, 0);
    t = performance.now();
  };
  stub = await startStub();
  try {
    // Both at once: connecting is not measured (each rig's connectMs holds the other's start-up too).
    const [extension, baseline] = await Promise.all([startRig('extension', stub.baseUrl, servers), startRig('baseline', stub.baseUrl, servers)]);
    phase('connectMs');

    // ---- memory: each client's rounds back to back, one client after the other ----
    const idles: Promise<unknown>[] = [];
    for (const rig of [extension, baseline]) {
      await rig.request({ cmd: 'round', phase: 'warmup' }, ROUND_TIMEOUT_MS);
      for (let i = 0; i < memoryRounds; i++) await rig.request({ cmd: 'round', phase: 'memory' }, ROUND_TIMEOUT_MS);
      if (idleMs) idles.push(rig.request({ cmd: 'idle', ms: idleMs }, idleMs + 60_000));
    }
    await Promise.all(idles);
    phase('warmupAndMemoryMs');

    // ---- throughput: the clients' rounds strictly alternating, every round after one of the other's ----
    const sequence: { kind: Kind; report: RoundReport }[] = [];
    for (let i = 0; i < rounds; i++) {
      for (const rig of [extension, baseline]) sequence.push({ kind: rig.kind, report: await rig.request<RoundReport>({ cmd: 'round', phase: 'throughput' }, ROUND_TIMEOUT_MS) });
      const [e, b] = sequence.slice(-2).map((r) => r.report);
      log(`round ${i + 1}/${rounds}: extension ${e!.requestsPerSecond.toFixed(0)} req/s, baseline ${b!.requestsPerSecond.toFixed(0)} req/s`);
    }
    // Every two consecutive rounds are a pair: the extension first in every other one.
    const pick = (r: RoundReport): PairRound => ({ wallMs: r.wallMs, requestsPerSecond: r.requestsPerSecond, cpuUsPerRequest: r.cpuUsPerRequest });
    const pairResults = sequence.slice(1).map((second, k) => {
      const first = sequence[k]!;
      const e = first.kind === 'extension' ? first.report : second.report;
      const b = first.kind === 'extension' ? second.report : first.report;
      return { first: first.kind, extension: pick(e), baseline: pick(b), ratio: round(e.requestsPerSecond / b.requestsPerSecond, 3), cpuRatio: round(e.cpuUsPerRequest / b.cpuUsPerRequest, 3) };
    });
    phase('throughputMs');

    type Summary = { requestsPerSecond: number; cpuUsPerRequest: number; inFlightPerServer: number; gcForced: boolean };
    const ext = await extension.request<Summary>({ cmd: 'summary' }, 30_000);
    const base = await baseline.request<Summary>({ cmd: 'summary' }, 30_000);
    const ratios = pairResults.map((p) => p.ratio);
    writeResult(args.out, {
      section: 'concurrency',
      servers,
      inFlightPerServer: ext.inFlightPerServer,
      memoryRounds,
      rounds,
      gcForced: ext.gcForced && base.gcForced,
      schedule:
        'each client in its own process, never two rounds at once; memory: per client a warm-up round and its memory rounds back to back, then the idle pause; throughput: the rounds alternating (extension, baseline, extension, …), every two consecutive rounds a pair',
      phases,
      throughput: {
        medianPairRatio: round(median(ratios), 3),
        minPairRatio: Math.min(...ratios),
        maxPairRatio: Math.max(...ratios),
        extensionRequestsPerSecond: ext.requestsPerSecond,
        baselineRequestsPerSecond: base.requestsPerSecond,
        totalRatio: round(ext.requestsPerSecond / base.requestsPerSecond, 3),
      },
      // CPU time of each client's process per answered request (the servers and the stub are other
      // processes): less sensitive to the machine's load than wall time.
      cpu: {
        extensionUsPerRequest: ext.cpuUsPerRequest,
        baselineUsPerRequest: base.cpuUsPerRequest,
        medianPairRatio: round(median(pairResults.map((p) => p.cpuRatio)), 3),
      },
      pairs: pairResults,
      clients: { extension: ext, baseline: base },
    });
  } finally {
    await Promise.allSettled([...live].map((rig) => rig.stop()));
    await stub.close();
  }
}

// Stopped by run.mjs (SIGTERM at the section's time limit) or Ctrl+C: stop both rigs and the stub.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    for (const rig of live) rig.kill();
    setTimeout(() => process.exit(signal === 'SIGINT' ? 130 : 143), STOP_TIMEOUT_MS).unref();
    void Promise.allSettled([...live].map((rig) => rig.stop()))
      .then(() => stub?.close())
      .finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}

runMain(main);
