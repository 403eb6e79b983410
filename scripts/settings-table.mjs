#!/usr/bin/env node
// The settings are declared once, in src/core/settings.ts; this writes what is generated from them:
// package.json's contributes.configuration properties, and from those the README's settings table.
//   node scripts/settings-table.mjs           print the table
//   node scripts/settings-table.mjs --write   write package.json's properties and the table between the markers in README.md
//   node scripts/settings-table.mjs --check   exit 1 when either differs from what is generated
// The markers are <!-- settings:start --> and <!-- settings:end -->.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const START = '<!-- settings:start -->';
export const END = '<!-- settings:end -->';

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Resolves a `%key%` placeholder through package.nls.json. */
function localized(text, nls) {
  const match = typeof text === 'string' ? /^%([^%\s]+)%$/.exec(text) : null;
  return match && typeof nls[match[1]] === 'string' ? nls[match[1]] : text;
}

/** A Markdown table cell: one line, pipes escaped. */
function cell(text) {
  return String(text).replace(/\r?\n+/g, ' ').replace(/\|/g, '\\|').trim();
}

function typeOf(schema) {
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const base = types.join(' | ') || 'any';
  return schema.enum ? `${base}: ${schema.enum.map((v) => `\`${JSON.stringify(v)}\``).join(', ')}` : base;
}

function defaultOf(schema) {
  if (!('default' in schema)) return '';
  return `\`${JSON.stringify(schema.default)}\``;
}

export function settingsTable(manifest, nls = {}) {
  const configuration = manifest.contributes?.configuration;
  const sections = Array.isArray(configuration) ? configuration : configuration ? [configuration] : [];
  const rows = ['| Setting | Type | Default | Scope | Description |', '| --- | --- | --- | --- | --- |'];
  for (const section of sections) {
    for (const [name, schema] of Object.entries(section.properties ?? {})) {
      const description = localized(schema.markdownDescription ?? schema.description ?? '', nls);
      // `#setting.name#` links only work in the Settings editor; in the README they become code.
      const readable = description.replace(/`?#([A-Za-z0-9_.-]+)#`?/g, '`$1`');
      rows.push(`| \`${name}\` | ${cell(typeOf(schema))} | ${cell(defaultOf(schema))} | ${cell(schema.scope ?? 'window')} | ${cell(readable)} |`);
    }
  }
  return `${rows.join('\n')}\n`;
}

/** The text between the markers, or undefined when the README has no markers. */
export function currentTable(readme) {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end === -1 || end < start) return undefined;
  return readme.slice(start + START.length, end).replace(/^\r?\n/, '');
}

export function replaceTable(readme, table) {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end === -1 || end < start) throw new Error(`README.md has no ${START} … ${END} markers`);
  return `${readme.slice(0, start + START.length)}\n${table}${readme.slice(end)}`;
}

/** package.json's `contributes.configuration.properties` from src/core/settings.ts (bundled by esbuild, run here). */
export async function generatedProperties() {
  const { build } = await import('esbuild');
  const bundled = await build({ entryPoints: [path.join(repoRoot, 'src', 'core', 'settings.ts')], bundle: true, write: false, format: 'cjs', platform: 'node', logLevel: 'silent' });
  const module = { exports: {} };
  new Function('module', 'exports', 'require', bundled.outputFiles[0].text)(module, module.exports, createRequire(import.meta.url));
  return module.exports.manifestProperties();
}

/** package.json's text with its settings replaced by `properties`. */
export function withProperties(manifestText, properties) {
  const manifest = JSON.parse(manifestText);
  manifest.contributes.configuration.properties = properties;
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

async function main() {
  const manifestFile = path.join(repoRoot, 'package.json');
  const manifestText = readFileSync(manifestFile, 'utf8');
  const generatedManifest = withProperties(manifestText, await generatedProperties());
  const manifest = JSON.parse(generatedManifest);
  const nlsFile = path.join(repoRoot, 'package.nls.json');
  const table = settingsTable(manifest, existsSync(nlsFile) ? readJson(nlsFile) : {});
  const readmeFile = path.join(repoRoot, 'README.md');
  const args = process.argv.slice(2);
  if (args.includes('--write')) {
    if (generatedManifest !== manifestText) writeFileSync(manifestFile, generatedManifest);
    console.log(generatedManifest === manifestText ? 'package.json settings are up to date' : 'package.json settings updated');
    const readme = readFileSync(readmeFile, 'utf8');
    const updated = replaceTable(readme, table);
    if (updated !== readme) writeFileSync(readmeFile, updated);
    console.log(updated === readme ? 'README.md settings table is up to date' : 'README.md settings table updated');
  } else if (args.includes('--check')) {
    if (generatedManifest !== manifestText) {
      console.error('package.json settings differ from src/core/settings.ts: run `node scripts/settings-table.mjs --write`');
      process.exit(1);
    }
    const current = currentTable(readFileSync(readmeFile, 'utf8'));
    if (current === undefined) {
      console.error(`README.md has no ${START} … ${END} markers`);
      process.exit(1);
    }
    if (current !== table) {
      console.error('README.md settings table is out of date: run `node scripts/settings-table.mjs --write`');
      process.exit(1);
    }
    console.log('README.md settings table is up to date');
  } else {
    process.stdout.write(table);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
