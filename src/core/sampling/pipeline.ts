/**
 * The sampling pipeline: what happens to each `sampling/createMessage` request, from the server's raw
 * params to the result. validate -> policy -> choose provider/model -> open the request's approval
 * session -> (ask) a person approves -> generate (streaming into the session) -> (when it applies) a
 * person reviews -> result, recorded in the history. `auto` needs no person: review applies to answers
 * a person approved, or where `serverSampling[server].reviewResponses` is true. Each request is one
 * `SamplingRun` (samplingRun.ts); what they share (policy, providers, history) is set here once.
 */
import type { HistorySink } from '../history/history';
import type { Logger } from '../logger';
import { silentLogger } from '../logger';
import { SamplingPolicy } from './policy';
import { SamplingRun, type ProviderSource } from './samplingRun';
import type { RequestServer } from './approvalScope';
import type { ApprovedDefinition, SamplingConfigSource } from './settings';
import type { ApprovalPrompter, SamplingContext, SamplingResult, SamplingResultWithTools } from './types';

export type { ProviderSource } from './samplingRun';

export interface SamplingPipelineDeps {
  readonly config: SamplingConfigSource;
  readonly providers: ProviderSource;
  readonly prompter: ApprovalPrompter;
  readonly history?: HistorySink;
  readonly logger?: Logger;
  /** Whether we declared `sampling.tools` to this server (default: yes). */
  readonly clientSupportsTools?: (serverName: string) => boolean;
  /** "Always allow": write `serverSampling[server].approval = "auto"` to the settings (naming the definition of a workspace server). */
  readonly persistAlwaysAllow?: (server: RequestServer) => Promise<void>;
  /** The definition of a server a workspace defines, which approvals must name (undefined for the user's own servers). */
  readonly workspaceDefinition?: (serverName: string) => ApprovedDefinition | undefined;
  /** Shared so "allow for this session", rate and pending limits span all connections (default: a new one). */
  readonly policy?: SamplingPolicy;
  /** Known secrets (API keys) scrubbed from error messages sent to servers. */
  readonly secrets?: () => readonly string[];
  /** How often progress is reported while a human decides (default 5 s). */
  readonly progressIntervalMs?: number;
  /** Regenerations allowed per request before giving up (default 10). */
  readonly maxRegenerations?: number;
  readonly now?: () => number;
}

export type SamplingPipeline = (rawParams: unknown, ctx: SamplingContext) => Promise<SamplingResult | SamplingResultWithTools>;

const noSecrets = (): readonly string[] => [];
const noDefinition = (): undefined => undefined;

export function createSamplingPipeline(deps: SamplingPipelineDeps): SamplingPipeline {
  const env = {
    config: deps.config,
    providers: deps.providers,
    prompter: deps.prompter,
    history: deps.history,
    logger: deps.logger ?? silentLogger,
    policy: deps.policy ?? new SamplingPolicy(),
    clientSupportsTools: deps.clientSupportsTools ?? (() => true),
    persistAlwaysAllow: deps.persistAlwaysAllow,
    workspaceDefinition: deps.workspaceDefinition ?? noDefinition,
    secrets: deps.secrets ?? noSecrets,
    progressIntervalMs: deps.progressIntervalMs ?? 5000,
    maxRegenerations: deps.maxRegenerations ?? 10,
    now: deps.now ?? Date.now,
  };
  // async: a failure to read the settings rejects, as every other failure does.
  return async (rawParams, ctx) => new SamplingRun(env, ctx).run(rawParams);
}
