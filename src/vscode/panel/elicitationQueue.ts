/**
 * The panel's side of elicitation: implements the core's ElicitationPrompter by showing a card per
 * request and resolving with the user's answer. vscode-free (the controller injects posting, focus
 * and opening URLs), so it is tested in plain Node.
 */
import type { ElicitationPrompter } from '../../core/rounds/elicitation';
import type { Logger } from '../../core/logger';
import { applyElicitationDefaults, validateElicitationContent, type ElicitAction, type ElicitationRequest, type ElicitResult } from '../../shared/elicitation';
import { LIMITS, sanitizeRequestedSchema, type ElicitationAnswerMessage, type ElicitationView, type HostToWebview } from '../../shared/protocol';

export interface ElicitationQueueHooks {
  post(message: HostToWebview): void;
  /** Bring the panel forward: a card needs the user. */
  attention(): void;
  /** Opens the URL outside the editor after the user's consent; resolves false when it could not. */
  openExternal(url: string): Promise<boolean>;
  /** A card was shown or closed (the status bar counts them with the sampling requests). */
  countChanged?(): void;
}

export interface ElicitationQueueOptions {
  /** Open elicitations at once; more are cancelled at once (default 20). */
  readonly maxOpen?: number;
  /** Open elicitations of one server at once, read per request (default 5); more are cancelled at once. */
  readonly maxOpenPerServer?: () => number;
}

interface Entry {
  readonly view: ElicitationView;
  readonly request: ElicitationRequest;
  readonly settle: (result: ElicitResult) => void;
  readonly cleanup: () => void;
}

const DEFAULT_MAX_OPEN = 20;
const clipName = (name: string): string => (name.length <= LIMITS.name ? name : `${name.slice(0, LIMITS.name - 1)}…`);
const DEFAULT_MAX_OPEN_PER_SERVER = 5;
const CLOSED_REASONS: Record<ElicitAction, string> = {
  accept: 'Answered.',
  decline: 'Declined.',
  cancel: 'Cancelled.',
};

export class ElicitationQueue implements ElicitationPrompter {
  private readonly entries = new Map<string, Entry>();
  private nextId = 1;
  private readonly maxOpen: number;
  private readonly maxOpenPerServer: () => number;

  constructor(
    private readonly logger: Logger,
    private readonly hooks: ElicitationQueueHooks,
    options: ElicitationQueueOptions = {},
  ) {
    this.maxOpen = options.maxOpen ?? DEFAULT_MAX_OPEN;
    this.maxOpenPerServer = options.maxOpenPerServer ?? (() => DEFAULT_MAX_OPEN_PER_SERVER);
  }

  get openCount(): number {
    return this.entries.size;
  }

  /** The open cards, for the panel's `state` after `ready`. */
  views(): ElicitationView[] {
    return [...this.entries.values()].map((e) => e.view);
  }

  elicitForm(request: Extract<ElicitationRequest, { mode: 'form' }>, serverName: string, signal: AbortSignal): Promise<ElicitResult> {
    const id = `elicit-${this.nextId++}`;
    const view: ElicitationView = { id, serverName: clipName(serverName), message: request.message, mode: 'form', requestedSchema: sanitizeRequestedSchema(request.requestedSchema), defaults: applyElicitationDefaults(request.requestedSchema) };
    return this.open(view, request, signal);
  }

  async elicitUrl(request: Extract<ElicitationRequest, { mode: 'url' }>, serverName: string, signal: AbortSignal): Promise<ElicitAction> {
    const id = `elicit-${this.nextId++}`;
    const view: ElicitationView = { id, serverName: clipName(serverName), message: request.message, mode: 'url', url: request.url, host: new URL(request.url).host };
    return (await this.open(view, request, signal)).action;
  }

  private open(view: ElicitationView, request: ElicitationRequest, signal: AbortSignal): Promise<ElicitResult> {
    if (signal.aborted) return Promise.reject(signal.reason instanceof Error ? signal.reason : new Error('The request was cancelled.'));
    if (this.entries.size >= this.maxOpen) {
      this.logger.warn(`Elicitation from "${view.serverName}" cancelled: ${this.maxOpen} are already open`);
      return Promise.resolve({ action: 'cancel' });
    }
    const perServer = Math.max(1, Math.floor(this.maxOpenPerServer()));
    let ofServer = 0;
    for (const e of this.entries.values()) if (e.view.serverName === view.serverName) ofServer++;
    if (ofServer >= perServer) {
      this.logger.warn(`Elicitation from "${view.serverName}" cancelled: it already has ${ofServer} open, the most one server may have`);
      return Promise.resolve({ action: 'cancel' });
    }
    return new Promise<ElicitResult>((resolve, reject) => {
      const onAbort = () => {
        const reason = signal.reason instanceof Error ? signal.reason.message : 'The server cancelled the request.';
        this.close(view.id, reason);
        reject(signal.reason instanceof Error ? signal.reason : new Error(reason));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.entries.set(view.id, {
        view,
        request,
        settle: resolve,
        cleanup: () => signal.removeEventListener('abort', onAbort),
      });
      this.logger.debug(`Elicitation ${view.id} from "${view.serverName}" (${view.mode}) shown`);
      this.hooks.post({ type: 'elicitation-show', elicitation: view });
      this.hooks.countChanged?.();
      this.hooks.attention();
    });
  }

  private close(id: string, reason: string): Entry | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    this.entries.delete(id);
    entry.cleanup();
    this.hooks.post({ type: 'elicitation-closed', elicitationId: id, reason });
    this.hooks.countChanged?.();
    return entry;
  }

  /** A validated `elicitation-answer` from the webview. */
  async handleAnswer(message: ElicitationAnswerMessage): Promise<void> {
    const entry = this.entries.get(message.elicitationId);
    if (!entry) {
      this.hooks.post({ type: 'error', message: 'This elicitation is no longer open.' });
      return;
    }
    const { request } = entry;
    if (message.action !== 'accept') {
      this.close(message.elicitationId, CLOSED_REASONS[message.action]);
      entry.settle({ action: message.action });
      return;
    }
    if (request.mode === 'url') {
      // Consent given: open it. The server learns only the action, never the URL's outcome.
      let opened = false;
      try {
        opened = await this.hooks.openExternal(request.url);
      } catch (e) {
        this.logger.warn(`Could not open ${new URL(request.url).host}: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (!this.entries.has(message.elicitationId)) return; // cancelled meanwhile
      this.close(message.elicitationId, opened ? `Opened ${new URL(request.url).host} in the browser.` : 'The browser could not be opened.');
      entry.settle({ action: opened ? 'accept' : 'cancel' });
      return;
    }
    const content = message.content ?? {};
    const problems = validateElicitationContent(request.requestedSchema, content);
    if (problems.length > 0) {
      // The webview validates first; this is a second line, and the card stays open.
      this.hooks.post({ type: 'error', message: `The answer does not match the form: ${problems.join('; ')}` });
      return;
    }
    this.logger.debug(`Elicitation ${message.elicitationId} accepted with fields ${Object.keys(content).join(', ') || '(none)'}`);
    this.close(message.elicitationId, CLOSED_REASONS.accept);
    entry.settle({ action: 'accept', content });
  }

  /** The panel was closed: every open elicitation ends as dismissed (`cancel`). */
  cancelAll(reason: string): void {
    for (const id of [...this.entries.keys()]) this.close(id, reason)?.settle({ action: 'cancel' });
  }

  dispose(): void {
    this.cancelAll('The extension is shutting down.');
  }
}
