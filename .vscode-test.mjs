// `npm run test:desktop`: the same integration suite (out/test/integration) on desktop VS Code,
// downloaded by @vscode/test-cli (needs internet, so it is not part of `npm test` here).
// The extension under test and the test helper extension are both loaded as development extensions.
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  files: 'out/test/integration/**/*.test.js',
  version: 'stable',
  extensionDevelopmentPath: ['.', 'out/test/helper-extension'],
  mocha: { ui: 'bdd', timeout: 60_000 },
});
