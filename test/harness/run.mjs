// `npm run test:vscode`: everything that needs a real VS Code. Builds the tests, installs the harness
// (Node 24 + code-server, cached), packages the VSIX, then runs the browser tests, which also collect
// the integration suite's results from inside the extension host.
import { execFileSync } from 'node:child_process';

const step = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });

step('node', ['test/build-tests.mjs']);
step('node', ['out/test/harness/install.js']);
step('npm', ['run', '--silent', 'package']);
step('node', ['test/node-test.mjs', 'out/test/e2e', '--test-reporter=spec', '--test-concurrency=1']);
