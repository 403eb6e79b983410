/**
 * What the manager keeps per server and what it shows of it: the managed record, the status the
 * UI reads (connection state, definition, a scheduled reconnect) and its change event.
 */
import type { DisposableStore } from '../lifetime';
import type { ServerDefinition } from '../config/serverDefinition';
import type { ServerConnection } from './connection';
import type { ConnectionState } from './types';

/** What the UI shows for one server. */
export interface ServerStatus extends ConnectionState {
  readonly name: string;
  readonly definition: ServerDefinition;
  /** Set while a reconnect is scheduled. */
  readonly reconnect?: { readonly attempt: number; readonly maxAttempts: number; readonly retryAt: number };
}

export interface StatusChangeEvent {
  readonly name: string;
  readonly status: ServerStatus;
}

/** The manager's record of one server. */
export interface Managed {
  definition: ServerDefinition;
  key: string;
  connection: ServerConnection | undefined;
  /** What the manager hung on `connection` (its listeners), ended with it. */
  lifetime: DisposableStore | undefined;
  state: ConnectionState;
  /** The user chose to disconnect: no automatic reconnect. */
  userStopped: boolean;
  attempt: number;
  connectedAt: number | undefined;
  retryTimer: unknown;
  retryAt: number | undefined;
  connecting: Promise<ServerStatus> | undefined;
  resolveAbort: AbortController | undefined;
  /** The stop under way; a later stop waits for it (see ConnectionManager.stop). */
  stopping?: Promise<void>;
  removed: boolean;
}

/** The status of a managed server, with its scheduled reconnect if any. */
export function statusOf(managed: Managed, maxAttempts: number): ServerStatus {
  return {
    ...managed.state,
    name: managed.definition.name,
    definition: managed.definition,
    ...(managed.retryAt !== undefined ? { reconnect: { attempt: managed.attempt, maxAttempts, retryAt: managed.retryAt } } : {}),
  };
}

/** The status of a server whose connection is gone (no reconnect shown). */
export function detachedStatus(managed: Managed): ServerStatus {
  return { ...managed.state, name: managed.definition.name, definition: managed.definition };
}
