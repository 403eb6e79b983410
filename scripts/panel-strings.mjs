#!/usr/bin/env node
// Writes src/vscode/panel/panelStrings.ts, the host's localization of the approval panel's words,
// from the one English table, PANEL_STRINGS in src/shared/panelStrings.ts: each entry becomes a
// literal `vscode.l10n.t('…')` call, so `vscode-l10n-dev export` finds it for the bundle.
//   node scripts/panel-strings.mjs           print the file
//   node scripts/panel-strings.mjs --write   write it (`npm run l10n` does, before extracting)
//   node scripts/panel-strings.mjs --check   exit 1 when the file differs from the generated one
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SOURCE = 'src/shared/panelStrings.ts';
export const TARGET = 'src/vscode/panel/panelStrings.ts';

/** The entries of PANEL_STRINGS in order, each with the `//` comment lines written above it. */
export function panelEntries(sourceText) {
  const file = ts.createSourceFile(SOURCE, sourceText, ts.ScriptTarget.Latest, true);
  let table;
  const visit = (node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === 'PANEL_STRINGS') {
      let init = node.initializer;
      while (init && (ts.isAsExpression(init) || ts.isSatisfiesExpression(init))) init = init.expression;
      if (init && ts.isObjectLiteralExpression(init)) table = init;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  if (!table) throw new Error(`${SOURCE}: no PANEL_STRINGS object literal`);
  return table.properties.map((property) => {
    if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name) || !ts.isStringLiteralLike(property.initializer)) {
      throw new Error(`${SOURCE}: every PANEL_STRINGS entry must be \`key: 'literal text'\` (at ${property.getText(file).slice(0, 60)})`);
    }
    const comments = (ts.getLeadingCommentRanges(sourceText, property.getFullStart()) ?? [])
      .map((range) => sourceText.slice(range.pos, range.end))
      .filter((text) => text.startsWith('//'));
    return { key: property.name.text, text: property.initializer.text, comments };
  });
}

/** A TypeScript string literal: single quotes unless the text has one and no double quote. */
function literal(text) {
  const json = JSON.stringify(text);
  if (text.includes("'") && !text.includes('"')) return json;
  return `'${json.slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

export function generate(sourceText) {
  const lines = [
    `// Generated from ${SOURCE} by scripts/panel-strings.mjs: edit the English table there and run`,
    '// `npm run l10n` (test/unit/panel-strings.test.ts checks this file is up to date).',
    '/**',
    " * The approval panel's words in the editor's display language, sent to the webview with the `state`",
    ' * message. Each entry is a literal through vscode.l10n.t, so the bundle extraction finds it.',
    ' */',
    "import * as vscode from 'vscode';",
    "import type { PanelStringKey, PanelStrings } from '../../shared/panelStrings';",
    '',
    'const LOCALIZED: { readonly [K in PanelStringKey]: () => string } = {',
  ];
  for (const { key, text, comments } of panelEntries(sourceText)) {
    for (const comment of comments) lines.push(`  ${comment}`);
    lines.push(`  ${key}: () => vscode.l10n.t(${literal(text)}),`);
  }
  lines.push(
    '};',
    '',
    'export function localizedPanelStrings(): PanelStrings {',
    '  const table = {} as Record<PanelStringKey, string>;',
    '  for (const key of Object.keys(LOCALIZED) as PanelStringKey[]) table[key] = LOCALIZED[key]();',
    '  return table;',
    '}',
    '',
  );
  return lines.join('\n');
}

function main(args) {
  const generated = generate(readFileSync(path.join(repoRoot, SOURCE), 'utf8'));
  const target = path.join(repoRoot, TARGET);
  if (args.includes('--write')) {
    writeFileSync(target, generated);
  } else if (args.includes('--check')) {
    if (readFileSync(target, 'utf8') !== generated) {
      process.stderr.write(`${TARGET} is out of date: run \`npm run l10n\`\n`);
      process.exitCode = 1;
    }
  } else {
    process.stdout.write(generated);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
