/**
 * Turns the sections' JSON results into the combined report and BENCHMARKS.md (table, machine,
 * how each number is measured, and what limits a missed target). Sections that failed are listed
 * with their error instead of numbers.
 */
import type { MachineInfo, MemorySnapshot, Summary } from './stats';

type Failed = { readonly error: string };
type Maybe<T> = T | Failed | undefined;

interface Peer {
  iterations: number;
  vscodeTool: string;
  dialogsAnswered: string[];
  interruptedByDialog: Record<string, number>;
  vscodeMs: Summary;
  extensionAutoMs: Summary;
  extensionApproveClickMs: Summary;
}
interface Paths {
  blockSize: number;
  blocks: number;
  inputRequired: { clients: Record<string, Summary & { failed: number; errors: string[] }>; medianBlockP50Ratio: number };
  gateway: { clients: Record<string, Summary>; medianBlockP50Ratio: number };
}
interface LlmEndpointBench {
  blockSize: number;
  blocks: number;
  chunksPerAnswer: Record<string, number>;
  clients: Record<string, Summary>;
  medianBlockP50Ratio: number;
}
interface Roundtrip {
  requestsPerClient: number;
  blockSize?: number;
  medianBlockP50Ratio?: Record<string, number>;
  cpuUsPerRequest?: Record<string, number>;
  medianBlockCpuRatio?: Record<string, number>;
  warmupPerClient: number;
  clients: Record<string, Summary & { failed: number; errors: string[] }>;
}
interface ConcurrencyClient {
  client: string;
  answered: number;
  failed: number;
  throughputRounds: number;
  requestsPerSecond: number;
  latencyP50Median: number;
  latencyP99Median: number;
  memoryRounds: number;
  memory: {
    afterWarmup: MemorySnapshot;
    afterLastRound: MemorySnapshot;
    growthSinceWarmupMB: { heapUsed: number; rss: number };
    growthSinceConnectedMB: { heapUsed: number; rss: number };
    roundToRoundMB: { heapUsedMB: number; rssMB: number }[];
    heapSlopeMBPerRound: number;
    rssSlopeMBPerRound: number;
    afterIdle?: MemorySnapshot;
    idleMs?: number;
    growthAfterIdleMB?: { heapUsed: number; rss: number };
  };
}
interface Concurrency {
  servers: number;
  inFlightPerServer: number;
  /** Throughput rounds per client (alternating; every two consecutive rounds are a pair). */
  rounds: number;
  /** Each client's memory rounds (back to back); 0 in quick mode, whose memory numbers come from the throughput rounds. */
  memoryRounds: number;
  gcForced: boolean;
  throughput: { medianPairRatio: number; minPairRatio: number; maxPairRatio: number; extensionRequestsPerSecond: number; baselineRequestsPerSecond: number; totalRatio: number };
  cpu?: { extensionUsPerRequest: number; baselineUsPerRequest: number; medianPairRatio: number };
  pairs: { first: string; ratio: number }[];
  clients: { extension: ConcurrencyClient; baseline: ConcurrencyClient };
}
type StartupReading = { ms: number; when: string; compositionMs?: number; ownActivationMs?: number };
type ActivationStats = { extension: string; loadCodeMs: number; callActivateMs: number; finishActivateMs: number; event: string }[] | { error: string };
/** When the extension host started activating each extension, relative to ours (its log). */
type ActivationStarts = { extension: string; event: string; relativeToOursMs: number }[];
/** bench/bigRequests.ts: megabyte requests in the panel (issue 24). */
interface BigRequests {
  keysPerRun: number;
  sizes: { size: string; bytes: number; shownMs: number[]; keyMs: Summary; keyWithChangesMs: Summary; exact: boolean; approveToResultMs: number; error?: string }[];
}
interface Workbench {
  iterations: number;
  firstRequestShowUpperBoundMs: number;
  showMs: Summary;
  paintedMs: Summary;
  approveMs: Summary;
  activation: StartupReading[];
  activationMs: Summary;
  compositionMs?: Summary;
  activationStats?: ActivationStats;
  activationStarts?: ActivationStarts;
  /** Full mode: a second session in which no other extension activates on onStartupFinished beside ours. */
  crowdRemoved?: {
    setup: { skipBuiltinExtensions: string[]; helperActivationEvents: string[] };
    activation: StartupReading;
    activationStats: ActivationStats;
    activationStarts: ActivationStarts;
    afterReloads: StartupReading[];
  };
  sizes: { distExtensionJsBytes: number | null; vsixBytes: number | null; vsixFile: string };
}
interface HistoryResult {
  results: { kind: string; appends: number; maxEntries: number; perAppendMs: Summary; slowestAppendsMs: number[]; bytesPerRecord: number; fileBytesAtBound: number; peakFileBytes: number }[];
}
interface SoakRun {
  answered: number;
  failed: number;
  requestsPerSecond: number;
  memory: { start: MemorySnapshot; end: MemorySnapshot; afterIdle12s?: MemorySnapshot; growthMB: { heapUsed: number; rss: number }; samples?: { atSeconds: number; rssMB: number }[] };
}
interface Soak extends SoakRun {
  servers: number;
  seconds: number;
  /** The bare SDK client, the same soak in its own process (since 2026-12-02). */
  baseline?: SoakRun;
}
interface Bundle {
  vsixDistExtensionJsBytes?: number;
  topInputs: { name: string; bytes: number }[];
  requireMs?: Summary;
  requireCpuMs?: Summary;
  lazyMainRequireMs?: Summary;
  lazyMainRequireCpuMs?: Summary;
  lazyBundles?: { file: string; bytes: number }[];
}

export interface BenchInputs {
  readonly machine: MachineInfo;
  readonly mode: 'quick' | 'full';
  readonly durationSeconds: number;
  readonly warnings?: readonly string[];
  readonly loadAverageAtEnd?: readonly number[];
  readonly sections: {
    roundtrip?: Maybe<Roundtrip>;
    paths?: Maybe<Paths>;
    llmEndpoint?: Maybe<LlmEndpointBench>;
    concurrency?: Maybe<Concurrency>;
    workbench?: Maybe<Workbench>;
    bigRequests?: Maybe<BigRequests>;
    peer?: Maybe<Peer>;
    history?: Maybe<HistoryResult>;
    soak?: Maybe<Soak>;
    bundle?: Maybe<Bundle>;
  };
}

const ok = <T>(v: Maybe<T>): v is T => v !== undefined && !(typeof v === 'object' && v !== null && 'error' in v);
const ms = (v: number, digits = 2) => `${v.toFixed(digits)} ms`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const mb = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(1)} MB`;
const status = (met: boolean) => (met ? 'met' : '**missed**');

const EXTENSION_ID = 'mcp-sampling.mcp-sampling-client';

/**
 * VS Code's breakdown of our activation (Startup Performance's table): load code (with our own
 * code's share, timed inside the extension), call activate, finish activate, and the load code of
 * the others activated by the same event, with when the extension host started each (its log).
 */
function activationBreakdown(stats: ActivationStats | undefined, first: StartupReading, starts: ActivationStarts | undefined): string | undefined {
  const rows = Array.isArray(stats) ? stats : undefined;
  const ours = rows?.find((x) => x.extension === EXTENSION_ID);
  if (!rows || !ours) return undefined;
  const own = first.ownActivationMs !== undefined ? ` (of which this extension's own code — its top-level code and activate() up to the yield — timed inside it: ${ms(first.ownActivationMs, 2)})` : '';
  const startedAt = (extension: string) => {
    const d = starts?.find((x) => x.extension === extension)?.relativeToOursMs;
    return d === undefined || Number.isNaN(d) ? '' : d === 0 ? ' (started in the same ms as ours)' : ` (started ${Math.abs(d)} ms ${d < 0 ? 'before' : 'after'} ours)`;
  };
  const beside = rows
    .filter((x) => x !== ours && x.event === ours.event)
    .map((x) => `${x.extension} ${x.loadCodeMs} ms${startedAt(x.extension)}`)
    .join(', ');
  return `load code ${ours.loadCodeMs} ms${own}, call activate ${ours.callActivateMs} ms, finish activate ${ours.finishActivateMs} ms; load code of the others activated by ${ours.event} at the same time: ${beside || 'none'}`;
}

/** Every extension that activated (Startup Performance's table), grouped by its activation event. */
function activatedByEvent(stats: ActivationStats): string {
  if (!Array.isArray(stats)) return `not read (${stats.error})`;
  const byEvent = new Map<string, string[]>();
  for (const x of stats) byEvent.set(x.event, [...(byEvent.get(x.event) ?? []), x.extension]);
  return [...byEvent].map(([event, extensions]) => `${event}: ${extensions.join(', ')}`).join('; ');
}

interface Row {
  readonly what: string;
  readonly result: string;
  readonly target: string;
  readonly status: string;
}

export function buildRows(input: BenchInputs): Row[] {
  const s = input.sections;
  const rows: Row[] = [];
  const failed = (what: string, v: Maybe<unknown>) => rows.push({ what, result: v === undefined ? 'not run' : `failed: ${(v as Failed).error.split('\n')[0]!.slice(0, 160)}`, target: '', status: 'not measured' });

  if (ok(s.roundtrip)) {
    const ext = s.roundtrip.clients.extension!;
    const base = s.roundtrip.clients['baseline-stream']!;
    const json = s.roundtrip.clients['baseline-json'];
    const r50 = ext.p50 / base.p50;
    const r99 = ext.p99 / base.p99;
    const n = s.roundtrip.requestsPerClient;
    rows.push({ what: `Round trip p50 (${n} sequential requests each)`, result: `extension ${ms(ext.p50)} vs baseline ${ms(base.p50)}: **×${r50.toFixed(2)}**${json ? ` (×${(ext.p50 / json.p50).toFixed(2)} vs a non-streaming baseline, ${ms(json.p50)})` : ''}`, target: '≤ ×1.05', status: status(r50 <= 1.05) });
    const paired = s.roundtrip.medianBlockP50Ratio;
    if (paired) rows.push({ what: `Round trip p50, block by block (median over blocks of ${s.roundtrip.blockSize ?? '?'})`, result: `×${paired['baseline-stream']!.toFixed(2)} vs streaming baseline, ×${paired['baseline-json']!.toFixed(2)} vs non-streaming`, target: '', status: 'info' });
    const cpu = s.roundtrip.cpuUsPerRequest;
    const cpuRatio = s.roundtrip.medianBlockCpuRatio;
    if (cpu && cpuRatio) {
      rows.push({
        what: 'CPU per request in the client process (median over blocks)',
        result: `extension ${cpu['extension']} µs vs streaming baseline ${cpu['baseline-stream']} µs: ×${cpuRatio['baseline-stream']!.toFixed(2)} block by block (non-streaming ${cpu['baseline-json']} µs, ×${cpuRatio['baseline-json']!.toFixed(2)})`,
        target: '',
        status: 'info',
      });
    }
    rows.push({ what: 'Round trip p95', result: `extension ${ms(ext.p95)} vs baseline ${ms(base.p95)}: ×${(ext.p95 / base.p95).toFixed(2)}`, target: '', status: 'info' });
    rows.push({ what: 'Round trip p99', result: `extension ${ms(ext.p99)} vs baseline ${ms(base.p99)}: **×${r99.toFixed(2)}**${json ? ` (×${(ext.p99 / json.p99).toFixed(2)} vs non-streaming, ${ms(json.p99)})` : ''}`, target: '≤ ×1.10', status: status(r99 <= 1.1) });
    const lost = ext.failed + base.failed + (json?.failed ?? 0);
    if (lost) rows.push({ what: 'Round trip failures', result: `${lost} failed: ${[...ext.errors, ...base.errors].slice(0, 2).join('; ')}`, target: '0', status: 'missed' });
  } else failed('Round trip', s.roundtrip);

  if (ok(s.paths)) {
    const p = s.paths;
    const ext = p.inputRequired.clients.extension!;
    const bare = p.inputRequired.clients['baseline-rounds']!;
    rows.push({
      what: `Round trip over input_required (2026-07-28 rounds; ${ext.count} rounds each)`,
      result: `extension ${ms(ext.p50)} vs bare client ${ms(bare.p50)}: **×${(ext.p50 / bare.p50).toFixed(2)}** at p50 (block by block ×${p.inputRequired.medianBlockP50Ratio.toFixed(2)}), ×${(ext.p99 / bare.p99).toFixed(2)} at p99`,
      target: '≤ ×1.05',
      status: status(ext.p50 / bare.p50 <= 1.05),
    });
    if (ext.failed + bare.failed) rows.push({ what: 'input_required round failures', result: `${ext.failed + bare.failed} failed: ${[...ext.errors, ...bare.errors].slice(0, 2).join('; ')}`, target: '0', status: 'missed' });
    const g = p.gateway.clients.gateway!;
    const d = p.gateway.clients.direct!;
    rows.push({
      what: `Tool call with one sampling request through the gateway (${g.count} calls each)`,
      result: `via the gateway ${ms(g.p50)} vs ConnectionManager.callTool directly ${ms(d.p50)}: ×${(g.p50 / d.p50).toFixed(2)} at p50 (block by block ×${p.gateway.medianBlockP50Ratio.toFixed(2)}; +${ms(g.p50 - d.p50)}), ×${(g.p99 / d.p99).toFixed(2)} at p99`,
      target: '',
      status: 'info',
    });
  } else failed('input_required and gateway paths', s.paths);

  if (ok(s.llmEndpoint)) {
    const e = s.llmEndpoint.clients.endpoint!;
    const d = s.llmEndpoint.clients.direct!;
    rows.push({
      what: `Streamed chat completion through the OpenAI-compatible endpoint (${e.count} each, ${s.llmEndpoint.chunksPerAnswer.endpoint ?? '?'} chunks)`,
      result: `via /v1/chat/completions ${ms(e.p50)} vs the same stub called directly ${ms(d.p50)}: ×${(e.p50 / d.p50).toFixed(2)} at p50 (block by block ×${s.llmEndpoint.medianBlockP50Ratio.toFixed(2)}; +${ms(e.p50 - d.p50)}), ×${(e.p99 / d.p99).toFixed(2)} at p99`,
      target: '',
      status: 'info',
    });
  } else failed('OpenAI-compatible endpoint', s.llmEndpoint);

  if (ok(s.concurrency)) {
    const c = s.concurrency;
    const ext = c.clients.extension;
    const base = c.clients.baseline;
    const expected = (rounds: number) => rounds * c.servers * c.inFlightPerServer;
    const extTotal = expected(ext.memoryRounds + ext.throughputRounds);
    const baseTotal = expected(base.memoryRounds + base.throughputRounds);
    rows.push({
      what: `Concurrency: ${c.servers} servers × ${c.inFlightPerServer} in flight, ${c.memoryRounds ? `${c.memoryRounds} rounds back to back, then ` : ''}${c.rounds} rounds alternating with the baseline's`,
      result: `${ext.answered} of ${extTotal} answered, ${ext.failed} failed (baseline ${base.answered} of ${baseTotal}, ${base.failed} failed)`,
      target: 'all answered',
      status: status(ext.answered === extTotal && ext.failed === 0),
    });
    const t = c.throughput;
    const byOrder = (first: string) =>
      c.pairs
        .filter((p) => p.first === first)
        .map((p) => `×${p.ratio.toFixed(2)}`)
        .join(', ');
    rows.push({
      what: `Concurrency throughput (median over ${c.pairs.length} pairs of consecutive rounds of extension req/s ÷ baseline req/s)`,
      result: `**×${t.medianPairRatio.toFixed(2)}** (pairs: ${byOrder('extension')} extension first; ${byOrder('baseline')} baseline first); total extension ${t.extensionRequestsPerSecond.toFixed(0)} req/s vs baseline ${t.baselineRequestsPerSecond.toFixed(0)} req/s (×${t.totalRatio.toFixed(2)}); per-request p50 ${ms(ext.latencyP50Median, 0)} vs ${ms(base.latencyP50Median, 0)}`,
      target: '≥ ×0.95',
      status: c.pairs.length < 7 ? `${t.medianPairRatio >= 0.95 ? 'met' : 'missed'}; too few pairs to judge` : status(t.medianPairRatio >= 0.95),
    });
    if (c.cpu) {
      rows.push({
        what: 'Concurrency: CPU per request in the client process (throughput rounds)',
        result: `extension ${c.cpu.extensionUsPerRequest.toFixed(0)} µs vs baseline ${c.cpu.baselineUsPerRequest.toFixed(0)} µs: ×${c.cpu.medianPairRatio.toFixed(2)} pair by pair (median)`,
        target: '',
        status: 'info',
      });
    }
    const m = ext.memory;
    const growth = Math.max(m.growthSinceWarmupMB.heapUsed, m.growthSinceWarmupMB.rss);
    const steps = m.roundToRoundMB.map((d) => d.heapUsedMB.toFixed(1)).join(', ');
    const measured = c.memoryRounds || ext.throughputRounds;
    rows.push({
      what: `Concurrency memory (extension, after forced GC, ${c.memoryRounds ? 'its rounds back to back' : "its rounds alternating with the baseline's"})`,
      result: `after warm-up round heap ${m.afterWarmup.heapUsedMB.toFixed(1)} MB / rss ${m.afterWarmup.rssMB.toFixed(0)} MB; after last round ${mb(m.growthSinceWarmupMB.heapUsed)} heap, ${mb(m.growthSinceWarmupMB.rss)} rss; heap round to round: ${steps || 'n/a'} MB (trend ${m.heapSlopeMBPerRound.toFixed(2)} MB/round; baseline's ${base.memory.heapSlopeMBPerRound.toFixed(2)})${m.growthAfterIdleMB ? `; after ${((m.idleMs ?? 0) / 1000).toFixed(0)} s idle: ${mb(m.growthAfterIdleMB.heapUsed)} heap, ${mb(m.growthAfterIdleMB.rss)} rss vs after warm-up` : ''}`,
      target: '< 50 MB growth, none round to round',
      // Round to round needs a trend: a heap slope under 0.5 MB per round over at least 4 rounds.
      status:
        measured < 4
          ? growth < 50
            ? 'met (< 50 MB); too few rounds to judge the trend'
            : status(false)
          : growth < 50 && m.heapSlopeMBPerRound < 0.5
            ? status(true)
            : m.growthAfterIdleMB && m.growthAfterIdleMB.heapUsed < 1
              ? `${status(false)} back to back; none left after ${((m.idleMs ?? 0) / 1000).toFixed(0)} s idle`
              : status(false),
    });
  } else failed('Concurrency', s.concurrency);

  if (ok(s.workbench)) {
    const w = s.workbench;
    rows.push({ what: `Approval UI: server sends -> card shown (p50 of ${w.iterations})`, result: `${ms(w.showMs.p50, 0)} (p95 ${ms(w.showMs.p95, 0)}; next frame ${ms(w.paintedMs.p50, 0)}; first request, opening the panel: ≤ ${ms(w.firstRequestShowUpperBoundMs, 0)})`, target: '< 250 ms', status: status(w.showMs.p50 < 250) });
    rows.push({ what: 'Approval UI: click Approve -> server has the result (p50)', result: `${ms(w.approveMs.p50, 0)} (p95 ${ms(w.approveMs.p95, 0)})`, target: '< 100 ms', status: status(w.approveMs.p50 < 100) });
    const first = w.activation[0]!;
    const others = w.activation.slice(1).map((a) => `${a.ms} ms`);
    rows.push({ what: 'Activation in the extension host (no server configured)', result: `${first.ms} ms${others.length ? ` (after reloads: ${others.join(', ')})` : ''}`, target: '< 20 ms', status: status(w.activationMs.p50 < 20) });
    if (w.compositionMs) {
      const each = w.activation.map((a) => (a.compositionMs !== undefined ? ms(a.compositionMs, 1) : '?')).join(', ');
      rows.push({ what: 'Composition after activate() yielded (loading dist/lazy-main.js and building every object; not in the number above)', result: `${each} (first start${others.length ? ', then after each reload' : ''})`, target: '', status: 'info' });
    }
    const breakdown = activationBreakdown(w.activationStats, first, w.activationStarts);
    if (breakdown) rows.push({ what: "VS Code's breakdown (Developer: Startup Performance, first start)", result: breakdown, target: '', status: 'info' });
    const c = w.crowdRemoved;
    if (c) {
      const reloads = c.afterReloads.map((a) => `${a.ms} ms`);
      const composition = c.activation.compositionMs !== undefined ? `; composition after the yield ${ms(c.activation.compositionMs, 1)}` : '';
      rows.push({
        what: `Activation with the start-up crowd removed (a second session: ${c.setup.skipBuiltinExtensions.join(', ')} left out, the test helper activating on ${c.setup.helperActivationEvents.map((e) => `\`${e}\``).join(', ')}; no server configured)`,
        result: `${c.activation.ms} ms${reloads.length ? ` (after a reload: ${reloads.join(', ')})` : ''}; ${activationBreakdown(c.activationStats, c.activation, c.activationStarts) ?? 'breakdown not read'}${composition}`,
        target: '',
        status: 'info',
      });
      rows.push({ what: 'Extensions activated in that session, by activation event (first start)', result: activatedByEvent(c.activationStats), target: '', status: 'info' });
    }
    const dist = ok(s.bundle) && s.bundle.vsixDistExtensionJsBytes !== undefined ? s.bundle.vsixDistExtensionJsBytes : w.sizes.distExtensionJsBytes;
    const lazy = ok(s.bundle) && s.bundle.lazyBundles?.length ? ` (loaded on first use, not at activation: ${s.bundle.lazyBundles.map((b) => `${b.file} ${kb(b.bytes)}`).join(', ')}, and the vendor bundles)` : '';
    if (dist !== null) rows.push({ what: 'dist/extension.js (as shipped in the VSIX)', result: `${kb(dist)}${lazy}`, target: '', status: 'info' });
    if (w.sizes.vsixBytes !== null) rows.push({ what: 'VSIX', result: kb(w.sizes.vsixBytes), target: '< 600 KB', status: status(w.sizes.vsixBytes < 600 * 1024) });
  } else failed('Workbench (approval UI, activation, sizes)', s.workbench);

  if (ok(s.bigRequests)) {
    for (const r of s.bigRequests.sizes) {
      const shown = Math.max(...r.shownMs);
      rows.push({ what: `Megabyte requests, ${r.size}: server sends -> card shown (two requests, the slower)`, result: `${r.shownMs.map((v) => ms(v, 0)).join(', ')}`, target: r.bytes === 2_000_000 ? '≤ 1 s' : '', status: r.bytes === 2_000_000 ? status(shown <= 1000) : 'info' });
      rows.push({
        what: `Megabyte requests, ${r.size}: per key typed into the message (keydown -> next frame, p50 of ${s.bigRequests.keysPerRun})`,
        result: `${ms(r.keyMs.p50, 1)} (p95 ${ms(r.keyMs.p95, 1)}); with Show changes open ${ms(r.keyWithChangesMs.p50, 1)} (p95 ${ms(r.keyWithChangesMs.p95, 1)})`,
        target: '≤ 16 ms',
        status: status(r.keyMs.p50 <= 16 && r.keyWithChangesMs.p50 <= 16),
      });
      rows.push({ what: `Megabyte requests, ${r.size}: approved unedited, the model receives exactly what the server sent`, result: `${r.exact ? 'exact (SHA-256 and length match)' : `NOT exact${r.error ? `: ${r.error}` : ''}`}; click -> result ${ms(r.approveToResultMs, 0)}`, target: 'exact', status: status(r.exact) });
    }
  } else failed('Megabyte requests', s.bigRequests);

  if (ok(s.peer)) {
    const p = s.peer;
    const v = p.vscodeMs;
    const a = p.extensionAutoMs;
    const c = p.extensionApproveClickMs;
    rows.push({
      what: `Peer: server-everything's trigger-sampling-request answered by VS Code's own MCP client (p50 of ${p.iterations})`,
      result: `VS Code ${ms(v.p50, 0)} vs this extension with approval auto ${ms(a.p50, 0)} (×${(a.p50 / v.p50).toFixed(2)}) and with one Approve click ${ms(c.p50, 0)}; p95 ${ms(v.p95, 0)} / ${ms(a.p95, 0)} / ${ms(c.p95, 0)}`,
      target: '',
      status: 'info',
    });
  } else failed("Peer (VS Code's own MCP client)", s.peer);

  if (ok(s.bundle) && s.bundle.requireMs) {
    const cpu = s.bundle.requireCpuMs ? ` (CPU ${ms(s.bundle.requireCpuMs.p50, 1)})` : '';
    rows.push({ what: 'require() of dist/extension.js in plain Node (vscode stubbed)', result: `p50 ${ms(s.bundle.requireMs.p50, 1)}${cpu} over ${s.bundle.requireMs.count} fresh processes`, target: '', status: 'info' });
  }
  if (ok(s.bundle) && s.bundle.lazyMainRequireMs) {
    const cpu = s.bundle.lazyMainRequireCpuMs ? ` (CPU ${ms(s.bundle.lazyMainRequireCpuMs.p50, 1)})` : '';
    const top = s.bundle.topInputs.slice(0, 4).map((t) => `${t.name} ${kb(t.bytes)}`).join(', ');
    rows.push({ what: 'require() of dist/lazy-main.js (the composition root, after activate() yielded)', result: `p50 ${ms(s.bundle.lazyMainRequireMs.p50, 1)}${cpu}; largest parts ${top}`, target: '', status: 'info' });
  }

  if (ok(s.history)) {
    for (const h of s.history.results) {
      rows.push({
        what: `History append, ${h.kind}`,
        result: `p50 ${ms(h.perAppendMs.p50, 3)}, p99 ${ms(h.perAppendMs.p99, 2)}, max ${ms(h.perAppendMs.max, 1)} (compaction); ${h.bytesPerRecord.toFixed(0)} B/record; ${kb(h.fileBytesAtBound)} at the bound of ${h.maxEntries} (peak ${kb(h.peakFileBytes)})`,
        target: '',
        status: 'info',
      });
    }
  } else failed('History', s.history);

  if (ok(s.soak)) {
    const k = s.soak;
    const run = (r: SoakRun) =>
      `${r.answered} answered (${r.requestsPerSecond.toFixed(0)} req/s), ${r.failed} failed; heap ${r.memory.start.heapUsedMB.toFixed(1)} -> ${r.memory.end.heapUsedMB.toFixed(1)} MB, rss ${r.memory.start.rssMB.toFixed(0)} -> ${r.memory.end.rssMB.toFixed(0)} MB${r.memory.afterIdle12s ? ` (12 s after the end: heap ${r.memory.afterIdle12s.heapUsedMB.toFixed(1)} MB, rss ${r.memory.afterIdle12s.rssMB.toFixed(0)} MB)` : ''}`;
    rows.push({
      what: `Soak: ${k.servers} servers sampling for ${k.seconds} s`,
      result: `extension: ${run(k)}${k.baseline ? `; bare client: ${run(k.baseline)}` : ''}`,
      target: 'none failed',
      status: status(k.failed === 0 && (k.baseline?.failed ?? 0) === 0),
    });
    // RSS along the run: where it stands once warm (the first third) and at the end, so a step at
    // the start (V8 sizing its heap to the garbage rate) reads apart from growth over time.
    const along = (r: SoakRun) => {
      const samples = r.memory.samples ?? [];
      const warm = samples[Math.floor(samples.length / 3)];
      return `${r.memory.growthMB.rss >= 0 ? '+' : ''}${r.memory.growthMB.rss.toFixed(0)} MB start -> end${warm ? ` (${warm.rssMB.toFixed(0)} MB at ${warm.atSeconds} s, ${r.memory.end.rssMB.toFixed(0)} MB at the end)` : ''}${r.memory.afterIdle12s ? `, ${(r.memory.afterIdle12s.rssMB - r.memory.start.rssMB).toFixed(0)} MB 12 s after the end` : ''}`;
    };
    rows.push({
      what: 'Soak: RSS growth (the client process)',
      result: `extension ${along(k)}${k.baseline ? `; bare client ${along(k.baseline)}` : ''}`,
      target: '< 100 MB',
      status: status(k.memory.growthMB.rss < 100),
    });
  } else failed('Soak', s.soak);
  return rows;
}

export function renderTable(rows: readonly Row[]): string {
  const esc = (t: string) => t.replace(/\|/g, '\\|');
  return ['| What | Result | Target | |', '|---|---|---|---|', ...rows.map((r) => `| ${esc(r.what)} | ${esc(r.result)} | ${esc(r.target)} | ${r.status} |`)].join('\n');
}

export function renderMarkdown(input: BenchInputs, notes: string): string {
  const m = input.machine;
  const rows = buildRows(input);
  return `# Benchmarks

Regenerated by \`npm run bench\` (${input.mode} mode, ${Math.round(input.durationSeconds)} s) on ${m.date.slice(0, 16).replace('T', ' ')} UTC. The full JSON report is written to \`bench/results/\` (not committed).

**Machine:** ${m.cpuModel}, ${m.cores} cores, ${m.memoryGB} GB memory, Node ${m.node}, ${m.platform}; load average (1/5/15 min) ${m.loadAverage.join(' / ')} at the start${input.loadAverageAtEnd ? ` and ${input.loadAverageAtEnd.join(' / ')} at the end` : ''}.
The machine is shared: other engineers' builds and tests ran on the same 2 cores during the run, so absolute times are noisy; the round-trip comparison alternates blocks between the clients so that load falls on both.

${(input.warnings ?? []).map((w) => `> **Note:** ${w}\n`).join('')}
${renderTable(rows)}

${notes}
`;
}
