/**
 * The soak (issue 7): 10 bench servers (quick: 5) sample continuously, one request after another each, for
 * `--soak-seconds` (default 60, at most 600), loopback only, first through the extension's core with
 * auto-approval and then through the bare SDK client, each rig in a fresh process of its own (this
 * file again, with `--rig`) so that each one's memory is its alone. Memory (after forced collections)
 * at the start and the end, 12 s after the end (full mode), and unforced samples along the way.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBaselineRig, startExtensionRig, startStub, type Rig } from './rigs';
import { gcAvailable, memory, parseArgs, round, sleep, withTimeout, type MemorySnapshot } from './stats';
import { runMain, writeResult } from './output';

type SoakRig = 'extension' | 'baseline';

interface RigSoak {
  readonly rig: SoakRig;
  readonly answered: number;
  readonly failed: number;
  readonly errors: string[];
  readonly requestsPerSecond: number;
  readonly memory: { start: MemorySnapshot; end: MemorySnapshot; afterIdle12s?: MemorySnapshot; growthMB: { heapUsed: number; rss: number }; samples: { atSeconds: number; heapUsedMB: number; rssMB: number }[] };
}

const flag = (name: string) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
};

/** One rig's soak, in this process. */
async function soakRig(kind: SoakRig, servers: number, seconds: number, quick: boolean): Promise<RigSoak> {
  const stub = await startStub();
  let rig: Rig | undefined;
  try {
    rig = kind === 'extension' ? await startExtensionRig({ baseUrl: stub.baseUrl, servers }) : await startBaselineRig({ baseUrl: stub.baseUrl, servers, streaming: true });
    await Promise.all(rig.servers.map((s) => rig!.call(s, 'sample_sequential', { count: 20 }))); // warm-up
    const start = memory();
    const samples: { atSeconds: number; heapUsedMB: number; rssMB: number }[] = [];
    const t0 = performance.now();
    const sampler = setInterval(() => samples.push({ atSeconds: round((performance.now() - t0) / 1000, 1), ...memory(false) }), Math.max(1000, (seconds * 1000) / 20));
    let results: { answered: number; failed: number; errors: string[] }[];
    try {
      results = await withTimeout(`the ${kind} soak`, (seconds + 120) * 1000, Promise.all(rig.servers.map((s) => rig!.call<{ answered: number; failed: number; errors: string[] }>(s, 'sample_for', { seconds }))));
    } finally {
      clearInterval(sampler);
    }
    const elapsed = (performance.now() - t0) / 1000;
    const end = memory();
    // As in the concurrency section: what requests hold for a few seconds after they end is not a leak.
    let afterIdle: MemorySnapshot | undefined;
    if (!quick) {
      await sleep(12_000);
      afterIdle = memory();
    }
    const answered = results.reduce((n, r) => n + r.answered, 0);
    return {
      rig: kind,
      answered,
      failed: results.reduce((n, r) => n + r.failed, 0),
      errors: results.flatMap((r) => r.errors).slice(0, 5),
      requestsPerSecond: round(answered / elapsed, 1),
      memory: { start, end, ...(afterIdle ? { afterIdle12s: afterIdle } : {}), growthMB: { heapUsed: round(end.heapUsedMB - start.heapUsedMB, 2), rss: round(end.rssMB - start.rssMB, 2) }, samples },
    };
  } finally {
    await rig?.close();
    await stub.close();
  }
}

/** Runs one rig's soak in a fresh process (this file with `--rig`) and reads what it wrote. */
async function inChild(kind: SoakRig, dir: string): Promise<RigSoak> {
  const out = path.join(dir, `${kind}.json`);
  const args = process.argv.slice(2).filter((a, i, all) => a !== '--out' && all[i - 1] !== '--out');
  const child = spawn(process.execPath, ['--expose-gc', __filename, ...args, '--rig', kind, '--out', out], { stdio: ['ignore', 'inherit', 'inherit'] });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`the ${kind} soak exited with ${code}`);
  return JSON.parse(readFileSync(out, 'utf8')) as RigSoak;
}

async function main(): Promise<void> {
  const args = parseArgs();
  const servers = args.quick ? 5 : 10;
  const seconds = args.soakSeconds ?? (args.quick ? 5 : 60);
  const rig = flag('--rig');
  if (rig === 'extension' || rig === 'baseline') {
    writeResult(args.out, await soakRig(rig, servers, seconds, args.quick));
    return;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'mcp-sampling-soak-'));
  try {
    const extension = await inChild('extension', dir);
    const baseline = await inChild('baseline', dir);
    const { rig: _rig, ...rest } = extension;
    writeResult(args.out, { section: 'soak', servers, seconds, gcForced: gcAvailable(), ...rest, baseline });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

runMain(main);
