/**
 * List changes on MCP 2026-07-28 (`subscriptions/listen`, SEP-2575) against the strict 2026-only
 * fixture over stdio and Streamable HTTP: the connection asks for what the server's capabilities
 * offer, a tool added while connected shows up in its list, a stream the server ends is opened
 * again, a server that does not know the method is asked once, and closing ends the stream.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ServerDefinition } from '../../src/core/config/serverDefinition';
import { ServerConnection } from '../../src/core/mcp/connection';
import { listFilter } from '../../src/core/mcp/listSubscription';
import type { Logger } from '../../src/core/logger';
import { repoRoot } from '../fixtures/fixtureServers';
import { ModernServer, serveHttp, type ModernRecord } from '../fixtures/modernServer';
import { waitFor } from '../support/waitFor';

const modernServerPath = () => path.join(repoRoot(), 'out', 'test', 'fixtures', 'modernServer.js');

class RecordingLogger implements Logger {
  readonly lines: string[] = [];
  trace(): void {}
  debug(message: string): void {
    this.lines.push(`debug ${message}`);
  }
  info(message: string): void {
    this.lines.push(`info ${message}`);
  }
  warn(message: string): void {
    this.lines.push(`warn ${message}`);
  }
  error(message: string): void {
    this.lines.push(`error ${message}`);
  }
}

interface Setup {
  readonly connection: ServerConnection;
  readonly logger: RecordingLogger;
  records(): ModernRecord[];
  /** Open listen streams as the server sees them (HTTP only: the stdio server is another process). */
  openStreams(): number | undefined;
  close(): Promise<void>;
}

const refuse = () => Promise.reject(new Error('no sampling in this test'));

function setupStdio(listen = true): Setup {
  const dir = mkdtempSync(path.join(tmpdir(), 'mcp-listen-'));
  const recordFile = path.join(dir, 'records.jsonl');
  const env: Record<string, string> = { MODERN_RECORD_FILE: recordFile, ...(listen ? {} : { MODERN_NO_LISTEN: '1' }) };
  const definition: ServerDefinition = { name: 'modern', source: 'test', disabled: false, type: 'stdio', command: process.execPath, args: [modernServerPath()], env };
  const logger = new RecordingLogger();
  const connection = new ServerConnection({ definition, logger, samplingHandler: refuse });
  return {
    connection,
    logger,
    records: () => {
      try {
        return readFileSync(recordFile, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as ModernRecord);
      } catch {
        return [];
      }
    },
    openStreams: () => undefined,
    close: async () => {
      await connection.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function setupHttp(listen = true): Promise<Setup> {
  const server = new ModernServer(undefined, { listen });
  const served = await serveHttp(server);
  const definition: ServerDefinition = { name: 'modern-http', source: 'test', disabled: false, type: 'http', url: served.url, headers: {} };
  const logger = new RecordingLogger();
  const connection = new ServerConnection({ definition, logger, samplingHandler: refuse });
  return {
    connection,
    logger,
    records: () => server.records,
    openStreams: () => server.openStreams,
    close: async () => {
      await connection.dispose();
      await served.close();
    },
  };
}

const listens = (s: Setup) => s.records().filter((r) => r.method === 'subscriptions/listen');
const toolNames = (s: Setup) => s.connection.tools.map((t) => t.name);

test('listFilter asks only for what the capabilities offer, and for nothing when they offer none', () => {
  assert.deepEqual(listFilter({ tools: { listChanged: true }, prompts: {}, resources: { listChanged: true, subscribe: true } }), { toolsListChanged: true, resourcesListChanged: true });
  assert.deepEqual(listFilter({ prompts: { listChanged: true } }), { promptsListChanged: true });
  assert.equal(listFilter({ tools: {}, prompts: {}, resources: {} }), undefined);
  assert.equal(listFilter(undefined), undefined);
});

for (const [kind, setup] of [
  ['stdio', setupStdio],
  ['http', setupHttp],
] as const) {
  test(`${kind}: a tool added while connected reaches the list through subscriptions/listen; a stream the server ends is opened again`, { timeout: 30_000 }, async () => {
    const s = await setup();
    try {
      assert.equal((await s.connection.connect()).status, 'connected');
      const first = await waitFor('the subscriptions/listen request', () => listens(s)[0]);
      assert.deepEqual(first.capabilities, { toolsListChanged: true }, 'asked for exactly what the server offers');
      assert.ok(!toolNames(s).includes('added_1'));
      const changed = new Promise<void>((resolve) => s.connection.onDidChangeLists(() => resolve()));
      await s.connection.callTool('add_tool', {});
      await waitFor('added_1 in the tool list', () => toolNames(s).includes('added_1'));
      await changed;
      // The server ends the stream gracefully: the connection listens again and still hears changes.
      await s.connection.callTool('end_streams', {});
      await waitFor('a second subscriptions/listen request', () => listens(s).length === 2, { timeoutMs: 15_000 });
      if (kind === 'http') await waitFor('the server to hold the new stream', () => s.openStreams() === 1);
      await s.connection.callTool('add_tool', {});
      await waitFor('added_2 in the tool list', () => toolNames(s).includes('added_2'));
      assert.equal(s.connection.state.status, 'connected');
      assert.ok(!s.logger.lines.some((l) => l.startsWith('warn') || l.startsWith('error')), s.logger.lines.join('\n'));
      await s.connection.close();
      if (kind === 'http') await waitFor('the server to see the stream end when the connection closed', () => s.openStreams() === 0);
    } finally {
      await s.close();
    }
  });

  if (kind === 'http') {
    test('http: a stream closed without its result (a proxy\'s read timeout, a restart) is opened again', { timeout: 30_000 }, async () => {
      const s = await setup();
      try {
        assert.equal((await s.connection.connect()).status, 'connected');
        await waitFor('the server to hold the listen stream', () => s.openStreams() === 1);
        const dropped = await s.connection.callTool('drop_streams', {});
        assert.match(JSON.stringify(dropped.content), /ended 1/);
        await waitFor('a second subscriptions/listen request', () => listens(s).length === 2, { timeoutMs: 15_000 });
        await waitFor('the server to hold the new stream', () => s.openStreams() === 1);
        await s.connection.callTool('add_tool', {});
        await waitFor('added_1 in the tool list', () => toolNames(s).includes('added_1'));
        assert.ok(s.logger.lines.some((l) => /closed the list-change stream without a result/.test(l)), s.logger.lines.join('\n'));
        assert.ok(!s.logger.lines.some((l) => l.startsWith('warn') || l.startsWith('error')), s.logger.lines.join('\n'));
      } finally {
        await s.close();
      }
    });
  }

  test(`${kind}: a server that does not know subscriptions/listen is asked once; the connection works on`, { timeout: 30_000 }, async () => {
    const s = await setup(false);
    try {
      assert.equal((await s.connection.connect()).status, 'connected');
      await waitFor('the info line', () => s.logger.lines.some((l) => /^info \[modern(-http)?\] does not offer subscriptions\/listen/.test(l)));
      const ended = await s.connection.callTool('end_streams', {});
      assert.match(JSON.stringify(ended.content), /ended 0/, 'no stream was held open');
      // Past the reopen delay (1 s): still one request, so the connection does not ask again.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.equal(listens(s).length, 1);
      assert.equal(s.connection.state.status, 'connected');
    } finally {
      await s.close();
    }
  });
}
