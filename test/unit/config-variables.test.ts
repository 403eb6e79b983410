import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseServerDefinition, type ServerDefinition } from '../../src/core/config/serverDefinition';
import { resolveDefinitionVariables, type VariableResolver } from '../../src/core/config/variables';

function def(raw: unknown): ServerDefinition {
  const r = parseServerDefinition('srv', raw, 'settings');
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.definition;
}

function resolver(inputs: Record<string, string | undefined> = {}, asked: string[] = []): VariableResolver {
  return {
    workspaceFolder: (name) => (name === undefined || name === 'app' ? '/work/app' : undefined),
    userHome: () => '/home/u',
    env: (name) => ({ TOKEN_ENV: 'from-env' })[name],
    input: async (id) => {
      asked.push(id);
      return inputs[id];
    },
  };
}

test('substitutes workspaceFolder, named folder, userHome, env and input in every string field', async () => {
  const asked: string[] = [];
  const r = await resolveDefinitionVariables(
    def({
      command: '${userHome}/bin/server',
      args: ['${workspaceFolder}/x', '${workspaceFolder:app}', '--key=${input:key}'],
      env: { A: '${env:TOKEN_ENV}', B: '${env:MISSING}', C: null, D: '${input:key}' },
      cwd: '${workspaceFolder}',
      envFile: '${workspaceFolder}/.env',
    }),
    resolver({ key: 's3cret' }, asked),
  );
  assert.ok(r.ok);
  assert.equal(r.definition.type, 'stdio');
  if (r.definition.type !== 'stdio') return;
  assert.equal(r.definition.command, '/home/u/bin/server');
  assert.deepEqual(r.definition.args, ['/work/app/x', '/work/app', '--key=s3cret']);
  assert.deepEqual(r.definition.env, { A: 'from-env', B: '', C: null, D: 's3cret' });
  assert.equal(r.definition.cwd, '/work/app');
  assert.equal(r.definition.envFile, '/work/app/.env');
  assert.deepEqual([...r.secrets], ['s3cret']);
  assert.deepEqual(asked, ['key'], 'one prompt per input id');
});

test('http: headers and url substituted; secrets reported', async () => {
  const r = await resolveDefinitionVariables(def({ url: 'http://127.0.0.1:${env:TOKEN_ENV}/mcp', headers: { Authorization: 'Bearer ${input:tok}' } }), resolver({ tok: 'abc' }));
  assert.equal(r.ok, false, 'port "from-env" makes an invalid URL');
  const ok = await resolveDefinitionVariables(def({ url: 'http://127.0.0.1:8080/mcp', headers: { Authorization: 'Bearer ${input:tok}' } }), resolver({ tok: 'abc' }));
  assert.ok(ok.ok);
  if (ok.definition.type === 'stdio') assert.fail('expected http');
  assert.deepEqual(ok.definition.headers, { Authorization: 'Bearer abc' });
  assert.ok(ok.secrets.has('abc'));
});

test('unknown variable is an error naming the server and variable', async () => {
  const r = await resolveDefinitionVariables(def({ command: 'x', args: ['${config:foo}'] }), resolver());
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.error, /Server "srv": unknown variable \$\{config:foo\} in "args\[0\]"/);
});

test('a cancelled input and a missing named folder are errors', async () => {
  const cancelled = await resolveDefinitionVariables(def({ command: 'x', env: { K: '${input:key}' } }), resolver({}));
  assert.equal(cancelled.ok, false);
  if (!cancelled.ok) assert.match(cancelled.error, /no value was given for \$\{input:key\}/);
  const folder = await resolveDefinitionVariables(def({ command: 'x', cwd: '${workspaceFolder:other}' }), resolver());
  assert.equal(folder.ok, false);
  if (!folder.ok) assert.match(folder.error, /no workspace folder is named "other"/);
});

test('inputs in args are asked one after another, and an id used twice is asked once', async () => {
  let open = 0;
  let most = 0;
  const asked: string[] = [];
  const slow: VariableResolver = {
    ...resolver(),
    input: async (id) => {
      asked.push(id);
      most = Math.max(most, ++open);
      await new Promise((resolve) => setTimeout(resolve, 5));
      open--;
      return `v-${id}`;
    },
  };
  const r = await resolveDefinitionVariables(def({ command: 'srv', args: ['--user', '${input:u}', '--pass', '${input:p}', '--again', '${input:u}'] }), slow);
  assert.ok(r.ok, r.ok ? '' : r.error);
  assert.equal(r.ok && r.definition.type === 'stdio' ? r.definition.args.join(' ') : '', '--user v-u --pass v-p --again v-u');
  assert.equal(most, 1, 'one input box at a time');
  assert.deepEqual(asked, ['u', 'p']);
});

test('${workspaceFolder} without a name is asked with the definition\'s source, so a folder\'s mcp.json resolves against that folder', async () => {
  const parsed = parseServerDefinition('srv', { command: 'node', args: ['${workspaceFolder}/server.js'], cwd: '${workspaceFolderBasename}' }, '/ws/b/.vscode/mcp.json');
  assert.ok(parsed.ok);
  const asked: { name: string | undefined; source: string }[] = [];
  const folders: VariableResolver = {
    workspaceFolder: (name, source) => {
      asked.push({ name, source });
      return name === undefined && source.startsWith('/ws/b/') ? '/ws/b' : '/ws/a';
    },
    userHome: () => '/home/u',
    env: () => undefined,
    input: async () => undefined,
  };
  const r = await resolveDefinitionVariables(parsed.definition, folders);
  assert.ok(r.ok);
  assert.deepEqual(r.definition.type === 'stdio' && [r.definition.args, r.definition.cwd], [['/ws/b/server.js'], 'b']);
  assert.deepEqual(asked, [
    { name: undefined, source: '/ws/b/.vscode/mcp.json' },
    { name: undefined, source: '/ws/b/.vscode/mcp.json' },
  ]);
});
