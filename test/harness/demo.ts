/**
 * `npm run demo`: a real VS Code (code-server) with the extension installed from its VSIX and the
 * bundled demo MCP server configured, on http://127.0.0.1:PORT. Ctrl+C stops it.
 * The approval mode stays `ask`, so every request shows in the panel; with no language model in a
 * fresh editor, the manual provider lets you type the answer.
 */
import { prepareDemoProfile } from './demoProfile';
import { startCodeServer } from './session';

async function main(): Promise<void> {
  const port = process.env.PORT ? Number(process.env.PORT) : 8080;
  const server = await startCodeServer(prepareDemoProfile(), {}, port);
  console.log(`\nMCP Sampling Client demo is running. Open this URL in a browser:\n\n  ${server.url}\n\nPress Ctrl+C to stop.`);
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
