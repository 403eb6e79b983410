/**
 * The tools, prompts and resources a server offers, loaded page by page (bounded) and reloaded on
 * `list_changed`, one reload at a time per list.
 */
import type { Prompt, Resource, ServerCapabilities, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../logger';
import { Rerun } from '../async';
import { ListSubscription } from './listSubscription';
import type { ClientSdk, SdkClient } from './sdk';
import { headerParameters, paramHeaders } from './toolHeaders';
import { errorMessage } from './types';

export type ListKind = 'tools' | 'prompts' | 'resources';

const MAX_LIST_PAGES = 50;
const MAX_LIST_ITEMS = 5000;

export interface ServerListsHost {
  readonly name: string;
  readonly logger: Logger;
  redact(text: string): string;
  /** The live client, or undefined while not connected. */
  client(): SdkClient | undefined;
  capabilities(): ServerCapabilities | undefined;
  /** 2026-07-28: tools with invalid `x-mcp-header` marks are left out (SEP-2243). */
  modern(): boolean;
  withSignInRetry<T>(request: () => Promise<T>): Promise<T>;
  /** Lists were (re)loaded. */
  changed(): void;
}

export class ServerLists {
  private toolList: Tool[] = [];
  private promptList: Prompt[] = [];
  private resourceList: Resource[] = [];
  /** One reload per kind at a time; list_changed during one asks for exactly one more (core/rerun). */
  private readonly reloads = new Map<ListKind, Rerun<void>>();
  /** Each listed tool's `x-mcp-header` parameters (2026-07-28). */
  private headerParams = new Map<string, ReadonlyMap<string, string>>();
  /** 2026-07-28: the `subscriptions/listen` stream that brings list changes. */
  private subscription: ListSubscription | undefined;

  constructor(private readonly host: ServerListsHost) {}

  get tools(): readonly Tool[] {
    return this.toolList;
  }
  get prompts(): readonly Prompt[] {
    return this.promptList;
  }
  get resources(): readonly Resource[] {
    return this.resourceList;
  }

  /** The `Mcp-Param-*` headers of a call to a listed tool (none for an unknown one). */
  toolParamHeaders(toolName: string, args: unknown): Record<string, string> {
    const params = this.headerParams.get(toolName);
    return params ? paramHeaders(params, args) : {};
  }

  /** On 2026-07-28, listens for the list changes the server offers (a 2025-era server sends them unasked). */
  listen(sdk: ClientSdk): void {
    this.subscription?.dispose();
    this.subscription = undefined;
    const client = this.host.client();
    if (!client || !this.host.modern()) return;
    this.subscription = new ListSubscription(this.host, sdk, client);
    this.subscription.start();
  }

  /** The listen request's HTTP response ended: a stream closed without its result is opened again. */
  listenStreamEnded(): void {
    this.subscription?.streamEnded();
  }

  clear(): void {
    this.subscription?.dispose();
    this.subscription = undefined;
    this.toolList = [];
    this.headerParams = new Map();
    this.promptList = [];
    this.resourceList = [];
  }

  /** Reloads every list the server offers. Failures are logged, not thrown. */
  async refreshAll(): Promise<void> {
    await Promise.all([this.refresh('tools'), this.refresh('prompts'), this.refresh('resources')]);
    this.host.changed();
  }

  /** A burst of list_changed notifications while a reload runs causes exactly one more reload. */
  coalescedRefresh(what: ListKind): void {
    let reload = this.reloads.get(what);
    if (!reload) {
      reload = new Rerun(() => this.refresh(what).then(() => this.host.changed()));
      this.reloads.set(what, reload);
    }
    void reload.run().catch(() => undefined);
  }

  private async refresh(what: ListKind): Promise<void> {
    const client = this.host.client();
    if (!client || !this.host.capabilities()?.[what]) {
      this.set(what, []);
      return;
    }
    try {
      const items: unknown[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_LIST_PAGES && items.length < MAX_LIST_ITEMS; page++) {
        const params = cursor ? { cursor } : {};
        const result = await this.host.withSignInRetry<{ nextCursor?: string | undefined }>(() =>
          what === 'tools' ? client.listTools(params) : what === 'prompts' ? client.listPrompts(params) : client.listResources(params),
        );
        const pageItems = what === 'tools' ? (result as { tools: Tool[] }).tools : what === 'prompts' ? (result as { prompts: Prompt[] }).prompts : (result as { resources: Resource[] }).resources;
        // One at a time up to the bound: a server's page of 100,000 items spread as arguments overflows the stack.
        for (const item of pageItems) if (items.length < MAX_LIST_ITEMS) items.push(item);
        cursor = result.nextCursor;
        if (!cursor) break;
      }
      if (client === this.host.client()) this.set(what, items.slice(0, MAX_LIST_ITEMS));
    } catch (error) {
      this.host.logger.warn(`[${this.host.name}] could not list ${what}: ${this.host.redact(errorMessage(error))}`);
    }
  }

  private set(what: ListKind, items: unknown[]): void {
    if (what === 'tools') this.setTools(items as Tool[]);
    else if (what === 'prompts') this.promptList = items as Prompt[];
    else this.resourceList = items as Resource[];
  }

  private setTools(tools: Tool[]): void {
    const headerParams = new Map<string, ReadonlyMap<string, string>>();
    if (!this.host.modern()) {
      this.toolList = tools;
      this.headerParams = headerParams;
      return;
    }
    this.toolList = tools.filter((tool) => {
      const parsed = headerParameters(tool.inputSchema);
      if (!parsed.ok) {
        this.host.logger.warn(`[${this.host.name}] tool "${this.host.redact(tool.name.slice(0, 100))}" is left out: ${this.host.redact(parsed.reason)}`);
        return false;
      }
      if (parsed.params.size > 0) headerParams.set(tool.name, parsed.params);
      return true;
    });
    this.headerParams = headerParams;
  }
}
