// Local lint rule `l10n/no-literal-ui-string`: text the extension host shows the user goes through
// `vscode.l10n.t` (so it can be translated), never a string or template literal passed straight to
// the UI. It looks where user-facing text goes:
//   window.show{Information,Warning,Error}Message   the message, its buttons, the modal `detail`
//   window.setStatusBarMessage                      the message
//   window.showQuickPick / showInputBox / withProgress / showOpenDialog / showSaveDialog
//                                                   title, placeHolder, prompt, openLabel, saveLabel;
//                                                   quick pick items written inline (label, description, detail)
//   window.createQuickPick / createInputBox / createStatusBarItem, new TreeItem
//                                                   the label given to TreeItem, and later assignments
//                                                   to title, placeholder, prompt, text, tooltip, name,
//                                                   label, description of the variable holding one
//   accessibilityInformation: { label }             anywhere
// A message's argument that is a variable is judged by the variable's initializer in the same file
// (`const open = 'Open Settings'` used as a button).
// A literal with no letters (a separator such as ' · ', a codicon such as '$(inbox)', or a template
// joining values that are already localized) is not text to translate and passes. Syntax only (no type
// information), so it names the APIs by their method names.

const MESSAGE_CALLS = new Set(['showInformationMessage', 'showWarningMessage', 'showErrorMessage']);
/** Calls taking an options object with user-facing keys, by the index of that object. */
const OPTION_CALLS = new Map([
  ['showQuickPick', 1],
  ['showInputBox', 0],
  ['withProgress', 0],
  ['showOpenDialog', 0],
  ['showSaveDialog', 0],
]);
const OPTION_KEYS = new Set(['title', 'placeHolder', 'placeholder', 'prompt', 'openLabel', 'saveLabel']);
const ITEM_KEYS = new Set(['label', 'description', 'detail']);
/** Objects whose later property assignments are user-facing, by how they are made. */
const CREATED = new Map([
  ['createQuickPick', new Set(['title', 'placeholder', 'prompt'])],
  ['createInputBox', new Set(['title', 'placeholder', 'prompt', 'validationMessage'])],
  ['createStatusBarItem', new Set(['text', 'tooltip', 'name'])],
  ['TreeItem', new Set(['label', 'description', 'tooltip'])],
]);

/** The name a call or `new` invokes: `vscode.window.showQuickPick` -> showQuickPick, `new vscode.TreeItem` -> TreeItem. */
function calleeName(node) {
  const callee = node.callee;
  if (callee.type === 'Identifier') return callee.name;
  if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier') return callee.property.name;
  return undefined;
}

function propertyName(property) {
  if (property.type !== 'Property' || property.computed) return undefined;
  if (property.key.type === 'Identifier') return property.key.name;
  if (property.key.type === 'Literal' && typeof property.key.value === 'string') return property.key.value;
  return undefined;
}

/** Letters outside codicons (`$(name)`) and template holes: text a translator would translate. */
const hasWords = (text) => /\p{L}/u.test(text.replace(/\$\([a-z0-9~-]+\)/gi, ''));

/**
 * The literal text this expression shows as it is written, or undefined when it is computed: a string
 * or template literal, or one reached through `+`, `?:`, `??`/`||` or a TS `as`/`!`.
 */
function literalText(node) {
  if (!node) return undefined;
  switch (node.type) {
    case 'Literal':
      return typeof node.value === 'string' ? node.value : undefined;
    case 'TemplateLiteral':
      return node.quasis.map((q) => q.value.cooked ?? q.value.raw).join(' ');
    case 'BinaryExpression':
      if (node.operator !== '+') return undefined;
      return [literalText(node.left), literalText(node.right)].filter((t) => t !== undefined).join(' ') || undefined;
    case 'ConditionalExpression':
      return [literalText(node.consequent), literalText(node.alternate)].filter((t) => t !== undefined).join(' ') || undefined;
    case 'LogicalExpression':
      return [literalText(node.left), literalText(node.right)].filter((t) => t !== undefined).join(' ') || undefined;
    case 'TSAsExpression':
    case 'TSNonNullExpression':
    case 'TSSatisfiesExpression':
      return literalText(node.expression);
    default:
      return undefined;
  }
}

const noLiteralUiString = {
  meta: {
    type: 'problem',
    docs: { description: 'User-facing strings of the extension host go through vscode.l10n.t, not a literal.' },
    messages: {
      literal: 'User-facing text "{{text}}" ({{where}}) must go through vscode.l10n.t (placeholders {0}, {1}, not concatenation), so it can be translated.',
    },
    schema: [],
  },
  create(context) {
    /** Variable name -> the user-facing properties of the object it holds (see CREATED). */
    const created = new Map();
    /** Variable name -> its initializer, for a button label kept in a variable (`const open = 'Open'`). */
    const initializers = new Map();

    const check = (node, where) => {
      if (node?.type === 'Identifier' && initializers.has(node.name)) node = initializers.get(node.name);
      const text = literalText(node)?.replace(/\s+/g, ' ').trim();
      if (text === undefined || !hasWords(text)) return;
      context.report({ node, messageId: 'literal', data: { text: text.length > 40 ? `${text.slice(0, 40)}…` : text, where } });
    };
    const checkObject = (node, keys, where) => {
      if (node?.type !== 'ObjectExpression') return;
      for (const property of node.properties) {
        const name = propertyName(property);
        if (name !== undefined && keys.has(name)) check(property.value, `${where} ${name}`);
      }
    };

    const onCall = (node) => {
      const name = calleeName(node);
      if (name === undefined) return;
      if (MESSAGE_CALLS.has(name)) {
        for (const arg of node.arguments) {
          check(arg, name);
          checkObject(arg, new Set(['detail', 'title']), name);
        }
      } else if (OPTION_CALLS.has(name)) {
        checkObject(node.arguments[OPTION_CALLS.get(name)], OPTION_KEYS, name);
        if (name === 'showQuickPick' && node.arguments[0]?.type === 'ArrayExpression') {
          for (const element of node.arguments[0].elements) {
            check(element, `${name} item`);
            checkObject(element, ITEM_KEYS, `${name} item`);
          }
        }
      } else if (name === 'setStatusBarMessage') {
        check(node.arguments[0], name);
      } else if (name === 'TreeItem' && node.type === 'NewExpression') {
        check(node.arguments[0], 'TreeItem label');
        checkObject(node.arguments[0], new Set(['label']), 'TreeItem label');
      }
    };

    return {
      CallExpression: onCall,
      NewExpression: onCall,
      VariableDeclarator(node) {
        if (node.id.type !== 'Identifier' || !node.init) return;
        initializers.set(node.id.name, node.init);
        if (node.init.type !== 'CallExpression' && node.init.type !== 'NewExpression') return;
        const keys = CREATED.get(calleeName(node.init));
        if (keys) created.set(node.id.name, keys);
      },
      AssignmentExpression(node) {
        const target = node.left;
        if (target.type !== 'MemberExpression' || target.computed || target.property.type !== 'Identifier') return;
        const property = target.property.name;
        if (property === 'accessibilityInformation') {
          checkObject(node.right, new Set(['label']), 'accessibilityInformation');
          return;
        }
        const keys = target.object.type === 'Identifier' ? created.get(target.object.name) : undefined;
        if (keys?.has(property)) check(node.right, `${target.object.name}.${property}`);
      },
      Property(node) {
        if (propertyName(node) === 'accessibilityInformation' && node.parent?.type === 'ObjectExpression') checkObject(node.value, new Set(['label']), 'accessibilityInformation');
      },
    };
  },
};

export default { meta: { name: 'l10n' }, rules: { 'no-literal-ui-string': noLiteralUiString } };
