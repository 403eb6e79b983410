/**
 * How a sampling request reached us, in words: the route (pushed by the server, or embedded in an
 * `input_required` round) and the MCP revision of the connection. The card and the history say it
 * the same way.
 */
export type RouteName = 'server-request' | 'input-required' | 'openai-endpoint';

export const ROUTE_NAMES: readonly RouteName[] = ['server-request', 'input-required', 'openai-endpoint'];

export function routeLabel(route: RouteName, protocolVersion?: string): string {
  const how = route === 'input-required' ? 'input-required round' : route === 'openai-endpoint' ? 'OpenAI-compatible call' : 'server request';
  return protocolVersion ? `${how} · MCP ${protocolVersion}` : how;
}
