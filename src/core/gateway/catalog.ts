/**
 * What the gateway offers: the tools, prompts and resources of every exposed, connected server,
 * under gateway names (see naming.ts), with everything else (descriptions, schemas, annotations)
 * passed through. Remembers the servers of names it has handed out, so a call to a tool of a server
 * that has since disconnected gets a clear error instead of "unknown tool". The snapshot is built
 * once and kept until a server's lists, a status or the set of servers change, or the owner says
 * what is exposed changed (`invalidate()`: a setting, workspace trust, the gateway's port): every
 * call and list request reads it, and rebuilding it costs ~0.1 ms per server.
 */
import type { Prompt, Resource, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Disposable } from '../events';
import { DisposableStore } from '../lifetime';
import type { ConnectionManager, ServerStatus } from '../mcp/connectionManager';
import { assignNames } from './naming';

/** The part of ConnectionManager the gateway uses. */
export type GatewayBackend = Pick<
  ConnectionManager,
  'list' | 'status' | 'listTools' | 'listPrompts' | 'listResources' | 'callTool' | 'getConnection' | 'onDidChangeStatus' | 'onDidChangeLists' | 'onDidChangeServers'
>;

export interface CatalogEntry<T> {
  readonly server: string;
  /** The item's own name on its server. */
  readonly name: string;
  readonly item: T;
}

export interface CatalogSnapshot {
  readonly tools: ReadonlyMap<string, CatalogEntry<Tool>>;
  readonly prompts: ReadonlyMap<string, CatalogEntry<Prompt>>;
  /** By URI; a URI offered by two servers goes to the first. */
  readonly resources: ReadonlyMap<string, CatalogEntry<Resource>>;
}

/** Bounds the remembered names (a server that renames its tools in a loop must not grow memory). */
const MAX_REMEMBERED = 10_000;

export class GatewayCatalog implements Disposable {
  private readonly remembered = new Map<string, { server: string; name: string }>();
  private cached: CatalogSnapshot | undefined;
  private readonly subscriptions = new DisposableStore();

  constructor(
    private readonly backend: GatewayBackend,
    private readonly exposed: (status: ServerStatus) => boolean,
  ) {
    const invalidate = () => this.invalidate();
    for (const event of [backend.onDidChangeLists, backend.onDidChangeStatus, backend.onDidChangeServers]) this.subscriptions.add(event(invalidate));
  }

  /** What is exposed may have changed: the next snapshot is built afresh. */
  invalidate(): void {
    this.cached = undefined;
  }

  dispose(): void {
    this.subscriptions.dispose();
    this.cached = undefined;
  }

  /** The exposed servers (connected or not), in definition order. */
  exposedServers(): ServerStatus[] {
    return this.backend.list().filter((s) => this.exposed(s));
  }

  /** The same object until something it is built from changes (treat it as read-only). */
  snapshot(): CatalogSnapshot {
    return (this.cached ??= this.build());
  }

  private build(): CatalogSnapshot {
    const connected = this.exposedServers().filter((s) => s.status === 'connected');
    const tools = assignNames(connected.flatMap((s) => this.backend.listTools(s.name).map((item) => ({ server: s.name, name: item.name, item }))));
    const prompts = assignNames(connected.flatMap((s) => this.backend.listPrompts(s.name).map((item) => ({ server: s.name, name: item.name, item }))));
    const resources = new Map<string, CatalogEntry<Resource>>();
    for (const s of connected) {
      for (const item of this.backend.listResources(s.name)) if (!resources.has(item.uri)) resources.set(item.uri, { server: s.name, name: item.name, item });
    }
    for (const [gatewayName, entry] of tools) {
      if (!this.remembered.has(gatewayName) && this.remembered.size >= MAX_REMEMBERED) this.remembered.delete(this.remembered.keys().next().value!);
      this.remembered.set(gatewayName, { server: entry.server, name: entry.name });
    }
    return { tools, prompts, resources };
  }

  /** The server and tool behind a gateway tool name: listed now, or listed before its server went away. */
  resolveTool(gatewayName: string, snapshot: CatalogSnapshot = this.snapshot()): { server: string; name: string } | undefined {
    const listed = snapshot.tools.get(gatewayName);
    if (listed) return { server: listed.server, name: listed.name };
    const known = this.remembered.get(gatewayName);
    if (!known) return undefined;
    // Only while the server is still one the gateway offers.
    const status = this.backend.status(known.server);
    return status && this.exposed(status) ? known : undefined;
  }

  /** A fingerprint per list, to tell callers only about real changes. */
  static fingerprints(snapshot: CatalogSnapshot): { tools: string; prompts: string; resources: string } {
    const of = <T>(map: ReadonlyMap<string, CatalogEntry<T>>) => JSON.stringify([...map].map(([name, entry]) => [name, entry.server, entry.item]));
    return { tools: of(snapshot.tools), prompts: of(snapshot.prompts), resources: of(snapshot.resources) };
  }
}

/** A tool as the gateway lists it: the server's tool under its gateway name. */
export function gatewayTool(gatewayName: string, entry: CatalogEntry<Tool>): Tool {
  return { ...entry.item, name: gatewayName };
}

export function gatewayPrompt(gatewayName: string, entry: CatalogEntry<Prompt>): Prompt {
  return { ...entry.item, name: gatewayName };
}
