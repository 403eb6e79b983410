// Lint enforces the layering: core never imports vscode; webview never imports Node or vscode;
// shared is imported by both sides, so it may import neither.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';
import structure from './scripts/eslint/importCycles.mjs';
import l10n from './scripts/eslint/l10nStrings.mjs';

const nodeBuiltins = ['node:*', 'fs', 'path', 'child_process', 'os', 'crypto', 'http', 'https', 'net', 'stream', 'events', 'util', 'url', 'worker_threads'];

const noVscode = { name: 'vscode', message: 'src/core and src/shared must not import vscode: define an interface in core and adapt it in src/vscode.' };

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.cache/**', '.vscode-test/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { console: 'readonly', process: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', Buffer: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', performance: 'readonly', fetch: 'readonly', structuredClone: 'readonly', queueMicrotask: 'readonly', __dirname: 'readonly', require: 'readonly', module: 'writable', globalThis: 'readonly', setImmediate: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: true }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // The code relies on `void` for promises it does not await: type-aware rules make that explicit
    // and catch a promise handed to a callback that ignores it (an unhandled rejection).
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's test()/describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] }],
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    // No import cycle anywhere in src/ (value imports: import-x; through type-only imports, and
    // between the folders of src/core: the local rules in scripts/eslint/importCycles.mjs).
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX, structure },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'structure/no-type-cycle': 'error',
      'structure/no-folder-cycle': 'error',
    },
  },
  {
    // What the extension host shows the user goes through vscode.l10n.t (scripts/eslint/l10nStrings.mjs).
    files: ['src/vscode/**/*.ts', 'src/extension.ts'],
    plugins: { l10n },
    rules: { 'l10n/no-literal-ui-string': 'error' },
  },
  {
    files: ['src/core/**/*.ts', 'src/shared/**/*.ts', 'src/demo/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noVscode], patterns: [{ group: ['**/vscode/**', '**/extension'], message: 'core/shared must not depend on the VS Code glue.' }] }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noVscode], patterns: [{ group: nodeBuiltins, message: 'src/shared runs in the webview too: no Node modules.' }, { group: ['**/vscode/**', '**/core/**'], message: 'shared may not depend on core or the glue.' }] }],
    },
  },
  {
    files: ['src/webview/**/*.ts'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly', HTMLElement: 'readonly', acquireVsCodeApi: 'readonly', navigator: 'readonly', requestAnimationFrame: 'readonly', customElements: 'readonly', KeyboardEvent: 'readonly', Event: 'readonly', CustomEvent: 'readonly', MessageEvent: 'readonly' } },
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'The webview runs in a browser: talk to the host through src/shared/protocol.' }], patterns: [{ group: nodeBuiltins, message: 'The webview runs in a browser: no Node modules.' }, { group: ['**/core/**', '**/vscode/**'], message: 'The webview may import only src/shared and browser libraries.' }] }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', 'test/**/*.ts', 'test/demo-opener/*.js', 'bench/**'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
