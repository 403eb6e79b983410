/**
 * The approval panel's model: the queue of requests, what each one waits for, and the decisions the
 * user's messages turn into. It implements ApprovalPrompter without touching vscode (the panel
 * controller adapts it to a WebviewPanel), so Node tests drive it through the real protocol.
 */
import type { Logger } from '../../core/logger';
import { describeAbortReason } from '../../core/sampling/abort';
import type {
  ApprovalDecision,
  ApprovalPrompter,
  ApprovalRequest,
  ProviderResponse,
  RequestEvent,
  ResponseContent,
  ReviewDecision,
} from '../../core/sampling/types';
import { LIMITS, type HostToWebview, type RequestView, type WebviewToHost } from '../../shared/protocol';
import { applyEdits, describeForDiff, EditError } from './applyEdits';
import { fullRequestText, responseText, toRequestView, toResponseView, type LiveState } from './toView';

export interface QueueHooks {
  /** Sends a message to the webview (dropped when no webview is listening). */
  post(message: HostToWebview): void;
  /** A request needs the user now: reveal the panel without taking focus. */
  attention(requestId: string): void;
  pendingCountChanged(count: number): void;
  /** Open the editor's diff of the original request text against the edited one. */
  openDiff(requestId: string, original: string, edited: string): void;
  /** Open the complete request (what the model receives) in a read-only editor. */
  openFullRequest?(requestId: string, text: string): void;
}

export interface RequestQueueOptions {
  /** Most requests open at once (not closed); more are refused. */
  readonly maxOpen?: number;
  /** Closed requests kept for display, newest first. */
  readonly maxClosedKept?: number;
}

export interface QueuedRequestSnapshot {
  readonly id: string;
  readonly serverName: string;
  readonly state: RequestView['state'];
  readonly step: RequestView['step'];
  readonly receivedAt: number;
}

type Waiter =
  | { readonly kind: 'approval'; readonly resolve: (d: ApprovalDecision) => void; readonly reject: (e: unknown) => void }
  | { readonly kind: 'review'; readonly resolve: (d: ReviewDecision) => void; readonly reject: (e: unknown) => void; readonly response: ProviderResponse }
  | { readonly kind: 'manual'; readonly resolve: (text: string) => void; readonly reject: (e: unknown) => void };

interface Entry {
  request: ApprovalRequest;
  live: LiveState;
  waiter?: Waiter;
  /** Removes the abort listener of the current wait. */
  stopWaiting?: () => void;
}

/** Thrown into manualReply when the panel closes before the user answers. */
export class PanelClosedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'PanelClosedError';
  }
}


/** A stand-in request for ids the pipeline never asked approval for (approval mode "auto"). */
function placeholderRequest(requestId: string): ApprovalRequest {
  return {
    id: requestId,
    serverName: '(auto-approved request)',
    serverSource: '',
    route: 'server-request',
    params: { messages: [], maxTokens: 1 },
    choice: { providerId: '', model: '', reason: 'approved automatically by settings' },
    providers: [],
    tokenEstimate: 0,
    warnings: [],
    receivedAt: Date.now(),
  };
}

export class RequestQueue implements ApprovalPrompter {
  private readonly entries = new Map<string, Entry>();
  private readonly maxOpen: number;
  private readonly maxClosedKept: number;
  private disposed = false;

  constructor(
    private readonly logger: Logger,
    private readonly hooks: QueueHooks,
    options: RequestQueueOptions = {},
  ) {
    this.maxOpen = Math.max(1, options.maxOpen ?? 100);
    this.maxClosedKept = Math.max(0, options.maxClosedKept ?? 20);
  }

  // ---- ApprovalPrompter ----

  requestApproval(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalDecision> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.disposed) return Promise.resolve({ kind: 'reject', reason: 'the approval panel is not available' });
    if (this.openCount() >= this.maxOpen) {
      this.logger.warn(`Approval panel: refusing request ${request.id}, ${this.maxOpen} requests already open`);
      return Promise.resolve({ kind: 'reject', reason: 'too many requests are waiting in the approval panel' });
    }
    const existing = this.entries.get(request.id);
    if (existing) this.settle(existing, 'replaced by a new request with the same id');
    const entry: Entry = { request, live: { state: 'pending', step: 'approval', responseText: '' } };
    this.entries.set(request.id, entry);
    return this.wait<ApprovalDecision>(entry, signal, (resolve, reject) => ({ kind: 'approval', resolve, reject }), 'added');
  }

  reviewResponse(requestId: string, response: ProviderResponse, signal: AbortSignal): Promise<ReviewDecision> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.disposed) return Promise.resolve({ kind: 'reject', reason: 'the approval panel is not available' });
    const entry = this.entryFor(requestId);
    entry.live = { ...entry.live, state: 'review', step: 'review', response: toResponseView(response), responseText: responseText(response) };
    return this.wait<ReviewDecision>(entry, signal, (resolve, reject) => ({ kind: 'review', resolve, reject, response }));
  }

  manualReply(requestId: string, signal: AbortSignal): Promise<string> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.disposed) return Promise.reject(new PanelClosedError('the approval panel is not available'));
    const entry = this.entryFor(requestId);
    entry.live = { ...entry.live, state: 'streaming', step: 'manual-reply', responseText: '' };
    return this.wait<string>(entry, signal, (resolve, reject) => ({ kind: 'manual', resolve, reject }));
  }

  /**
   * Shows a request that needs no approval (approval mode "auto" or allowed for the session), so that
   * a later review or manual reply has its full context. Not part of ApprovalPrompter (yet): optional.
   */
  announce(request: ApprovalRequest): void {
    if (this.disposed || this.entries.has(request.id) || this.openCount() >= this.maxOpen) return;
    const entry: Entry = { request, live: { state: 'streaming', step: 'answering', responseText: '' } };
    this.entries.set(request.id, entry);
    this.hooks.post({ type: 'request-added', request: toRequestView(request, entry.live) });
  }

  notify(requestId: string, event: RequestEvent): void {
    const entry = this.entries.get(requestId);
    if (!entry) {
      this.logger.debug(`Approval panel: ${event.kind} for unknown request ${requestId}`);
      return;
    }
    switch (event.kind) {
      case 'delta': {
        if (entry.live.closed) return;
        const room = LIMITS.text - entry.live.responseText.length;
        if (room <= 0) return;
        const text = event.text.slice(0, Math.min(room, LIMITS.delta));
        entry.live = { ...entry.live, state: 'streaming', step: 'answering', responseText: entry.live.responseText + text };
        this.hooks.post({ type: 'delta', requestId, text });
        return;
      }
      case 'response': {
        const response = toResponseView(event.response);
        entry.live = { ...entry.live, response, responseText: responseText(event.response) };
        this.hooks.post({ type: 'response', requestId, response });
        return;
      }
      case 'error':
        entry.live = { ...entry.live, error: event.message.slice(0, LIMITS.reason) };
        this.hooks.post({ type: 'error', requestId, message: entry.live.error ?? '' });
        return;
      case 'closed':
        this.close(entry, event.outcome, event.reason);
        return;
    }
  }

  // ---- The webview side ----

  /** Handles a validated message from the webview (all but `ready`, which the controller answers). */
  handleMessage(message: WebviewToHost): void {
    // `ready` is the controller's; elicitation answers go to the ElicitationQueue.
    if (message.type === 'ready' || message.type === 'elicitation-answer') return;
    const entry = this.entries.get(message.requestId);
    if (!entry) {
      this.hooks.post({ type: 'error', requestId: message.requestId, message: 'This request is no longer available.' });
      return;
    }
    try {
      this.dispatch(entry, message);
    } catch (e) {
      if (!(e instanceof EditError)) throw e;
      this.hooks.post({ type: 'error', requestId: entry.request.id, message: e.message });
    }
  }

  private dispatch(entry: Entry, message: Exclude<WebviewToHost, { type: 'ready' }>): void {
    const waiter = entry.waiter;
    switch (message.type) {
      case 'approve':
      case 'always-allow':
      case 'allow-session': {
        if (waiter?.kind !== 'approval') return this.stale(entry, message.type);
        const { params, choice } = applyEdits(entry.request, message.edits);
        const remember = message.type === 'always-allow' ? 'always' : message.type === 'allow-session' ? 'session' : message.remember;
        entry.live = { ...entry.live, state: 'streaming', step: 'answering' };
        this.resolveWith(entry, () => waiter.resolve({ kind: 'approve', params, choice, ...(remember ? { remember } : {}) }));
        return;
      }
      case 'reject': {
        if (waiter?.kind !== 'approval') return this.stale(entry, message.type);
        const reason = message.reason || 'rejected by the user';
        this.resolveWith(entry, () => waiter.resolve({ kind: 'reject', reason }));
        // The pipeline's own `closed` event may follow and refine the reason.
        this.close(entry, 'rejected', reason);
        return;
      }
      case 'approve-response': {
        if (waiter?.kind !== 'review') return this.stale(entry, message.type);
        const content: ResponseContent = message.text === undefined ? waiter.response.content : replaceText(waiter.response.content, message.text);
        entry.live = { ...entry.live, step: 'done', responseText: message.text ?? entry.live.responseText };
        this.resolveWith(entry, () => waiter.resolve({ kind: 'accept', content }));
        return;
      }
      case 'reject-response': {
        if (waiter?.kind !== 'review') return this.stale(entry, message.type);
        const reason = message.reason || 'response rejected by the user';
        entry.live = { ...entry.live, step: 'done' };
        this.resolveWith(entry, () => waiter.resolve({ kind: 'reject', reason }));
        return;
      }
      case 'regenerate': {
        if (waiter?.kind !== 'review') return this.stale(entry, message.type);
        entry.live = { state: 'streaming', step: 'answering', responseText: '' };
        this.resolveWith(entry, () => waiter.resolve({ kind: 'regenerate' }));
        return;
      }
      case 'manual-reply': {
        if (waiter?.kind !== 'manual') return this.stale(entry, message.type);
        entry.live = { ...entry.live, step: 'answering', responseText: message.text };
        this.resolveWith(entry, () => waiter.resolve(message.text));
        return;
      }
      case 'open-full-request':
        this.hooks.openFullRequest?.(entry.request.id, fullRequestText(entry.request));
        return;
      case 'show-diff': {
        const edited = applyEdits(entry.request, message.edits);
        this.hooks.openDiff(
          entry.request.id,
          describeForDiff(entry.request.params, entry.request.choice),
          describeForDiff(edited.params, edited.choice),
        );
        return;
      }
    }
  }

  /** Every request as the webview shows it, oldest first. */
  views(): RequestView[] {
    return [...this.entries.values()].map((e) => toRequestView(e.request, e.live));
  }

  /** Requests waiting for a decision from the user (approval, review or a manual reply). */
  pendingCount(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.waiter) n++;
    return n;
  }

  snapshot(): QueuedRequestSnapshot[] {
    return [...this.entries.values()]
      .filter((e) => !e.live.closed)
      .map((e) => ({ id: e.request.id, serverName: e.request.serverName, state: e.live.state, step: e.live.step, receivedAt: e.request.receivedAt }));
  }

  /**
   * The panel closed: every request waiting for the user is rejected with `reason`, closed requests
   * are forgotten. Requests being answered keep going (they come back when they need the user).
   */
  rejectWaiting(reason: string): void {
    for (const entry of [...this.entries.values()]) {
      if (entry.waiter) this.settle(entry, reason);
      if (entry.live.closed) this.entries.delete(entry.request.id);
    }
    this.hooks.pendingCountChanged(this.pendingCount());
  }

  dispose(): void {
    this.disposed = true;
    this.rejectWaiting('the approval panel was disposed');
    this.entries.clear();
  }

  // ---- internals ----

  private entryFor(requestId: string): Entry {
    let entry = this.entries.get(requestId);
    if (!entry) {
      entry = { request: placeholderRequest(requestId), live: { state: 'streaming', step: 'answering', responseText: '' } };
      this.entries.set(requestId, entry);
      this.hooks.post({ type: 'request-added', request: toRequestView(entry.request, entry.live) });
    }
    return entry;
  }

  private wait<T>(
    entry: Entry,
    signal: AbortSignal,
    makeWaiter: (resolve: (v: T) => void, reject: (e: unknown) => void) => Waiter,
    announce: 'added' | 'updated' = 'updated',
  ): Promise<T> {
    if (entry.waiter) this.settle(entry, 'superseded by a newer step');
    const promise = new Promise<T>((resolve, reject) => {
      entry.waiter = makeWaiter(resolve, reject);
      const onAbort = (): void => {
        const waiter = entry.waiter;
        if (!waiter) return;
        entry.waiter = undefined;
        entry.stopWaiting = undefined;
        waiter.reject(signal.reason);
        this.close(entry, 'cancelled', describeAbortReason(signal.reason));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      entry.stopWaiting = () => signal.removeEventListener('abort', onAbort);
    });
    const view = toRequestView(entry.request, entry.live);
    this.hooks.post(announce === 'added' ? { type: 'request-added', request: view } : { type: 'request-updated', request: view });
    this.hooks.pendingCountChanged(this.pendingCount());
    this.hooks.attention(entry.request.id);
    return promise;
  }

  private resolveWith(entry: Entry, resolve: () => void): void {
    entry.stopWaiting?.();
    entry.waiter = undefined;
    entry.stopWaiting = undefined;
    resolve();
    this.hooks.post({ type: 'request-updated', request: toRequestView(entry.request, entry.live) });
    this.hooks.pendingCountChanged(this.pendingCount());
  }

  /** Ends the current wait with a rejection the pipeline understands, and closes the request. */
  private settle(entry: Entry, reason: string): void {
    const waiter = entry.waiter;
    if (!waiter) return;
    entry.stopWaiting?.();
    entry.waiter = undefined;
    entry.stopWaiting = undefined;
    if (waiter.kind === 'approval') waiter.resolve({ kind: 'reject', reason });
    else if (waiter.kind === 'review') waiter.resolve({ kind: 'reject', reason });
    else waiter.reject(new PanelClosedError(reason));
    this.close(entry, 'rejected', reason);
  }

  private close(entry: Entry, outcome: NonNullable<LiveState['closed']>['outcome'], reason: string): void {
    if (entry.waiter) {
      // The pipeline closed a request we still wait on: end that wait too.
      const waiter = entry.waiter;
      entry.stopWaiting?.();
      entry.waiter = undefined;
      entry.stopWaiting = undefined;
      if (waiter.kind === 'manual') waiter.reject(new PanelClosedError(reason));
      else waiter.resolve({ kind: 'reject', reason });
    }
    entry.live = { ...entry.live, state: 'closed', step: 'done', closed: { outcome, reason: reason.slice(0, LIMITS.reason) } };
    this.hooks.post({ type: 'closed', requestId: entry.request.id, outcome, reason: entry.live.closed?.reason ?? reason });
    this.hooks.pendingCountChanged(this.pendingCount());
    this.trimClosed();
  }

  private stale(entry: Entry, action: string): void {
    this.logger.debug(`Approval panel: "${action}" ignored for request ${entry.request.id} in step ${entry.live.step}`);
    this.hooks.post({ type: 'request-updated', request: toRequestView(entry.request, entry.live) });
  }

  private openCount(): number {
    let n = 0;
    for (const e of this.entries.values()) if (!e.live.closed) n++;
    return n;
  }

  private trimClosed(): void {
    const closed = [...this.entries.values()].filter((e) => e.live.closed);
    for (const e of closed.slice(0, Math.max(0, closed.length - this.maxClosedKept))) this.entries.delete(e.request.id);
  }
}

/** The accepted answer with the user's edited text in place of the original text blocks. */
export function replaceText(content: ResponseContent, text: string): ResponseContent {
  if (!Array.isArray(content)) return content.type === 'text' ? { ...content, text } : { type: 'text', text };
  const others = content.filter((b) => b.type !== 'text');
  return [{ type: 'text', text }, ...others] as ResponseContent;
}
