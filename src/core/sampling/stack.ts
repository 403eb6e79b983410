/**
 * One sampling stack for every host: the pipeline and the two handlers a connection takes (requests
 * the server sends, and sampling carried in `input_required` rounds). The extension
 * (vscode/samplingRuntime) and the headless client (cli/main) differ only in what they pass in.
 */
import { createSamplingHandler } from './handlerAdapter';
import { createSamplingPipeline, type SamplingPipeline, type SamplingPipelineDeps } from './pipeline';

export interface SamplingStackOptions extends SamplingPipelineDeps {
  /** Where each server is defined (settings, an mcp.json path), for the card and "Always allow". */
  readonly serverSource: (serverName: string) => string;
}

export interface SamplingStack {
  /** Server-initiated `sampling/createMessage` (MCP 2025-11-25). */
  readonly handler: ReturnType<typeof createSamplingHandler>;
  /** Sampling carried in an `input_required` result (MCP 2026-07-28 rounds). */
  readonly inputRequiredHandler: ReturnType<typeof createSamplingHandler>;
  /** The pipeline itself, for routes that build their own context (the OpenAI-compatible endpoint). */
  readonly pipeline: SamplingPipeline;
}

export function createSamplingStack(options: SamplingStackOptions): SamplingStack {
  const { serverSource, ...deps } = options;
  const pipeline = createSamplingPipeline(deps);
  return {
    pipeline,
    handler: createSamplingHandler(pipeline, { serverSource }),
    inputRequiredHandler: createSamplingHandler(pipeline, { serverSource, route: 'input-required' }),
  };
}
