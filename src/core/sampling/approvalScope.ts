/**
 * Which definition an approval belongs to. Anything that answers without a person ("Always allow",
 * "Allow for this session", `approval: "auto"`) was given to one server definition. For a server a
 * workspace defines (`.vscode/mcp.json`), another repository can define a server of the same name, so
 * such an approval applies only when it names that definition: its mcp.json and the fingerprint of
 * what the user allowed to start (the workspace consent's key). A bare name, or the global
 * `approval: "auto"`, never answers a workspace server without asking. Servers of the user's own
 * settings and profile keep name-based approvals (a workspace cannot take their names).
 */
import type { NotAppliedReason, RequestWarning } from '../approval/warnings';
import { SETTINGS } from '../settings';
import type { ApprovedDefinition, SamplingSettings, ServerSamplingSetting } from './settings';
import type { ApprovalMode } from './types';

/** The server a request comes from: its name and, when a workspace defines it, which definition. */
export interface RequestServer {
  readonly serverName: string;
  readonly workspaceDefinition?: ApprovedDefinition;
}

export interface EffectiveApproval {
  readonly mode: ApprovalMode;
  /** The setting that decided. */
  readonly setting: string;
  /** Set when an "auto" was not applied because it does not name this workspace definition; shown on the card. */
  readonly notApplied?: Extract<RequestWarning, { kind: 'approval-not-applied' }>;
}

const serverSetting = (name: string) => `${SETTINGS.serverSampling.id}["${name}"].approval`;

/** Whether a serverSampling entry names this workspace definition. */
export function namesDefinition(entry: ServerSamplingSetting | undefined, definition: ApprovedDefinition): boolean {
  return entry?.definition?.source === definition.source && entry.definition.fingerprint === definition.fingerprint;
}

/** The approval mode for a request: the server's own setting over the global one, "auto" only for the definition it names. */
export function effectiveApproval(settings: SamplingSettings, server: RequestServer): EffectiveApproval {
  const { serverName, workspaceDefinition } = server;
  const own = settings.serverSampling[serverName];
  const setting = own?.approval !== undefined ? serverSetting(serverName) : SETTINGS.approval.id;
  const mode = own?.approval ?? settings.approval;
  if (mode !== 'auto' || workspaceDefinition === undefined) return { mode, setting };
  if (own?.approval === 'auto' && namesDefinition(own, workspaceDefinition)) return { mode, setting };
  const reason: NotAppliedReason = own?.approval === 'auto' ? (own.definition ? 'other-definition' : 'no-definition') : 'workspace-server';
  return { mode: 'ask', setting, notApplied: { kind: 'approval-not-applied', reason, setting, serverName, source: workspaceDefinition.source } };
}

/** What "Allow for this session" is remembered under: the name, and the definition for a workspace server. */
export function sessionApprovalKey(server: RequestServer): string {
  const d = server.workspaceDefinition;
  return d ? `${server.serverName}\u0000${d.source}\u0000${d.fingerprint}` : server.serverName;
}

/** The serverSampling entry "Always allow" writes: approval "auto", naming the definition for a workspace server. */
export function alwaysAllowEntry(current: Readonly<Record<string, unknown>> | undefined, server: RequestServer): Record<string, unknown> {
  const { definition: _previous, ...rest } = current ?? {};
  const d = server.workspaceDefinition;
  return { ...rest, approval: 'auto', ...(d ? { definition: { source: d.source, fingerprint: d.fingerprint } } : {}) };
}
