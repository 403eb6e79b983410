/**
 * The soak (issue 7): 10 bench servers (quick: 5) sample continuously, one request after another each, through
 * the extension's core with auto-approval, for `--soak-seconds` (default 60, at most 600), loopback only.
 * Memory (after forced collections) at the start and the end, and unforced samples along the way.
 */
import { startExtensionRig, startStub, type Rig } from './rigs';
import { gcAvailable, memory, parseArgs, round, sleep, withTimeout } from './stats';
import { runMain, writeResult } from './output';


async function main(): Promise<void> {
  const args = parseArgs();
  const SERVERS = args.quick ? 5 : 10;
  const seconds = args.soakSeconds ?? (args.quick ? 5 : 60);
  const stub = await startStub();
  let rig: Rig | undefined;
  try {
    rig = await startExtensionRig({ baseUrl: stub.baseUrl, servers: SERVERS });
    await Promise.all(rig.servers.map((s) => rig!.call(s, 'sample_sequential', { count: 20 }))); // warm-up
    const start = memory();
    const samples: { atSeconds: number; heapUsedMB: number; rssMB: number }[] = [];
    const t0 = performance.now();
    const sampler = setInterval(() => samples.push({ atSeconds: round((performance.now() - t0) / 1000, 1), ...memory(false) }), Math.max(1000, (seconds * 1000) / 20));
    let results: { answered: number; failed: number; errors: string[] }[];
    try {
      results = await withTimeout('the soak', (seconds + 120) * 1000, Promise.all(rig.servers.map((s) => rig!.call<{ answered: number; failed: number; errors: string[] }>(s, 'sample_for', { seconds }))));
    } finally {
      clearInterval(sampler);
    }
    const elapsed = (performance.now() - t0) / 1000;
    const end = memory();
    // As in the concurrency section: what requests hold for a few seconds after they end is not a leak.
    let afterIdle;
    if (!args.quick) {
      await sleep(12_000);
      afterIdle = memory();
    }
    const answered = results.reduce((n, r) => n + r.answered, 0);
    writeResult(args.out, {
      section: 'soak',
      servers: SERVERS,
      seconds,
      gcForced: gcAvailable(),
      answered,
      failed: results.reduce((n, r) => n + r.failed, 0),
      errors: results.flatMap((r) => r.errors).slice(0, 5),
      requestsPerSecond: round(answered / elapsed, 1),
      memory: { start, end, ...(afterIdle ? { afterIdle12s: afterIdle } : {}), growthMB: { heapUsed: round(end.heapUsedMB - start.heapUsedMB, 2), rss: round(end.rssMB - start.rssMB, 2) }, samples },
    });
  } finally {
    await rig?.close();
    await stub.close();
  }
}

runMain(main);
