// Entry of dist/vendor/mcp-sdk.js: the MCP SDK in a file of its own, so loading the extension does
// not compile it (extension.js requires it on the first connection or sampling request). One bundle
// keeps one copy of the SDK: McpError and the schemas are shared by every subpath. ESM re-exports
// let esbuild drop what no subpath uses.
export * as types from '@modelcontextprotocol/sdk/types.js';
export * as clientIndex from '@modelcontextprotocol/sdk/client/index.js';
export * as clientStdio from '@modelcontextprotocol/sdk/client/stdio.js';
export * as clientStreamableHttp from '@modelcontextprotocol/sdk/client/streamableHttp.js';
export * as clientSse from '@modelcontextprotocol/sdk/client/sse.js';
export * as experimentalTasks from '@modelcontextprotocol/sdk/experimental/tasks';
// The gateway (src/core/gateway): the server side, loaded on the gateway's first MCP request.
export * as serverIndex from '@modelcontextprotocol/sdk/server/index.js';
export * as serverWebStandardStreamableHttp from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
// The demo MCP server (src/demo/server.ts): serverIndex and this.
export * as serverStdio from '@modelcontextprotocol/sdk/server/stdio.js';
