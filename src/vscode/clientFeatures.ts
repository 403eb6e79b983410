/**
 * What this client offers MCP servers, built once by the composition root and handed both to the
 * connections (which declare it in their capabilities) and to the pipeline (which checks requests
 * against it): sampling (and whether with tools), elicitation, task-augmented sampling, OAuth.
 * Roots come from the workspace (servers/rootsSource).
 */
import type { ElicitationHandler, SamplingHandler } from '../core/mcp/types';
import type { OAuthConnectionOptions } from '../core/mcp/oauth';
import type { TaskSamplingOptions } from '../core/rounds/taskSampling';

export interface ClientFeatures {
  readonly sampling: {
    /** Server-initiated `sampling/createMessage` (2025-11-25). */
    readonly handler: SamplingHandler;
    /** Sampling carried in `input_required` tool results (2026-07-28 rounds). */
    readonly inputRequiredHandler?: SamplingHandler;
    /** Declared `sampling.tools`: the pipeline accepts tool-use requests only when this is true. */
    readonly tools: boolean;
  };
  /** `elicitation/create`; the capability is declared only with it. */
  readonly elicitation?: { readonly handler: ElicitationHandler; readonly modes: { readonly form?: boolean; readonly url?: boolean } };
  /** Task-augmented sampling; declared only when given. */
  readonly tasks?: TaskSamplingOptions;
  /** OAuth sign-in for HTTP servers; without it a 401 is an error. */
  readonly oauth?: OAuthConnectionOptions;
}
