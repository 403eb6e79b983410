/**
 * The approval UI for tests that drive the pipeline: decides in code (approve by default, accept the
 * answer, type "typed by hand"), records what it was asked, and lets a test wait for a state.
 * `'wait'` leaves the decision to the request's signal (cancel, timeout); `'hold'` keeps it until
 * `releaseHeld`. Every decision ends when the request's signal aborts, as the real panel's does.
 */
import type { ApprovalDecision, ApprovalPrompter, ApprovalRequest, ApprovalSession, RequestEvent, ReviewDecision, SessionOptions } from '../../src/core/approval/types';
import type { ProviderResponse } from '../../src/core/providers/types';
import { sessionFromScript, type PromptScript } from './prompterScript';

export type Decide = (request: ApprovalRequest) => ApprovalDecision | 'wait' | 'hold' | Promise<ApprovalDecision>;

export interface FakePrompterScript {
  readonly approve?: Decide;
  /** `round` counts the reviews of this prompter, from 1. */
  readonly review?: (response: ProviderResponse, round: number) => ReviewDecision | Promise<ReviewDecision>;
  readonly manual?: () => string | Promise<string>;
}

type Closed = Extract<RequestEvent, { kind: 'closed' }>;

const approveAsIs: Decide = (r) => ({ kind: 'approve', params: r.params, choice: r.choice });

/** Resolves with `value` unless the signal aborts first (then rejects with its reason). */
function untilAbort<T>(value: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    value.then(resolve, reject);
  });
}

export class FakePrompter implements ApprovalPrompter, PromptScript {
  readonly approvals: ApprovalRequest[] = [];
  readonly approvalSignals: AbortSignal[] = [];
  readonly sessions: { request: ApprovalRequest; withPerson: boolean }[] = [];
  readonly reviews: ProviderResponse[] = [];
  readonly events: { id: string; event: RequestEvent }[] = [];
  /** The most approvals this prompter had waiting at once. */
  maxWaiting = 0;
  private waiting = 0;
  private held: { request: ApprovalRequest; resolve: (d: ApprovalDecision) => void }[] = [];
  private waiters: { check: () => boolean; resolve: () => void }[] = [];

  constructor(private readonly script: FakePrompterScript = {}) {}

  open(request: ApprovalRequest, options: SessionOptions): ApprovalSession {
    return sessionFromScript(this, request, options);
  }

  opened(request: ApprovalRequest, options: SessionOptions): void {
    this.sessions.push({ request, withPerson: options.withPerson });
  }

  requestApproval(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalDecision> {
    this.approvals.push(request);
    this.approvalSignals.push(signal);
    this.waiting++;
    this.maxWaiting = Math.max(this.maxWaiting, this.waiting);
    const decide = this.script.approve ?? approveAsIs;
    const decision = untilAbort(
      Promise.resolve()
        .then(() => decide(request))
        .then((d) => (d === 'wait' ? new Promise<never>(() => undefined) : d === 'hold' ? new Promise<ApprovalDecision>((resolve) => this.held.push({ request, resolve })) : d)),
      signal,
    );
    const done = () => {
      this.waiting--;
      this.wake();
    };
    decision.then(done, done);
    this.wake();
    return decision;
  }

  reviewResponse(_id: string, response: ProviderResponse, signal: AbortSignal): Promise<ReviewDecision> {
    this.reviews.push(response);
    const decide = this.script.review ?? ((r: ProviderResponse) => ({ kind: 'accept', content: r.content }) as const);
    const round = this.reviews.length;
    return untilAbort(Promise.resolve().then(() => decide(response, round)), signal);
  }

  manualReply(_id: string, signal: AbortSignal): Promise<string> {
    return untilAbort(Promise.resolve().then(() => this.script.manual?.() ?? 'typed by hand'), signal);
  }

  notify(id: string, event: RequestEvent): void {
    this.events.push({ id, event });
    this.wake();
  }

  /** Every `closed` event, in order. */
  closed(): Closed[] {
    return this.events.map((e) => e.event).filter((e): e is Closed => e.kind === 'closed');
  }

  closedFor(id: string): Closed | undefined {
    return this.events.find((e): e is { id: string; event: Closed } => e.id === id && e.event.kind === 'closed')?.event;
  }

  get heldCount(): number {
    return this.held.length;
  }

  /** Decides every held request (reject by default). */
  releaseHeld(decision: ApprovalDecision = { kind: 'reject', reason: 'released by the test' }): void {
    const held = this.held;
    this.held = [];
    for (const h of held) h.resolve(decision);
  }

  /** Waits (bounded) until the condition holds, checked whenever the prompter is asked or told something. */
  when(check: () => boolean, what = 'the condition', timeoutMs = 20_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      this.waiters.push({ check, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  private wake(): void {
    this.waiters = this.waiters.filter((w) => (w.check() ? (w.resolve(), false) : true));
  }
}
