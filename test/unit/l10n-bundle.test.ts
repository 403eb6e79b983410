// The strings the code localizes (`l10n.t`, from 'vscode' or '@vscode/l10n') and l10n/bundle.l10n.json,
// the English bundle translators start from (package.json `l10n`), must agree: every key used is in
// the bundle and the bundle holds no stale key. A string changed without `npm run l10n` fails here.
// The calls are found twice: by @vscode/l10n-dev (what `npm run l10n` writes) and by the TypeScript
// parser (every `l10n.t(` call, so one the extractor cannot read, such as a computed key, fails too).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { getL10nJson } from '@vscode/l10n-dev';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const REGENERATE = 'run `npm run l10n` and commit l10n/bundle.l10n.json';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

const sources = sourceFiles(path.join(repoRoot, 'src')).map((file) => ({ file: path.relative(repoRoot, file).split(path.sep).join('/'), text: readFileSync(file, 'utf8') }));
const bundle = JSON.parse(readFileSync(path.join(repoRoot, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, string | { message: string }>;
const bundleMessage = (key: string) => {
  const entry = bundle[key];
  return typeof entry === 'string' ? entry : entry?.message;
};

interface L10nCall {
  readonly where: string;
  /** The message, when written as a literal the extractor can read. */
  readonly message?: string;
  /** How many values are given for `{0}`, `{1}`…; undefined when it cannot be counted (spread, named args). */
  readonly argCount?: number;
}

/** `l10n.t(…)` and `vscode.l10n.t(…)` calls, by the TypeScript parser. */
function l10nCalls(file: string, text: string): L10nCall[] {
  const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const calls: L10nCall[] = [];
  const isL10n = (e: ts.Expression) => (ts.isIdentifier(e) && e.text === 'l10n') || (ts.isPropertyAccessExpression(e) && e.name.text === 'l10n');
  const literal = (e: ts.Expression | undefined) => (e && (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) ? e.text : undefined);
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 't' && isL10n(node.expression.expression)) {
      const where = `${file}:${sourceFile.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
      const [first, ...rest] = node.arguments;
      if (first && ts.isObjectLiteralExpression(first)) {
        const property = (name: string) => first.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === name)?.initializer;
        const args = property('args');
        calls.push({ where, message: literal(property('message')), argCount: args && ts.isArrayLiteralExpression(args) && !args.elements.some(ts.isSpreadElement) ? args.elements.length : undefined });
      } else {
        const named = rest.length === 1 && rest[0] !== undefined && ts.isObjectLiteralExpression(rest[0]);
        calls.push({ where, message: literal(first), argCount: rest.some(ts.isSpreadElement) || named ? undefined : rest.length });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return calls;
}

const calls = sources.flatMap(({ file, text }) => l10nCalls(file, text));

test('l10n/bundle.l10n.json is exactly what `npm run l10n` extracts from src/ (no missing, no stale key)', async () => {
  const extracted = await getL10nJson(sources.map(({ file, text }) => ({ extension: path.extname(file), contents: text })));
  const missing = Object.keys(extracted).filter((key) => !(key in bundle));
  const stale = Object.keys(bundle).filter((key) => !(key in extracted));
  assert.deepEqual(missing, [], `keys used in code but missing from the bundle: ${REGENERATE}`);
  assert.deepEqual(stale, [], `keys in the bundle that no code uses: ${REGENERATE}`);
  assert.deepEqual(bundle, extracted, `the bundle's texts differ from the code's: ${REGENERATE}`);
});

test('every l10n.t call has a literal message, and the bundle holds it', () => {
  assert.ok(calls.length > 30, `found ${calls.length} l10n.t calls: the scan works`);
  const computed = calls.filter((c) => c.message === undefined).map((c) => c.where);
  assert.deepEqual(computed, [], 'a computed message cannot be extracted for translators: pass a literal with {0} placeholders');
  const messages = new Set(Object.keys(bundle).map(bundleMessage));
  const absent = calls.filter((c) => c.message !== undefined && !messages.has(c.message)).map((c) => `${c.where}: ${c.message}`);
  assert.deepEqual(absent, [], `messages missing from the bundle (a call the extractor did not see? the file must import 'vscode' or '@vscode/l10n'): ${REGENERATE}`);
});

test('every {n} placeholder has its value and every value its placeholder', () => {
  const mismatched = calls.flatMap((c) => {
    if (c.message === undefined || c.argCount === undefined) return [];
    // The panel's table is translated whole on the host and its {0}… are filled in the webview
    // (shared/panelStrings.ts formatString): there, no values at all is right.
    if (c.argCount === 0 && c.where.startsWith(PANEL_TEMPLATES)) return [];
    const used = new Set([...c.message.matchAll(/\{(\d+)\}/g)].map((m) => Number(m[1])));
    const expected = new Set(Array.from({ length: c.argCount }, (_, i) => i));
    const same = used.size === expected.size && [...used].every((i) => expected.has(i));
    return same ? [] : [`${c.where}: "${c.message}" with ${c.argCount} value(s)`];
  });
  assert.deepEqual(mismatched, []);
});

const PANEL_TEMPLATES = 'src/vscode/panel/panelStrings.ts:';
