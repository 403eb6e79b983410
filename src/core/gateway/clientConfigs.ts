/**
 * Ready-to-paste configurations that point other MCP clients at the gateway, each in the shape its
 * client documents. They hold the token: the UI says so and never logs them.
 */
export interface ClientConfig {
  readonly id: string;
  readonly label: string;
  /** Where it goes, for the user. */
  readonly where: string;
  readonly text: string;
}

export const GATEWAY_SERVER_NAME = 'mcp-sampling';

export function clientConfigs(url: string, token: string): ClientConfig[] {
  const authorization = `Bearer ${token}`;
  const headers = { Authorization: authorization };
  const json = (value: unknown) => JSON.stringify(value, null, 2);
  return [
    {
      id: 'claude-code',
      label: 'Claude Code',
      where: 'Run in a terminal',
      text: `claude mcp add --transport http ${GATEWAY_SERVER_NAME} ${url} --header "Authorization: ${authorization}"`,
    },
    {
      id: 'cursor',
      label: 'Cursor',
      where: '~/.cursor/mcp.json (or .cursor/mcp.json in a project)',
      text: json({ mcpServers: { [GATEWAY_SERVER_NAME]: { url, headers } } }),
    },
    {
      id: 'cline',
      label: 'Cline',
      where: "Cline's MCP Servers › Configure › cline_mcp_settings.json",
      text: json({ mcpServers: { [GATEWAY_SERVER_NAME]: { type: 'streamableHttp', url, headers, disabled: false } } }),
    },
    {
      id: 'continue',
      label: 'Continue',
      where: '.continue/mcpServers/mcp-sampling.yaml',
      text: [
        'name: MCP Sampling Gateway',
        'version: 0.0.1',
        'schema: v1',
        'mcpServers:',
        `  - name: ${GATEWAY_SERVER_NAME}`,
        '    type: streamable-http',
        `    url: ${url}`,
        '    requestOptions:',
        '      headers:',
        `        Authorization: "${authorization}"`,
        '',
      ].join('\n'),
    },
    {
      id: 'gemini-cli',
      label: 'Gemini CLI',
      where: '~/.gemini/settings.json',
      text: json({ mcpServers: { [GATEWAY_SERVER_NAME]: { httpUrl: url, headers } } }),
    },
    {
      id: 'mcp-json',
      label: 'mcp.json (VS Code and compatible clients)',
      where: 'An mcp.json "servers" entry',
      text: json({ servers: { [GATEWAY_SERVER_NAME]: { type: 'http', url, headers } } }),
    },
  ];
}
