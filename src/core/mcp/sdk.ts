/** Loads the MCP SDK's client side on first use, so activation does not pay for it. */
export type ClientSdk = Awaited<ReturnType<typeof loadModules>>;

async function loadModules() {
  const [client, stdio, streamableHttp, sse, types] = await Promise.all([
    import('@modelcontextprotocol/sdk/client/index.js'),
    import('@modelcontextprotocol/sdk/client/stdio.js'),
    import('@modelcontextprotocol/sdk/client/streamableHttp.js'),
    import('@modelcontextprotocol/sdk/client/sse.js'),
    import('@modelcontextprotocol/sdk/types.js'),
  ]);
  return {
    Client: client.Client,
    StdioClientTransport: stdio.StdioClientTransport,
    getDefaultEnvironment: stdio.getDefaultEnvironment,
    StreamableHTTPClientTransport: streamableHttp.StreamableHTTPClientTransport,
    StreamableHTTPError: streamableHttp.StreamableHTTPError,
    SSEClientTransport: sse.SSEClientTransport,
    types,
  };
}

let loading: Promise<ClientSdk> | undefined;

export function loadClientSdk(): Promise<ClientSdk> {
  loading ??= loadModules().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/** The SDK Client type as loaded at run time (the ESM declarations `import()` resolves to). */
export type SdkClient = InstanceType<ClientSdk['Client']>;
