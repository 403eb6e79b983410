// Local lint rules for what eslint-plugin-import-x's `no-cycle` does not see:
//   no-type-cycle     a cycle between files of src/ that passes through a type-only import
//                     (import-x/no-cycle skips those; they still tangle the code a reader follows)
//   no-folder-cycle   a folder of src/core importing another that imports it back, directly or
//                     through other folders (the layering of core/* must be a one-way graph)
// The import graph of src/ is read from disk (cheap: ~100 files; rebuilt when a file changes) and the
// file being linted is taken from its AST, so an edit in the editor is judged as written.
import fs from 'node:fs';
import path from 'node:path';

const SOURCE = /\.tsx?$/;

function listSources(dir) {
  const out = [];
  const walk = (d) => {
    let entries;
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (SOURCE.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

function resolveImport(from, spec) {
  if (!spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), spec.replace(/\.js$/, ''));
  for (const c of [base + '.ts', base + '.tsx', path.join(base, 'index.ts')]) if (fs.existsSync(c)) return c;
  return null;
}

/** Imports of one file from its text: [{ target, typeOnly }]. */
function importsFromText(file, text) {
  const out = [];
  const statement = /(?:^|[;\n])\s*(import|export)\s+(type\s+)?([^;'"]*?)\s*from\s*['"]([^'"]+)['"]|(?:^|[;\n])\s*import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(statement)) {
    const spec = m[4] ?? m[5] ?? m[6];
    const target = resolveImport(file, spec);
    if (!target) continue;
    let typeOnly = false;
    if (m[4] !== undefined) {
      const clause = m[3] ?? '';
      const braces = /^\{([^}]*)\}$/.exec(clause.trim());
      typeOnly = Boolean(m[2]) || (braces !== null && braces[1].split(',').map((s) => s.trim()).filter(Boolean).every((s) => s.startsWith('type ')));
    }
    out.push({ target, typeOnly });
  }
  return out;
}

let cache = { signature: '', graph: new Map() };

/** The import graph of src/ under `root`, from disk: file -> [{ target, typeOnly }]. */
function diskGraph(root) {
  const files = listSources(path.join(root, 'src'));
  const signature = files.map((f) => `${f}:${fs.statSync(f).mtimeMs}`).join('|');
  if (signature !== cache.signature) {
    const graph = new Map();
    for (const f of files) graph.set(f, importsFromText(f, fs.readFileSync(f, 'utf8')));
    cache = { signature, graph };
  }
  return cache.graph;
}

/** Strongly connected components (Tarjan) as a map node -> component id, for components of 2+ nodes. */
function components(nodes, edges) {
  let index = 0;
  const idx = new Map(), low = new Map(), stack = [], on = new Set(), comp = new Map();
  let next = 0;
  const visit = (v) => {
    idx.set(v, index); low.set(v, index); index++; stack.push(v); on.add(v);
    for (const w of edges(v)) {
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v), low.get(w))); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const c = [];
      let w;
      do { w = stack.pop(); on.delete(w); c.push(w); } while (w !== v);
      if (c.length > 1) { for (const x of c) comp.set(x, next); next++; }
    }
  };
  for (const v of nodes) if (!idx.has(v)) visit(v);
  return comp;
}

/** The imports of the file being linted, from its AST: [{ node, target, typeOnly }]. */
function astImports(context, file) {
  const out = [];
  const add = (node, source, typeOnly) => {
    if (!source || typeof source.value !== 'string') return;
    const target = resolveImport(file, source.value);
    if (target) out.push({ node, target, typeOnly });
  };
  const program = context.sourceCode.ast;
  for (const node of program.body) {
    if (node.type === 'ImportDeclaration') {
      const typeOnly = node.importKind === 'type' || (node.specifiers.length > 0 && node.specifiers.every((s) => s.importKind === 'type'));
      add(node, node.source, typeOnly);
    } else if ((node.type === 'ExportNamedDeclaration' || node.type === 'ExportAllDeclaration') && node.source) {
      const typeOnly = node.exportKind === 'type' || (node.specifiers?.length > 0 && node.specifiers.every((s) => s.exportKind === 'type'));
      add(node, node.source, typeOnly);
    }
  }
  return { list: out, addDynamic: (node) => add(node, node.source, false) };
}

/**
 * A rule's `create`: once the file is read, `check` runs on the import graph of src/ with this file
 * as written (its imports from the AST, dynamic ones included) in place of its copy on disk.
 */
const onGraph = (check) => (context) => {
  const file = context.physicalFilename;
  const mine = astImports(context, file);
  return {
    ImportExpression(node) { mine.addDynamic(node); },
    'Program:exit'() {
      const root = context.cwd;
      const graph = new Map(diskGraph(root));
      graph.set(file, mine.list.map(({ target, typeOnly }) => ({ target, typeOnly })));
      check({ context, root, graph, file, imports: mine.list });
    },
  };
};

const relative = (root, f) => path.relative(root, f).split(path.sep).join('/');

const noTypeCycle = {
  meta: { type: 'problem', docs: { description: 'No import cycle through type-only imports between files of src/' }, schema: [], messages: { cycle: 'Import cycle through a type-only import: {{cycle}}. Move the shared type to a module both can import.' } },
  create: onGraph(({ context, root, graph, file, imports }) => {
    const nodes = [...graph.keys()];
    const all = components(nodes, (v) => (graph.get(v) ?? []).map((e) => e.target));
    const values = components(nodes, (v) => (graph.get(v) ?? []).filter((e) => !e.typeOnly).map((e) => e.target));
    const c = all.get(file);
    if (c === undefined) return;
    const members = nodes.filter((n) => all.get(n) === c).map((n) => relative(root, n)).sort();
    for (const { node, target, typeOnly } of imports) {
      if (all.get(target) !== c) continue;
      // A cycle made of value imports only is import-x/no-cycle's to report.
      const valueCycle = !typeOnly && values.get(file) !== undefined && values.get(file) === values.get(target);
      if (!valueCycle) context.report({ node, messageId: 'cycle', data: { cycle: members.join(' <-> ') } });
    }
  }),
};

const coreFolder = (root, f) => {
  const parts = relative(root, f).split('/');
  return parts[0] === 'src' && parts[1] === 'core' && parts.length > 3 ? `src/core/${parts[2]}` : null;
};

const noFolderCycle = {
  meta: { type: 'problem', docs: { description: 'No folder of src/core importing another that imports it back' }, schema: [], messages: { cycle: '{{from}} imports {{to}}, which imports {{from}} back ({{path}}). Keep the folders of src/core in one direction: move what both need to the lower one.' } },
  create: onGraph(({ context, root, graph, file, imports }) => {
    const from = coreFolder(root, file);
    if (!from) return;
    const folders = new Map();
    for (const [f, edges] of graph) {
      const a = coreFolder(root, f);
      if (!a) continue;
      for (const { target } of edges) {
        const b = coreFolder(root, target);
        if (b && b !== a) {
          if (!folders.has(a)) folders.set(a, new Set());
          folders.get(a).add(b);
        }
      }
    }
    const pathBack = (start) => {
      // Breadth-first from `start` to `from`, for a message that names the way back.
      const prev = new Map([[start, null]]);
      const queue = [start];
      while (queue.length) {
        const v = queue.shift();
        if (v === from) {
          const way = [];
          for (let x = v; x !== null; x = prev.get(x)) way.unshift(x);
          return way;
        }
        for (const w of folders.get(v) ?? []) if (!prev.has(w)) { prev.set(w, v); queue.push(w); }
      }
      return null;
    };
    const reported = new Set();
    for (const { node, target } of imports) {
      const to = coreFolder(root, target);
      if (!to || to === from || reported.has(node)) continue;
      const way = pathBack(to);
      if (way) {
        reported.add(node);
        context.report({ node, messageId: 'cycle', data: { from, to, path: [from, ...way].join(' -> ') } });
      }
    }
  }),
};

export default { meta: { name: 'structure' }, rules: { 'no-type-cycle': noTypeCycle, 'no-folder-cycle': noFolderCycle } };
