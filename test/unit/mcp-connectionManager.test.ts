import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Logger } from '../../src/core/logger';
import { ConnectionManager, defaultConnectionFactory, type StatusChangeEvent, type Timers } from '../../src/core/mcp/connectionManager';
import type { SamplingHandler } from '../../src/core/mcp/types';
import { parseServerDefinition, type ServerDefinition } from '../../src/core/config/serverDefinition';
import { resolveDefinitionVariables } from '../../src/core/config/variables';
import { fixtureDefinition, pidAlive, samplingServerPath, waitFor } from '../fixtures/fixtureServers';

const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));
after(() => assert.deepEqual(unhandled, [], 'no unhandled rejections during the manager tests'));

function recordingLogger(lines: string[] = []): Logger {
  const put = (level: string) => (message: string | Error) => lines.push(`${level} ${String(message)}`);
  return { trace: put('trace'), debug: put('debug'), info: put('info'), warn: put('warn'), error: put('error') };
}

const answer: SamplingHandler = async (params) => {
  const text = (params as { messages: { content: { text?: string } }[] }).messages[0]?.content.text ?? '';
  return { role: 'assistant', content: { type: 'text', text: `answer to: ${text}` }, model: 'm', stopReason: 'endTurn' };
};

function textOf(result: { content: unknown }): string {
  return (result.content as { text?: string }[]).map((c) => c.text ?? '').join('');
}

test('update connects new servers, reconnects only the changed one, disconnects removed ones', { timeout: 60_000 }, async () => {
  const manager = new ConnectionManager({ logger: recordingLogger(), samplingHandler: answer, killGraceMs: 500 });
  try {
    await manager.update([fixtureDefinition('a'), fixtureDefinition('b'), fixtureDefinition('c'), fixtureDefinition('off', { env: {} })].map((d) => (d.name === 'off' ? { ...d, disabled: true } : d)));
    assert.deepEqual(manager.list().map((s) => [s.name, s.status]), [
      ['a', 'connected'],
      ['b', 'connected'],
      ['c', 'connected'],
      ['off', 'idle'],
    ]);
    const before = { a: manager.getConnection('a')!, b: manager.getConnection('b')!, c: manager.getConnection('c')! };
    const pids = { a: before.a.processId!, b: before.b.processId!, c: before.c.processId! };
    const events: StatusChangeEvent[] = [];
    manager.onDidChangeStatus((e) => events.push(e));

    // a unchanged (same fields, from another source), b changed (env), c removed.
    await manager.update([{ ...fixtureDefinition('a'), source: 'elsewhere' }, fixtureDefinition('b', { env: { FIXTURE_ECHO_ENV: 'v2' } })]);

    assert.equal(manager.getConnection('a'), before.a, 'the unchanged server keeps its connection');
    assert.equal(manager.getConnection('a')!.processId, pids.a);
    assert.equal(manager.status('a')!.definition.source, 'elsewhere');
    assert.notEqual(manager.getConnection('b'), before.b);
    assert.equal(manager.status('b')!.status, 'connected');
    assert.equal(textOf(await manager.callTool('b', 'env', {})), 'v2');
    assert.equal(manager.status('c'), undefined);
    assert.equal(manager.status('off'), undefined);
    assert.ok(events.every((e) => e.name === 'b'), `only b changed status: ${events.map((e) => e.name).join(',')}`);
    await waitFor(() => !pidAlive(pids.b) && !pidAlive(pids.c), 5000, 'the old b and removed c processes to exit');
    assert.ok(pidAlive(pids.a));
  } finally {
    await manager.dispose();
  }
});

test('callTool through the manager: the sampling answer reaches the tool result; tools are cached', { timeout: 60_000 }, async () => {
  const manager = new ConnectionManager({ logger: recordingLogger(), samplingHandler: answer });
  try {
    await manager.update([fixtureDefinition('s')]);
    assert.ok(manager.listTools('s').some((t) => t.name === 'sample'));
    const result = await manager.callTool('s', 'sample', { prompt: 'ping' });
    assert.deepEqual(JSON.parse(textOf(result)).content, { type: 'text', text: 'answer to: ping' });
    await assert.rejects(manager.callTool('nobody', 'echo', {}), /not connected \(no server by that name\)/);
  } finally {
    await manager.dispose();
  }
});

test('a crashed server is reconnected automatically; disconnect stops that', { timeout: 60_000 }, async () => {
  const manager = new ConnectionManager({ logger: recordingLogger(), samplingHandler: answer, reconnect: { initialDelayMs: 20 } });
  try {
    await manager.update([fixtureDefinition('crashy')]);
    const firstPid = manager.getConnection('crashy')!.processId!;
    const sawReconnect = new Promise<StatusChangeEvent>((resolve) => manager.onDidChangeStatus((e) => e.status.reconnect && resolve(e)));
    await assert.rejects(manager.callTool('crashy', 'crash', {}));
    const scheduled = await sawReconnect;
    assert.equal(scheduled.status.status, 'error');
    assert.equal(scheduled.status.reconnect!.attempt, 1);
    const pid = await waitFor(() => manager.status('crashy')!.status === 'connected' && manager.getConnection('crashy')!.processId, 10_000, 'the reconnect');
    assert.notEqual(pid, firstPid);
    assert.equal(textOf(await manager.callTool('crashy', 'echo', { text: 'back' })), 'back');

    await manager.disconnect('crashy');
    assert.equal(manager.status('crashy')!.status, 'disconnected');
    await waitFor(() => !pidAlive(pid), 5000, 'the disconnected server to exit');
    const restarted = await manager.connect('crashy');
    assert.equal(restarted.status, 'connected');
    const beforeRestart = manager.getConnection('crashy')!.processId!;
    assert.equal((await manager.restart('crashy')).status, 'connected');
    assert.notEqual(manager.getConnection('crashy')!.processId, beforeRestart);
  } finally {
    await manager.dispose();
  }
});

test('reconnect backoff doubles per failed attempt and gives up after maxAttempts', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mcp-backoff-'));
  const marker = path.join(dir, 'started');
  // Starts the fixture the first time only; every later start fails at once.
  const script = `if [ -e '${marker}' ]; then echo 'refusing to start again' >&2; exit 3; fi; touch '${marker}'; "${process.execPath}" '${samplingServerPath()}' --name once; exit $?`;
  const parsed = parseServerDefinition('once', { command: '/bin/sh', args: ['-c', script] }, 'test');
  assert.ok(parsed.ok);
  const delays: number[] = [];
  const timers: Timers = {
    setTimeout: (callback, ms) => {
      delays.push(ms);
      return setTimeout(callback, 1);
    },
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    now: () => Date.now(),
  };
  const logLines: string[] = [];
  const manager = new ConnectionManager({ logger: recordingLogger(logLines), samplingHandler: answer, timers, reconnect: { initialDelayMs: 100, maxDelayMs: 250, maxAttempts: 4 } });
  try {
    await manager.update([parsed.definition]);
    assert.equal(manager.status('once')!.status, 'connected');
    await assert.rejects(manager.callTool('once', 'crash', {}));
    await waitFor(() => logLines.some((l) => l.includes('gave up reconnecting after 4 attempts')), 15_000, 'the manager to give up');
    assert.deepEqual(delays, [100, 200, 250, 250]);
    const status = manager.status('once')!;
    assert.equal(status.status, 'error');
    assert.equal(status.reconnect, undefined);
    assert.ok(status.stderrTail.some((l) => l.includes('refusing to start again')));
  } finally {
    await manager.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('variables are resolved at connect time and input values are redacted from logs', { timeout: 60_000 }, async () => {
  const logLines: string[] = [];
  let prompts = 0;
  const manager = new ConnectionManager({
    logger: recordingLogger(logLines),
    samplingHandler: answer,
    resolveVariables: (definition, signal) =>
      resolveDefinitionVariables(
        definition,
        {
          workspaceFolder: () => undefined,
          userHome: () => '/home/test',
          env: () => undefined,
          input: async () => {
            prompts++;
            return 'hunter2-secret';
          },
        },
        signal,
      ),
  });
  try {
    const definition: ServerDefinition = fixtureDefinition('secretive', { env: { FIXTURE_ECHO_ENV: '${input:token}' } });
    await manager.update([definition]);
    assert.equal(manager.status('secretive')!.status, 'connected', manager.status('secretive')!.error);
    assert.equal(prompts, 1);
    assert.equal(textOf(await manager.callTool('secretive', 'env', {})), 'hunter2-secret');
    await manager.callTool('secretive', 'log', { message: 'the token is hunter2-secret' });
    await waitFor(() => logLines.some((l) => l.includes('the token is')), 5000, 'the log line');
    assert.ok(logLines.some((l) => l.includes('the token is [redacted]')));
    assert.ok(!logLines.some((l) => l.includes('hunter2-secret')), 'the secret never reaches the logger');
  } finally {
    await manager.dispose();
  }
});

test('a variable that cannot be resolved ends in error without starting anything', { timeout: 60_000 }, async () => {
  const manager = new ConnectionManager({
    logger: recordingLogger(),
    samplingHandler: answer,
    resolveVariables: (definition) =>
      resolveDefinitionVariables(definition, { workspaceFolder: () => undefined, userHome: () => '/h', env: () => undefined, input: async () => undefined }),
  });
  try {
    await manager.update([fixtureDefinition('needs-folder', { env: { X: '${workspaceFolder}' } })]);
    const status = manager.status('needs-folder')!;
    assert.equal(status.status, 'error');
    assert.match(status.error ?? '', /no workspace folder is open/);
    assert.equal(manager.getConnection('needs-folder'), undefined);
  } finally {
    await manager.dispose();
  }
});

test('dispose closes every server and leaves no process', { timeout: 60_000 }, async () => {
  const manager = new ConnectionManager({ logger: recordingLogger(), samplingHandler: answer, killGraceMs: 500 });
  await manager.update([fixtureDefinition('x'), fixtureDefinition('y', { viaShell: true, spawnGrandchild: true })]);
  const grandchild = (JSON.parse(textOf(await manager.callTool('y', 'pids', {}))) as { grandchild: number }).grandchild;
  const pids = [manager.getConnection('x')!.processId!, manager.getConnection('y')!.processId!, grandchild];
  assert.ok(pids.every(pidAlive));
  await manager.dispose();
  for (const pid of pids) await waitFor(() => !pidAlive(pid), 5000, `pid ${pid} to exit`);
  assert.deepEqual(manager.list(), []);
});

test('the manager makes connections through its factory, and the status carries the negotiated revision', { timeout: 60_000 }, async () => {
  const made: { name: string; secrets: number }[] = [];
  const modernPath = path.join(path.dirname(samplingServerPath()), 'modernServer.js');
  const modern = parseServerDefinition('modern', { command: process.execPath, args: [modernPath] }, 'test');
  const legacy = parseServerDefinition('legacy', { command: process.execPath, args: [samplingServerPath()] }, 'test');
  assert.ok(modern.ok && legacy.ok);
  const base = { logger: recordingLogger([]), samplingHandler: answer };
  const manager = new ConnectionManager({
    ...base,
    createConnection: (definition, secrets) => {
      made.push({ name: definition.name, secrets: secrets.size });
      return defaultConnectionFactory(base)(definition, secrets);
    },
  });
  try {
    await manager.update([modern.definition, legacy.definition]);
    assert.deepEqual(made.map((m) => m.name).sort(), ['legacy', 'modern']);
    assert.equal(manager.status('modern')?.status, 'connected', manager.status('modern')?.error);
    assert.equal(manager.status('modern')?.protocolVersion, '2026-07-28');
    assert.equal(manager.status('legacy')?.protocolVersion, '2025-11-25');
  } finally {
    await manager.dispose();
  }
});

test('two definition changes while the old connection closes: the newest definition is the one that runs', { timeout: 60_000 }, async () => {
  const base = { logger: recordingLogger([]), samplingHandler: answer };
  const made: string[] = [];
  let openGate!: () => void;
  let gate: Promise<void> = Promise.resolve();
  const manager = new ConnectionManager({
    ...base,
    createConnection: (definition, secrets) => {
      made.push(definition.type === 'stdio' ? definition.args.join(' ') : definition.type);
      const connection = defaultConnectionFactory(base)(definition, secrets);
      // A server that takes its time to end (a container, say): close waits for the test.
      const close = connection.close.bind(connection);
      connection.close = async () => {
        await gate;
        return close();
      };
      return connection;
    },
  });
  const version = (tag: string) => fixtureDefinition('s', { name: tag });
  try {
    for (const [first, second, third] of [
      ['A', 'B', 'A'],
      ['A', 'B', 'C'],
    ] as const) {
      await manager.update([version(first)]);
      assert.equal(manager.status('s')?.status, 'connected');
      gate = new Promise<void>((resolve) => (openGate = resolve));
      const changing = manager.update([version(second)]);
      const changingAgain = manager.update([version(third)]);
      openGate();
      await Promise.all([changing, changingAgain]);
      await waitFor(() => manager.status('s')?.status === 'connected', 10_000, `s to connect with ${third} (${JSON.stringify(manager.status('s'))})`);
      assert.deepEqual(manager.status('s')?.definition, version(third), `${first} -> ${second} -> ${third}`);
      assert.equal(made.at(-1), (version(third) as unknown as { args: string[] }).args.join(' '), 'the last connection made is the newest definition');
      await manager.update([]);
    }
  } finally {
    await manager.dispose();
  }
});

test('the default tool-call timeout is read on every call, so a settings change applies to the next call', { timeout: 60_000 }, async () => {
  const parsed = parseServerDefinition('slow', { command: process.execPath, args: [path.join(path.dirname(samplingServerPath()), 'gatewayFixtureServer.js'), '--name', 'slow'] }, 'test');
  assert.ok(parsed.ok);
  let timeoutMs = 100;
  const manager = new ConnectionManager({ logger: recordingLogger([]), samplingHandler: answer, toolCallTimeoutMs: () => timeoutMs });
  try {
    await manager.update([parsed.definition]);
    assert.equal(manager.status('slow')?.status, 'connected');
    await assert.rejects(manager.callTool('slow', 'wait', { ms: 1000 }), /timed out/i);
    timeoutMs = 10_000;
    const result = await manager.callTool('slow', 'wait', { ms: 300, tag: 'second' });
    assert.match(textOf(result), /waited 300 ms for second/);
  } finally {
    await manager.dispose();
  }
});

test('the manager ends each connection it made: replaced, removed or at dispose, its events let go of every listener', { timeout: 60_000 }, async () => {
  const base = { logger: recordingLogger([]), samplingHandler: answer, killGraceMs: 500 };
  const disposed: string[] = [];
  const manager = new ConnectionManager({
    ...base,
    createConnection: (definition, secrets) => {
      const connection = defaultConnectionFactory(base)(definition, secrets);
      const dispose = connection.dispose.bind(connection);
      connection.dispose = () => {
        disposed.push(`${definition.name}${definition.type === 'stdio' ? (definition.env['FIXTURE_ECHO_ENV'] ?? '') : ''}`);
        return dispose();
      };
      return connection;
    },
  });
  try {
    await manager.update([fixtureDefinition('kept'), fixtureDefinition('changed', { env: { FIXTURE_ECHO_ENV: '1' } }), fixtureDefinition('removed')]);
    // Someone else listening to a connection (a view, the gateway) is let go with it.
    let heardAfterRemoval = 0;
    const removed = manager.getConnection('removed')!;
    removed.onDidChangeLists(() => heardAfterRemoval++);
    await manager.update([fixtureDefinition('kept'), fixtureDefinition('changed', { env: { FIXTURE_ECHO_ENV: '2' } })]);
    assert.deepEqual(disposed.sort(), ['changed1', 'removed']);
    await removed.refreshLists();
    assert.equal(heardAfterRemoval, 0, 'the removed connection no longer calls its listeners');
  } finally {
    await manager.dispose();
  }
  assert.deepEqual(disposed.sort(), ['changed1', 'changed2', 'kept', 'removed']);
});
