/** Loads the MCP SDK's server side on the gateway's first MCP request, so activation does not pay for it. */
async function loadModules() {
  const [server, transport, types] = await Promise.all([
    import('@modelcontextprotocol/sdk/server/index.js'),
    import('@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'),
    import('@modelcontextprotocol/sdk/types.js'),
  ]);
  return {
    Server: server.Server,
    WebStandardStreamableHTTPServerTransport: transport.WebStandardStreamableHTTPServerTransport,
    types,
  };
}

export type ServerSdk = Awaited<ReturnType<typeof loadModules>>;
export type SdkServer = InstanceType<ServerSdk['Server']>;
export type SdkServerTransport = InstanceType<ServerSdk['WebStandardStreamableHTTPServerTransport']>;

let loading: Promise<ServerSdk> | undefined;

export function loadServerSdk(): Promise<ServerSdk> {
  loading ??= loadModules().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
