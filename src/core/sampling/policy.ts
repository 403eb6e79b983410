/**
 * Decides whether a server's request may proceed and whether a human must approve it:
 * global pause, approval mode (per server over global), "allow for this session", rate and pending limits.
 * Each refusal is an McpError naming the setting that refused, so the server's author and the user know why.
 */
import { effectiveApproval, sessionApprovalKey, type EffectiveApproval, type RequestServer } from './approvalScope';
import { refused } from './errors';
import { SlidingWindowRateLimiter } from './rateLimiter';
import { SETTINGS } from '../settings';
import type { SamplingSettings } from './settings';
import type { ApprovalMode } from './types';

/**
 * Why a request was admitted in its mode: the approval setting it names, or an approval a person
 * asked to remember for this session.
 */
export type AdmissionReason = { readonly kind: 'setting'; readonly setting: string } | { readonly kind: 'allowed-for-session' };

export interface Admission {
  /** 'ask' means a human decides; 'auto' answers at once. */
  readonly mode: Exclude<ApprovalMode, 'deny'>;
  readonly reason: AdmissionReason;
  /** An "auto" that was not applied because it names another definition of a workspace server (shown on the card). */
  readonly notApplied?: EffectiveApproval['notApplied'];
}

export class SamplingPolicy {
  /** "Allow for this session", keyed by sessionApprovalKey (a workspace server's definition included), to the server name. */
  private readonly sessionAllowed = new Map<string, string>();
  private readonly pending = new Map<string, number>();
  private readonly rateLimiter: SlidingWindowRateLimiter;

  constructor(now: () => number = Date.now) {
    this.rateLimiter = new SlidingWindowRateLimiter(60_000, now);
  }

  /** The approval mode for a server: its own setting over the global one. */
  static approvalMode(settings: SamplingSettings, serverName: string): { mode: ApprovalMode; setting: string } {
    const own = settings.serverSampling[serverName]?.approval;
    return own !== undefined
      ? { mode: own, setting: `${SETTINGS.serverSampling.id}["${serverName}"].approval` }
      : { mode: settings.approval, setting: SETTINGS.approval.id };
  }

  /**
   * Whether a person reviews the answer: `serverSampling[server].reviewResponses` when set, else the
   * global `reviewResponses` for answers a person approved. Answers without a person (approval "auto",
   * allowed for the session, "always allow") are not reviewed unless the server's setting asks.
   */
  static reviewsAnswer(settings: SamplingSettings, serverName: string, approvedByPerson: boolean): boolean {
    const own = settings.serverSampling[serverName]?.reviewResponses;
    if (own !== undefined) return own;
    return approvedByPerson && settings.reviewResponses;
  }

  /**
   * Admits a request or throws a refusal (code -1). Admitted requests count against the rate limit.
   * `workspaceDefinition`: the definition of a server a workspace defines (approvals apply to it only when they name it).
   */
  admit(settings: SamplingSettings, serverName: string, workspaceDefinition?: RequestServer['workspaceDefinition']): Admission {
    if (settings.paused) throw refused(`Sampling is paused in this client (${SETTINGS.paused.id} is on)`);
    const server: RequestServer = { serverName, ...(workspaceDefinition ? { workspaceDefinition } : {}) };
    const { mode, setting, notApplied } = effectiveApproval(settings, server);
    if (mode === 'deny') throw refused(`Sampling requests from "${serverName}" are refused by the setting ${setting} = "deny"`);

    const ownLimit = settings.serverSampling[serverName]?.requestsPerMinute;
    const limit = ownLimit ?? settings.limits.requestsPerMinute;
    const limitSetting = ownLimit !== undefined ? `${SETTINGS.serverSampling.id}["${serverName}"].requestsPerMinute` : SETTINGS.requestsPerMinute.id;
    const slot = this.rateLimiter.tryAcquire(serverName, limit);
    if (!slot.ok) {
      throw refused(`Too many sampling requests from "${serverName}": the limit is ${limit} per minute (${limitSetting}); retry in ${Math.ceil(slot.retryAfterMs / 1000)} s`);
    }

    if (mode === 'auto') return { mode, reason: { kind: 'setting', setting } };
    if (this.sessionAllowed.has(sessionApprovalKey(server))) return { mode: 'auto', reason: { kind: 'allowed-for-session' } };
    return { mode, reason: { kind: 'setting', setting }, ...(notApplied ? { notApplied } : {}) };
  }

  /** Reserves a place among the requests that wait for a person (approval, review, typed reply); throws when the server has too many. */
  acquirePending(settings: SamplingSettings, serverName: string): () => void {
    const current = this.pending.get(serverName) ?? 0;
    const max = settings.limits.maxPendingPerServer;
    if (current >= max) {
      throw refused(`"${serverName}" already has ${current} sampling requests waiting for a person (approval, review or a typed reply), the most allowed by ${SETTINGS.maxPendingPerServer.id}`);
    }
    this.pending.set(serverName, current + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.pending.get(serverName) ?? 1) - 1;
      if (left <= 0) this.pending.delete(serverName);
      else this.pending.set(serverName, left);
    };
  }

  pendingCount(serverName: string): number {
    return this.pending.get(serverName) ?? 0;
  }

  /** "Allow for this session": for this server, and for a workspace server only this definition of it. */
  allowForSession(serverName: string, workspaceDefinition?: RequestServer['workspaceDefinition']): void {
    this.sessionAllowed.set(sessionApprovalKey({ serverName, ...(workspaceDefinition ? { workspaceDefinition } : {}) }), serverName);
  }

  isAllowedForSession(serverName: string, workspaceDefinition?: RequestServer['workspaceDefinition']): boolean {
    return this.sessionAllowed.has(sessionApprovalKey({ serverName, ...(workspaceDefinition ? { workspaceDefinition } : {}) }));
  }

  /** Forgets session approvals, for one server (every definition of it) or all (e.g. on a "revoke" command). */
  revokeSession(serverName?: string): void {
    for (const [key, name] of this.sessionAllowed) if (serverName === undefined || name === serverName) this.sessionAllowed.delete(key);
  }
}
