/**
 * A driver for profiling one client alone (not a section of `npm run bench`):
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof out/bench/profile.js [--rig extension|baseline-stream|baseline-json] [--count 3000]
 *
 * Sends `count` sequential sampling requests from one bench server through the chosen rig (after a
 * warm-up of 200), then prints the server-side p50, the heap after a forced collection and the
 * handles and timers still alive in this process, so what a finished request leaves behind shows.
 */
import { startBaselineRig, startExtensionRig, startStub, type Rig, type RigKind } from './rigs';
import { memory, round, summarize } from './stats';
import { runMain } from './output';

interface SequentialResult {
  durationsMs: number[];
  failed: number;
  errors: string[];
}

/** Live handles by constructor name (Node's own diagnostic; sockets, timers, child processes). */
function liveResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  const info = (process as unknown as { getActiveResourcesInfo?: () => string[] }).getActiveResourcesInfo?.() ?? [];
  for (const name of info) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i === -1 ? undefined : argv[i + 1];
  };
  const kind = (value('--rig') ?? 'extension') as RigKind;
  const count = Math.min(100_000, Math.max(1, Number(value('--count') ?? 3000)));
  const rounds = Math.min(50, Math.max(1, Number(value('--rounds') ?? 1)));
  const stub = await startStub();
  let rig: Rig | undefined;
  try {
    rig =
      kind === 'extension'
        ? await startExtensionRig({ baseUrl: stub.baseUrl, servers: 1 })
        : await startBaselineRig({ baseUrl: stub.baseUrl, servers: 1, streaming: kind === 'baseline-stream' });
    await rig.call<SequentialResult>(rig.servers[0]!, 'sample_sequential', { count: 200 });
    const before = memory();
    const out: unknown[] = [];
    for (let r = 0; r < rounds; r++) {
      const cpu = process.cpuUsage();
      const result = await rig.call<SequentialResult>(rig.servers[0]!, 'sample_sequential', { count });
      const used = process.cpuUsage(cpu);
      const s = summarize(result.durationsMs);
      // CPU time of this (client) process per request: less sensitive to the machine's load than wall time.
      out.push({ round: r + 1, p50: round(s.p50), p99: round(s.p99), cpuUsPerRequest: round((used.user + used.system) / count, 1), failed: result.failed, errors: result.errors, memory: memory(), resources: liveResources() });
    }
    process.stdout.write(`${JSON.stringify({ rig: kind, count, before, rounds: out }, null, 1)}\n`);
  } finally {
    await rig?.close();
    await stub.close();
  }
}

runMain(main);
