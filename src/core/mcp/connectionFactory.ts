/**
 * How the manager makes a server's connection: its options (handlers, timeouts, reconnect policy)
 * and the default factory, which builds a ServerConnection from them.
 */
import type { ServerDefinition } from '../config/serverDefinition';
import type { ResolveResult } from '../config/variables';
import type { Logger } from '../logger';
import { ServerConnection } from './connection';
import type { RootsSource, SamplingHandler, ServerConnectionOptions } from './types';
import type { ReconnectPolicy, Timers } from './reconnectPolicy';

export interface ConnectionManagerOptions {
  readonly logger: Logger;
  readonly samplingHandler: SamplingHandler;
  readonly rootsSource?: RootsSource;
  /** Declare `sampling.tools` to servers (the pipeline can answer tool-use requests). */
  readonly samplingTools?: boolean;
  /**
   * Substitutes `${…}` variables when a server is about to connect (so `${input:}` prompts happen only
   * then). Without it, definitions are used as they are.
   */
  readonly resolveVariables?: (definition: ServerDefinition, signal: AbortSignal) => Promise<ResolveResult>;
  readonly initializeTimeoutMs?: number;
  readonly killGraceMs?: number;
  /**
   * The default for `callTool` without `timeoutMs`: long, since a sampling approval may wait for a
   * person. Read on every call, so a settings change applies to the next one (gateway calls too).
   */
  readonly toolCallTimeoutMs?: () => number;
  readonly reconnect?: Partial<ReconnectPolicy>;
  readonly timers?: Timers;
  /** Extra ServerConnection options for the default factory. */
  readonly connectionOptions?: Partial<ServerConnectionOptions>;
  /**
   * Makes the connection for a resolved definition (its `${input:}` values in `secrets`). Default:
   * a ServerConnection with this manager's handlers and `connectionOptions`.
   */
  readonly createConnection?: ConnectionFactory;
}

/** Makes one server's connection; the manager owns its lifecycle from then on. */
export type ConnectionFactory = (definition: ServerDefinition, secrets: ReadonlySet<string>) => ServerConnection;

/** The default factory: the manager's handlers and timeouts over `connectionOptions`. */
export function defaultConnectionFactory(options: ConnectionManagerOptions): ConnectionFactory {
  return (definition, secrets) =>
    new ServerConnection({
      ...options.connectionOptions,
      definition,
      logger: options.logger,
      samplingHandler: options.samplingHandler,
      ...(options.rootsSource ? { rootsSource: options.rootsSource } : {}),
      ...(options.samplingTools ? { samplingTools: true } : {}),
      ...(options.initializeTimeoutMs ? { initializeTimeoutMs: options.initializeTimeoutMs } : {}),
      ...(options.killGraceMs ? { killGraceMs: options.killGraceMs } : {}),
      secrets,
    });
}

