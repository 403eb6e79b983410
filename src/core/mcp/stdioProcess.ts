/**
 * The process side of a stdio server: spawns it through the SDK's transport with our environment
 * rules, keeps its stderr (redacted, bounded), remembers its pid, and on close ends it and every
 * process it started.
 */
import type { StdioServerDefinition } from '../config/serverDefinition';
import { readEnvFile } from '../config/envFile';
import type { Logger } from '../logger';
import { LineRingBuffer } from './lineBuffer';
import { killProcessTree, listDescendants, terminateProcesses } from './processTree';
import type { ClientSdk } from './sdk';
import { installLinearReadBuffer } from './stdioReadBuffer';
import { currentLimit, type MessageLimit } from './messageLimit';

export type StdioTransport = InstanceType<ClientSdk['StdioClientTransport']>;

export interface StdioProcessOptions {
  readonly name: string;
  readonly logger: Logger;
  readonly redact: (text: string) => string;
  /** Each complete stderr line, already redacted. */
  readonly onStderrLine: (line: string) => void;
  readonly maxMessageBytes: MessageLimit;
  readonly stderrLines?: number;
  readonly killGraceMs?: number;
}

export class StdioProcess {
  /** Redacted as kept: the tail is shown in the Servers view and in status events. */
  readonly stderr: LineRingBuffer;
  private pid: number | undefined;
  private stderrEnded: Promise<void> = Promise.resolve();

  constructor(private readonly options: StdioProcessOptions) {
    this.stderr = new LineRingBuffer(options.stderrLines ?? 200, 4096, (line) => options.redact(line));
  }

  /** The pid of the server process while it runs. */
  get processId(): number | undefined {
    return this.pid;
  }

  /** The process has exited: never signal its pid again (it may be reused). */
  forgetProcess(): void {
    this.pid = undefined;
  }

  /** Lets the last stderr lines of a process that just died arrive (at most `ms`). */
  async settleStderr(ms = 300): Promise<void> {
    await Promise.race([this.stderrEnded, new Promise((r) => setTimeout(r, ms))]);
  }

  async createTransport(sdk: ClientSdk, definition: StdioServerDefinition): Promise<StdioTransport> {
    const env: Record<string, string> = { ...sdk.getDefaultEnvironment() };
    if (definition.envFile) {
      Object.assign(env, await readEnvFile(definition.envFile));
    }
    for (const [key, value] of Object.entries(definition.env)) {
      // The SDK spreads its default environment under ours, so deleting is not enough to unset an
      // inherited variable; Node's spawn leaves out variables whose value is undefined.
      if (value === null) env[key] = undefined as unknown as string;
      else env[key] = value;
    }
    const maxBufferSize = this.options.maxMessageBytes;
    const transport = new sdk.StdioClientTransport({
      command: definition.command,
      args: [...definition.args],
      env,
      stderr: 'pipe',
      // The SDK's own buffer (used only if ours cannot be installed) takes a number.
      maxBufferSize: currentLimit(maxBufferSize),
      ...(definition.cwd ? { cwd: definition.cwd } : {}),
    });
    installLinearReadBuffer(transport, maxBufferSize, (line) => sdk.types.JSONRPCMessageSchema.parse(JSON.parse(line)));
    // The PassThrough exists before start, so no early output is lost.
    const stream = transport.stderr;
    if (stream) {
      this.stderrEnded = new Promise((resolve) => {
        stream.once('end', resolve);
        stream.once('close', resolve);
      });
      stream.on('data', (chunk: Buffer | string) => {
        for (const line of this.stderr.write(String(chunk))) this.options.onStderrLine(this.options.redact(line));
      });
      stream.on('end', () => {
        const last = this.stderr.flush();
        if (last !== undefined) this.options.onStderrLine(this.options.redact(last));
      });
      stream.on('error', () => {});
    }
    // Keep the pid: the SDK forgets it as soon as it starts closing, and we need it to end the tree.
    // Started once: discovery starts the transport before the client adopts it.
    const start = transport.start.bind(transport);
    let started: Promise<void> | undefined;
    transport.start = () => {
      started ??= start().then(() => {
        this.pid = transport.pid ?? undefined;
      });
      return started;
    };
    return transport;
  }

  /**
   * Ends the server: `close` (the client or transport) closes stdin; the server gets the grace
   * period to exit, then its whole tree is signalled (SIGTERM, then SIGKILL).
   */
  async stop(close: () => Promise<void>): Promise<void> {
    const pid = this.pid;
    this.pid = undefined;
    if (pid !== undefined && process.platform === 'win32') {
      // Windows cannot list a tree once its root is gone, and a console server ignores polite
      // requests: end the whole tree (taskkill /T /F) before closing.
      await killProcessTree(pid);
    }
    // Snapshot the tree first: once the child dies its children are re-parented and lost to us.
    const descendants = pid !== undefined ? await listDescendants(pid) : [];
    const grace = this.options.killGraceMs ?? 2000;
    const closing = close().catch(() => {});
    if (pid !== undefined) {
      await Promise.race([closing, new Promise((r) => setTimeout(r, grace))]);
      await terminateProcesses([pid, ...descendants], grace);
    }
    await closing;
  }
}
