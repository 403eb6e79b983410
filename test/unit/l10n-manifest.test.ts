// The manifest's user-facing strings live in package.nls.json (the `%key%` placeholders VS Code and
// vsce resolve), so translations can be added as package.nls.<locale>.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const nls = JSON.parse(readFileSync(path.join(repoRoot, 'package.nls.json'), 'utf8')) as Record<string, unknown>;

/** Every string value in a JSON tree, with its path. */
function strings(value: unknown, at: string[] = []): { path: string; text: string }[] {
  if (typeof value === 'string') return [{ path: at.join('.'), text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, [...at, String(i)]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, [...at, k]));
  return [];
}

const placeholders = strings(manifest).flatMap(({ path: where, text }) => {
  const match = /^%([^%\s]+)%$/.exec(text);
  return match ? [{ where, key: match[1]! }] : [];
});

test('every %key% in package.json exists in package.nls.json', () => {
  assert.ok(placeholders.length > 0, 'package.json uses placeholders');
  const missing = placeholders.filter((p) => !(p.key in nls)).map((p) => `${p.key} (at ${p.where})`);
  assert.deepEqual(missing, [], 'add these keys to package.nls.json');
});

test('every key in package.nls.json is used by package.json and holds a non-empty string', () => {
  const used = new Set(placeholders.map((p) => p.key));
  assert.deepEqual(Object.keys(nls).filter((k) => !used.has(k)), [], 'unused keys in package.nls.json');
  for (const [k, v] of Object.entries(nls)) assert.ok(typeof v === 'string' && v.trim().length > 0, `${k} must be a non-empty string`);
});

test('commands, views, the view container, the walkthrough and the settings title are localized', () => {
  const c = manifest.contributes;
  const isPlaceholder = (s: unknown) => typeof s === 'string' && /^%[^%\s]+%$/.test(s);
  for (const cmd of c.commands) {
    assert.ok(isPlaceholder(cmd.title), `${cmd.command} title`);
    if (cmd.category !== undefined) assert.ok(isPlaceholder(cmd.category), `${cmd.command} category`);
  }
  for (const view of Object.values(c.views).flat() as { id: string; name: string }[]) assert.ok(isPlaceholder(view.name), `${view.id} name`);
  for (const container of c.viewsContainers.activitybar) assert.ok(isPlaceholder(container.title), `${container.id} title`);
  for (const welcome of c.viewsWelcome) assert.ok(isPlaceholder(welcome.contents), `${welcome.view} welcome`);
  for (const walkthrough of c.walkthroughs) {
    assert.ok(isPlaceholder(walkthrough.title) && isPlaceholder(walkthrough.description), `${walkthrough.id}`);
    for (const step of walkthrough.steps) assert.ok(isPlaceholder(step.title) && isPlaceholder(step.description), `${walkthrough.id}/${step.id}`);
  }
  assert.ok(isPlaceholder(c.configuration.title), 'configuration title');
});

test('command links in localized texts name commands that exist', () => {
  const contributed = new Set<string>(manifest.contributes.commands.map((cmd: { command: string }) => cmd.command));
  const viewIds = (Object.values(manifest.contributes.views).flat() as { id: string }[]).map((v) => v.id);
  // Built-in commands the texts may use: settings, and the `<view>.focus` commands VS Code creates per view.
  const builtIn = new Set(['workbench.action.openSettings', ...viewIds.map((id) => `${id}.focus`)]);
  const links = Object.values(nls).flatMap((text) => [...String(text).matchAll(/\(command:([A-Za-z0-9_.]+)/g)].map((m) => m[1]!));
  assert.ok(links.length > 0);
  for (const command of links) assert.ok(contributed.has(command) || builtIn.has(command), `unknown command in a link: ${command}`);
});

test('the walkthrough steps have their Markdown media and completion events', () => {
  const [walkthrough] = manifest.contributes.walkthroughs;
  assert.equal(walkthrough.id, 'mcpSampling.gettingStarted');
  assert.deepEqual(walkthrough.steps.map((s: { id: string }) => s.id), ['addServer', 'chooseProvider', 'runDemo', 'seeHistory']);
  for (const step of walkthrough.steps) {
    const media = path.join(repoRoot, step.media.markdown);
    assert.ok(existsSync(media), `${step.id}: ${step.media.markdown} exists`);
    assert.match(readFileSync(media, 'utf8'), /^# \S/, `${step.id}: the media starts with a heading`);
    assert.ok(step.completionEvents.length > 0, `${step.id} has completion events`);
  }
  // No stray media: every file in media/walkthrough is used by a step.
  const used = new Set(walkthrough.steps.map((s: { media: { markdown: string } }) => path.basename(s.media.markdown)));
  assert.deepEqual(readdirSync(path.join(repoRoot, 'media', 'walkthrough')).filter((f) => !used.has(f)), []);
});
