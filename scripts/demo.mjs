// `npm run demo`: installs the harness if needed (Node 24 + code-server, cached), packages the VSIX,
// and starts a real VS Code with the extension and the demo MCP server; prints the URL to open.
import { execFileSync } from 'node:child_process';

const step = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });
step('node', ['test/build-tests.mjs', 'e2e']);
step('node', ['out/test/harness/install.js']);
step('npm', ['run', '--silent', 'package']);
step('node', ['out/test/harness/demo.js']);
