/**
 * The approval queue: holds one session per sampling request, what each waits for from a person,
 * the bounds (most open at once, closed ones kept for display) and the decisions a person's actions
 * turn into. It knows nothing of webviews: src/vscode/panel turns its events into protocol messages
 * and the webview's messages into `act` calls, in one place.
 */
import { LIMITS } from '../../shared/limits';
import type { Logger } from '../logger';
import type { ProviderResponse } from '../providers/types';
import { describeAbortReason } from '../async';
import { applyEdits, replaceText } from './edits';
import { PanelClosedError, type ApprovalDecision, type ApprovalPrompter, type ApprovalQueueHooks, type ApprovalQueueOptions, type ApprovalRequest, type ApprovalSession, type CloseOutcome, type PersonAction, type RequestEvent, type ReviewDecision, type SessionOptions, type SessionSnapshot } from './types';

export { PanelClosedError, type ApprovalQueueHooks, type ApprovalQueueOptions, type PersonAction, type QueueEvent, type SessionSnapshot } from './types';

type Waiter =
  | { readonly kind: 'approval'; readonly resolve: (d: ApprovalDecision) => void; readonly reject: (e: unknown) => void }
  | { readonly kind: 'review'; readonly resolve: (d: ReviewDecision) => void; readonly reject: (e: unknown) => void; readonly response: ProviderResponse }
  | { readonly kind: 'manual'; readonly resolve: (text: string) => void; readonly reject: (e: unknown) => void };

interface Entry {
  readonly request: ApprovalRequest;
  live: Omit<SessionSnapshot, 'request'>;
  /** Shown in the UI (and counted against maxOpen); a session nobody needs to see stays hidden. */
  visible: boolean;
  /** Set when the session could not be shown (the queue was full or gone): every person's step is refused with it. */
  refusal?: string;
  /** Shown by a person's step that has not been sent yet: the step's wait sends it as added. */
  announcePending?: boolean;
  waiter?: Waiter;
  /** Removes the abort listener of the current wait. */
  stopWaiting?: () => void;
}

const snapshotOf = (entry: Entry): SessionSnapshot => ({ request: entry.request, ...entry.live });

export class ApprovalQueue implements ApprovalPrompter {
  private readonly entries = new Map<string, Entry>();
  private readonly maxOpen: number;
  private readonly maxClosedKept: number;
  private disposed = false;

  constructor(
    private readonly logger: Logger,
    private readonly hooks: ApprovalQueueHooks,
    options: ApprovalQueueOptions = {},
  ) {
    this.maxOpen = Math.max(1, options.maxOpen ?? 100);
    this.maxClosedKept = Math.max(0, options.maxClosedKept ?? 20);
  }

  // ---- ApprovalPrompter ----

  open(request: ApprovalRequest, options: SessionOptions): ApprovalSession {
    const entry: Entry = { request, visible: false, live: { state: 'streaming', step: 'answering', responseText: '' } };
    if (options.withPerson) this.show(entry, 'announce');
    return {
      approve: (signal) => this.approve(entry, signal),
      review: (response, signal) => this.review(entry, response, signal),
      manualReply: (signal) => this.manualReply(entry, signal),
      notify: (event) => this.notify(entry, event),
    };
  }

  // ---- a person's side ----

  /**
   * Applies a person's action to a request. 'unknown': no such request; 'stale': it does not wait for
   * that action now (the UI is re-sent its state). Throws EditError for edits the request cannot take.
   */
  act(requestId: string, action: PersonAction): 'done' | 'unknown' | 'stale' {
    const entry = this.entries.get(requestId);
    if (!entry) return 'unknown';
    const waiter = entry.waiter;
    switch (action.type) {
      case 'approve': {
        if (waiter?.kind !== 'approval') return this.stale(entry, action.type);
        const { params, choice } = applyEdits(entry.request, action.edits);
        entry.live = { ...entry.live, state: 'streaming', step: 'answering' };
        this.resolveWith(entry, () => waiter.resolve({ kind: 'approve', params, choice, ...(action.remember ? { remember: action.remember } : {}) }));
        return 'done';
      }
      case 'reject': {
        if (waiter?.kind !== 'approval') return this.stale(entry, action.type);
        const reason = action.reason || 'rejected by the user';
        this.resolveWith(entry, () => waiter.resolve({ kind: 'reject', reason }));
        // The pipeline's own `closed` event may follow and refine the reason.
        this.close(entry, 'rejected', reason);
        return 'done';
      }
      case 'accept-response': {
        if (waiter?.kind !== 'review') return this.stale(entry, action.type);
        const content = action.text === undefined ? waiter.response.content : replaceText(waiter.response.content, action.text);
        entry.live = { ...entry.live, step: 'done', responseText: action.text ?? entry.live.responseText };
        this.resolveWith(entry, () => waiter.resolve({ kind: 'accept', content }));
        return 'done';
      }
      case 'reject-response': {
        if (waiter?.kind !== 'review') return this.stale(entry, action.type);
        const reason = action.reason || 'response rejected by the user';
        entry.live = { ...entry.live, step: 'done' };
        this.resolveWith(entry, () => waiter.resolve({ kind: 'reject', reason }));
        return 'done';
      }
      case 'regenerate': {
        if (waiter?.kind !== 'review') return this.stale(entry, action.type);
        entry.live = { state: 'streaming', step: 'answering', responseText: '' };
        this.resolveWith(entry, () => waiter.resolve({ kind: 'regenerate' }));
        return 'done';
      }
      case 'manual-reply': {
        if (waiter?.kind !== 'manual') return this.stale(entry, action.type);
        entry.live = { ...entry.live, step: 'answering', responseText: action.text };
        this.resolveWith(entry, () => waiter.resolve(action.text));
        return 'done';
      }
    }
  }

  /** One shown request, for rendering (e.g. the diff of an edit). */
  get(requestId: string): SessionSnapshot | undefined {
    const entry = this.entries.get(requestId);
    return entry ? snapshotOf(entry) : undefined;
  }

  /** Every shown request, oldest first. */
  sessions(): SessionSnapshot[] {
    return [...this.entries.values()].map(snapshotOf);
  }

  /** Requests waiting for a person now (approval, review or a typed reply). */
  pendingCount(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.waiter) n++;
    return n;
  }

  /**
   * The UI closed: every request waiting for a person is rejected with `reason`, closed requests are
   * forgotten. Requests being answered keep going (they come back when they need a person).
   */
  rejectWaiting(reason: string): void {
    for (const entry of [...this.entries.values()]) {
      if (entry.waiter) this.settle(entry, reason);
      if (entry.live.closed) this.entries.delete(entry.request.origin.requestId);
    }
    this.hooks.pendingCountChanged(this.pendingCount());
  }

  dispose(): void {
    this.disposed = true;
    this.rejectWaiting('the approval panel was disposed');
    this.entries.clear();
  }

  // ---- the session's side ----

  /** A request cancelled before it was ever sent to the UI is forgotten, never shown. */
  private forgetUnsent(entry: Entry): void {
    if (!entry.announcePending) return;
    entry.announcePending = false;
    entry.visible = false;
    if (this.entries.get(entry.request.origin.requestId) === entry) this.entries.delete(entry.request.origin.requestId);
  }

  private approve(entry: Entry, signal: AbortSignal): Promise<ApprovalDecision> {
    if (signal.aborted) {
      this.forgetUnsent(entry);
      return Promise.reject(signal.reason);
    }
    const refusal = this.needPerson(entry);
    if (refusal) return Promise.resolve({ kind: 'reject', reason: refusal, unasked: true });
    entry.live = { ...entry.live, state: 'pending', step: 'approval' };
    return this.wait<ApprovalDecision>(entry, signal, (resolve, reject) => ({ kind: 'approval', resolve, reject }));
  }

  private review(entry: Entry, response: ProviderResponse, signal: AbortSignal): Promise<ReviewDecision> {
    if (signal.aborted) {
      this.forgetUnsent(entry);
      return Promise.reject(signal.reason);
    }
    const refusal = this.needPerson(entry);
    if (refusal) return Promise.resolve({ kind: 'reject', reason: refusal, unasked: true });
    entry.live = { ...entry.live, state: 'review', step: 'review', response, responseText: responseText(response) };
    return this.wait<ReviewDecision>(entry, signal, (resolve, reject) => ({ kind: 'review', resolve, reject, response }));
  }

  private manualReply(entry: Entry, signal: AbortSignal): Promise<string> {
    if (signal.aborted) {
      this.forgetUnsent(entry);
      return Promise.reject(signal.reason);
    }
    const refusal = this.needPerson(entry);
    if (refusal) return Promise.reject(new PanelClosedError(refusal));
    entry.live = { ...entry.live, state: 'streaming', step: 'manual-reply', responseText: '' };
    return this.wait<string>(entry, signal, (resolve, reject) => ({ kind: 'manual', resolve, reject }));
  }

  private notify(entry: Entry, event: RequestEvent): void {
    const requestId = entry.request.origin.requestId;
    switch (event.kind) {
      case 'delta': {
        if (entry.live.closed) return;
        const room = LIMITS.text - entry.live.responseText.length;
        if (room <= 0) return;
        const text = event.text.slice(0, Math.min(room, LIMITS.delta));
        entry.live = { ...entry.live, state: 'streaming', step: 'answering', responseText: entry.live.responseText + text };
        if (entry.visible) this.hooks.changed({ type: 'delta', requestId, text });
        return;
      }
      case 'response':
        entry.live = { ...entry.live, response: event.response, responseText: responseText(event.response) };
        if (entry.visible) this.hooks.changed({ type: 'response', requestId, response: event.response });
        return;
      case 'error':
        entry.live = { ...entry.live, error: event.message.slice(0, LIMITS.reason) };
        if (entry.visible) this.hooks.changed({ type: 'error', requestId, message: entry.live.error ?? '' });
        return;
      case 'closed':
        this.close(entry, event.outcome, event.reason);
        return;
    }
  }

  // ---- internals ----

  /** Shows the session if it is not shown yet; returns why a person cannot be asked, or undefined. */
  private needPerson(entry: Entry): string | undefined {
    if (entry.refusal) return entry.refusal;
    if (!entry.visible) this.show(entry, 'step');
    return entry.refusal;
  }

  private show(entry: Entry, why: 'announce' | 'step'): void {
    const id = entry.request.origin.requestId;
    if (this.disposed) {
      entry.refusal = 'the approval panel is not available';
      return;
    }
    if (this.openCount() >= this.maxOpen) {
      this.logger.warn(`Approval panel: refusing request ${id}, ${this.maxOpen} requests already open`);
      entry.refusal = 'too many requests are waiting in the approval panel';
      return;
    }
    const existing = this.entries.get(id);
    if (existing && existing !== entry) {
      this.settle(existing, 'replaced by a new request with the same id');
      this.entries.delete(id);
    }
    entry.visible = true;
    this.entries.set(id, entry);
    // The first step's wait sends the card with that step; a session opened with a person but whose
    // first step is not asked at once (auto with review) is sent as it is, a moment later.
    entry.announcePending = true;
    if (why === 'announce') {
      queueMicrotask(() => {
        if (!entry.announcePending || this.entries.get(id) !== entry) return;
        entry.announcePending = false;
        this.hooks.changed({ type: 'added', session: snapshotOf(entry) });
      });
    }
  }

  private wait<T>(entry: Entry, signal: AbortSignal, makeWaiter: (resolve: (v: T) => void, reject: (e: unknown) => void) => Waiter): Promise<T> {
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
    const added = entry.announcePending === true;
    entry.announcePending = false;
    this.hooks.changed({ type: added ? 'added' : 'updated', session: snapshotOf(entry) });
    this.hooks.pendingCountChanged(this.pendingCount());
    this.hooks.attention(entry.request.origin.requestId);
    return promise;
  }

  private resolveWith(entry: Entry, resolve: () => void): void {
    entry.stopWaiting?.();
    entry.waiter = undefined;
    entry.stopWaiting = undefined;
    resolve();
    this.hooks.changed({ type: 'updated', session: snapshotOf(entry) });
    this.hooks.pendingCountChanged(this.pendingCount());
  }

  /** Ends the current wait with a rejection the pipeline understands, and closes the request. */
  private settle(entry: Entry, reason: string): void {
    const waiter = entry.waiter;
    if (!waiter) return;
    entry.stopWaiting?.();
    entry.waiter = undefined;
    entry.stopWaiting = undefined;
    if (waiter.kind === 'manual') waiter.reject(new PanelClosedError(reason));
    else waiter.resolve({ kind: 'reject', reason });
    this.close(entry, 'rejected', reason);
  }

  private close(entry: Entry, outcome: CloseOutcome, reason: string): void {
    if (entry.waiter) {
      // The pipeline closed a request we still wait on: end that wait too.
      const waiter = entry.waiter;
      entry.stopWaiting?.();
      entry.waiter = undefined;
      entry.stopWaiting = undefined;
      if (waiter.kind === 'manual') waiter.reject(new PanelClosedError(reason));
      else waiter.resolve({ kind: 'reject', reason });
    }
    const closed = { outcome, reason: reason.slice(0, LIMITS.reason) };
    entry.live = { ...entry.live, state: 'closed', step: 'done', closed };
    if (!entry.visible || this.entries.get(entry.request.origin.requestId) !== entry) return;
    this.hooks.changed({ type: 'closed', requestId: entry.request.origin.requestId, outcome, reason: closed.reason });
    this.hooks.pendingCountChanged(this.pendingCount());
    this.trimClosed();
  }

  private stale(entry: Entry, action: string): 'stale' {
    this.logger.debug(`Approval panel: "${action}" ignored for request ${entry.request.origin.requestId} in step ${entry.live.step}`);
    this.hooks.changed({ type: 'updated', session: snapshotOf(entry) });
    return 'stale';
  }

  private openCount(): number {
    let n = 0;
    for (const e of this.entries.values()) if (!e.live.closed) n++;
    return n;
  }

  private trimClosed(): void {
    const closed = [...this.entries.values()].filter((e) => e.live.closed);
    for (const e of closed.slice(0, Math.max(0, closed.length - this.maxClosedKept))) this.entries.delete(e.request.origin.requestId);
  }
}

/** The answer's text blocks joined: what the review shows and edits. */
export function responseText(response: ProviderResponse): string {
  const blocks = Array.isArray(response.content) ? response.content : [response.content];
  return blocks.map((b) => (b.type === 'text' ? b.text : '')).join('').slice(0, LIMITS.text);
}
