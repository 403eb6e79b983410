/**
 * How a sampling request reached us, in words: the route (pushed by the server, or embedded in an
 * `input_required` round) and the MCP revision of the connection. The card and the history say it
 * the same way.
 */
export const ROUTE_NAMES = ['server-request', 'input-required', 'openai-endpoint'] as const;
export type RouteName = (typeof ROUTE_NAMES)[number];

export function routeLabel(route: RouteName, protocolVersion?: string): string {
  const how = route === 'input-required' ? 'input-required round' : route === 'openai-endpoint' ? 'OpenAI-compatible call' : 'server request';
  return protocolVersion ? `${how} · MCP ${protocolVersion}` : how;
}
