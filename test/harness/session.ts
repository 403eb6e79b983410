/**
 * One real VS Code session for tests: code-server (a real VS Code) on a free loopback port with the
 * extension installed from its own VSIX and the test helper extension beside it, driven by Debian's
 * Chromium through playwright-core. `stop()` always ends the browser and the whole code-server
 * process group.
 */
import { waitFor as waitUntil } from '../support/waitFor';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';

import { harnessPaths, repoRoot } from './paths';

export interface SessionOptions {
  /** User settings written before start. */
  readonly settings?: Record<string, unknown>;
  /** Files to create in the workspace folder, by relative path. */
  readonly workspaceFiles?: Record<string, string>;
  /** Run the mocha integration suite in the extension host. */
  readonly runSuite?: boolean;
  /** VS Code colour theme, e.g. "Default Dark Modern" or "Default Light Modern". */
  readonly theme?: string;
  /**
   * Built-in extensions left out of the session, by id (e.g. "vscode.merge-conflict"): code-server
   * gets them in VS Code's VSCODE_SKIP_BUILTIN_EXTENSIONS, so they are not scanned and never activate.
   * (code-server refuses VS Code's --disable-extension option.)
   */
  readonly skipBuiltinExtensions?: readonly string[];
  /**
   * The test helper's activation events for this session instead of those in its package.json
   * (["onStartupFinished"]); e.g. ["*"] activates it before the onStartupFinished extensions
   * instead of with them. The helper is installed from a copy with its manifest changed.
   */
  readonly helperActivationEvents?: readonly string[];
  /** The code-server release to run (default: the current one; OLDEST_CODE_SERVER_VERSION for the smoke suite). */
  readonly codeServerVersion?: string;
}

export interface Session {
  readonly page: Page;
  readonly root: string;
  readonly workspace: string;
  readonly testDir: string;
  /** Runs a command in the extension host through the helper's bridge and returns its result. */
  command<T = unknown>(command: string, ...args: unknown[]): Promise<T>;
  /** Waits for the integration suite's results file. */
  suiteResults(timeoutMs: number): Promise<{ results: { title: string; state: string; error?: string }[]; crash?: string }>;
  /** Finds an element in any frame (webviews are nested iframes) and returns its frame. */
  findInFrames(selector: string, timeoutMs: number): Promise<Frame>;
  /** Runs a command through the workbench's command palette, as a user would. */
  runFromPalette(title: string): Promise<void>;
  screenshot(file: string): Promise<void>;
  stop(): Promise<void>;
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  return waitUntil(what, probe, { timeoutMs, intervalMs: 200 });
}

export function vsixPath(): string {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };
  return path.join(repoRoot, `${pkg.name}-${pkg.version}.vsix`);
}

export interface Profile {
  readonly root: string;
  readonly userData: string;
  readonly extensions: string;
  readonly workspace: string;
  readonly testDir: string;
  readonly codeServerVersion: string;
}

/** The built test helper extension's folder, or a copy in `root` with `activationEvents` in its manifest. */
function helperFolder(root: string, activationEvents: readonly string[] | undefined): string {
  const built = path.join(repoRoot, 'out/test/helper-extension');
  if (!activationEvents) return built;
  const copy = path.join(root, 'helper-extension');
  cpSync(built, copy, { recursive: true });
  const manifest = path.join(copy, 'package.json');
  writeFileSync(manifest, JSON.stringify({ ...(JSON.parse(readFileSync(manifest, 'utf8')) as object), activationEvents }, null, 2));
  return copy;
}

/** A fresh user-data dir, extensions dir (the VSIX, the helper and any `extensionFolders` installed) and workspace folder. */
export function prepareProfile(options: SessionOptions & { withHelper?: boolean; extensionFolders?: readonly string[] } = {}): Profile {
  const paths = harnessPaths(options.codeServerVersion);
  if (!existsSync(paths.codeServerEntry)) throw new Error('code-server is not installed: run `node out/test/harness/install.js` (npm run test:vscode does)');
  const vsix = vsixPath();
  if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run \`npm run package\``);

  const root = mkdtempSync(path.join(os.tmpdir(), 'mcp-sampling-vscode-'));
  const userData = path.join(root, 'user-data');
  const extensions = path.join(root, 'extensions');
  const workspace = path.join(root, 'workspace');
  const testDir = path.join(root, 'test');
  for (const dir of [path.join(userData, 'User'), extensions, workspace, testDir]) mkdirSync(dir, { recursive: true });

  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    'chat.disableAIFeatures': true,
    ...(options.theme ? { 'workbench.colorTheme': options.theme } : {}),
    ...options.settings,
  };
  // code-server is a remote setup: machine-scoped settings (mcpSampling.servers) are read from the
  // Machine settings, as in any remote window, so the same settings go to both files.
  mkdirSync(path.join(userData, 'Machine'), { recursive: true });
  for (const file of ['User', 'Machine']) writeFileSync(path.join(userData, file, 'settings.json'), JSON.stringify(settings, null, 2));
  for (const [rel, text] of Object.entries(options.workspaceFiles ?? {})) {
    mkdirSync(path.dirname(path.join(workspace, rel)), { recursive: true });
    writeFileSync(path.join(workspace, rel), text);
  }

  const install = ['--install-extension', vsix];
  const folders = [...(options.withHelper !== false ? [helperFolder(root, options.helperActivationEvents)] : []), ...(options.extensionFolders ?? [])];
  for (const [i, folder] of folders.entries()) {
    // Installed from a VSIX too: a folder copied in beside an installed VSIX is marked removed.
    const packaged = path.join(root, `extra-extension-${i}.vsix`);
    execFileSync(path.join(repoRoot, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', packaged], { cwd: folder, stdio: 'pipe' });
    install.push('--install-extension', packaged);
  }
  execFileSync(paths.nodeBin, [paths.codeServerEntry, '--extensions-dir', extensions, '--user-data-dir', userData, ...install], { stdio: 'pipe' });
  return { root, userData, extensions, workspace, testDir, codeServerVersion: paths.codeServerVersion };
}

export interface RunningCodeServer {
  readonly port: number;
  readonly url: string;
  exited(): boolean;
  stop(): Promise<void>;
}

/** Starts code-server for a profile on a free loopback port and waits until it answers. */
export async function startCodeServer(profile: Profile, env: Record<string, string> = {}, port?: number): Promise<RunningCodeServer> {
  const paths = harnessPaths(profile.codeServerVersion);
  const listenPort = port ?? (await freePort());
  const log = createWriteStream(path.join(profile.testDir, 'code-server.log'));
  const child: ChildProcess = spawn(
    paths.nodeBin,
    [paths.codeServerEntry, '--auth', 'none', '--bind-addr', `127.0.0.1:${listenPort}`, '--user-data-dir', profile.userData, '--extensions-dir', profile.extensions, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', profile.workspace],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  let exited = false;
  child.once('exit', () => (exited = true));
  const stop = async () => {
    if (!exited && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {}
      const deadline = Date.now() + 5000;
      while (!exited && Date.now() < deadline) await sleep(100);
      if (!exited) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {}
      }
    }
    log.end();
  };
  try {
    await waitFor('code-server to listen', 30_000, async () => {
      if (exited) throw new Error(`code-server exited; see ${path.join(profile.testDir, 'code-server.log')}`);
      try {
        const res = await fetch(`http://127.0.0.1:${listenPort}/healthz`);
        return res.ok ? true : undefined;
      } catch {
        return undefined;
      }
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { port: listenPort, url: `http://127.0.0.1:${listenPort}/?folder=${encodeURIComponent(profile.workspace)}`, exited: () => exited, stop };
}

/** Debian's Chromium, headless, as every browser test here drives it. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

/** A page showing the workbench at `url`, once it is on screen. */
export async function openWorkbench(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(url);
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  return page;
}

export async function startSession(options: SessionOptions = {}): Promise<Session> {
  const profile = prepareProfile(options);
  const { root, workspace, testDir } = profile;
  const resultsFile = path.join(testDir, 'integration-results.json');
  const server = await startCodeServer(profile, {
    MCP_SAMPLING_TEST_DIR: testDir,
    ...(options.skipBuiltinExtensions?.length ? { VSCODE_SKIP_BUILTIN_EXTENSIONS: options.skipBuiltinExtensions.join(',') } : {}),
    ...(options.runSuite ? { MCP_SAMPLING_TEST_SUITE: path.join(repoRoot, 'out/test/integration/index.js'), MCP_SAMPLING_TEST_RESULTS: resultsFile } : {}),
  });

  let browser: Browser | undefined;
  const stop = async () => {
    await browser?.close().catch(() => undefined);
    await server.stop();
  };

  try {
    browser = await launchBrowser();
    const page = await openWorkbench(browser, server.url);

    const bridgePort = await waitFor('the test helper bridge', 60_000, () => {
      const file = path.join(testDir, 'bridge.json');
      return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { port: number }).port : undefined;
    });

    const session: Session = {
      page,
      root,
      workspace,
      testDir,
      async command<T>(command: string, ...args: unknown[]): Promise<T> {
        const res = await fetch(`http://127.0.0.1:${bridgePort}/command`, { method: 'POST', body: JSON.stringify({ command, args }) });
        const reply = (await res.json()) as { result?: T; error?: string };
        if (reply.error !== undefined) throw new Error(`${command} failed in the extension host: ${reply.error}`);
        return reply.result as T;
      },
      suiteResults: (timeoutMs) =>
        waitFor('the integration suite results', timeoutMs, () =>
          existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : undefined,
        ),
      findInFrames: (selector, timeoutMs) =>
        waitFor(`${selector} in a webview`, timeoutMs, async () => {
          for (const frame of page.frames()) {
            if ((await frame.$(selector).catch(() => null)) !== null) return frame;
          }
          return undefined;
        }),
      async runFromPalette(title) {
        await page.keyboard.press('F1');
        const input = page.locator('.quick-input-widget input');
        await input.waitFor({ state: 'visible', timeout: 10_000 });
        await input.fill(`>${title}`);
        await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10_000 });
        await page.keyboard.press('Enter');
      },
      async screenshot(file) {
        mkdirSync(path.dirname(file), { recursive: true });
        await page.screenshot({ path: file });
      },
      stop,
    };
    return session;
  } catch (err) {
    await stop();
    throw err;
  }
}
