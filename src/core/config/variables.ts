/**
 * `${…}` substitution in server definitions, as VS Code's mcp.json does it. The host answers the
 * questions through a VariableResolver (the vscode side prompts for `${input:id}` once and keeps the
 * answer in SecretStorage). Values that came from inputs are returned so logs can redact them.
 */
import { checkServerUrl, type HttpServerDefinition, type ServerDefinition, type StdioServerDefinition } from './serverDefinition';

export interface VariableResolver {
  /**
   * The folder named `folderName`; without a name, the workspace folder that holds `source` (a
   * folder's own .vscode/mcp.json resolves against that folder, as VS Code does), else the first.
   */
  workspaceFolder(folderName: string | undefined, source: string): string | undefined;
  userHome(): string;
  /** An environment variable of the host; undefined becomes an empty string, as in VS Code. */
  env(name: string): string | undefined;
  /**
   * The value of an `${input:id}`; undefined when the user cancelled. Must honour `signal`. A value is
   * kept for the definition that declared it (source + server name + id), never shared by id alone:
   * another definition naming the same id is asked again.
   */
  input(id: string, context: { readonly serverName: string; readonly source: string; readonly signal?: AbortSignal }): Promise<string | undefined>;
}

export type ResolveResult =
  | { readonly ok: true; readonly definition: ServerDefinition; readonly secrets: ReadonlySet<string> }
  | { readonly ok: false; readonly error: string };

const VARIABLE = /\$\{([^}]*)\}/g;
/** A definition with more variables than this is a mistake (or an attack on the prompt UI). */
const MAX_VARIABLES = 200;

class VariableError extends Error {}

interface Context {
  readonly serverName: string;
  readonly source: string;
  readonly resolver: VariableResolver;
  readonly signal: AbortSignal | undefined;
  readonly secrets: Set<string>;
  /** One prompt per input id per resolution, even if the id is used in several fields. */
  readonly inputs: Map<string, string>;
  count: number;
}

async function resolveVariable(expression: string, field: string, ctx: Context): Promise<string> {
  const { serverName, resolver } = ctx;
  const colon = expression.indexOf(':');
  const kind = colon === -1 ? expression : expression.slice(0, colon);
  const argument = colon === -1 ? undefined : expression.slice(colon + 1);
  switch (kind) {
    case 'workspaceFolder': {
      const folder = resolver.workspaceFolder(argument, ctx.source);
      if (folder === undefined) {
        const which = argument === undefined ? 'no workspace folder is open' : `no workspace folder is named "${argument}"`;
        throw new VariableError(`Server "${serverName}": cannot resolve \${${expression}} in "${field}": ${which}.`);
      }
      return folder;
    }
    case 'workspaceFolderBasename': {
      const folder = resolver.workspaceFolder(argument, ctx.source);
      if (folder === undefined) throw new VariableError(`Server "${serverName}": cannot resolve \${${expression}} in "${field}": no workspace folder is open.`);
      return folder.split(/[\\/]/).filter(Boolean).pop() ?? folder;
    }
    case 'userHome':
      if (argument !== undefined) break;
      return resolver.userHome();
    case 'pathSeparator':
    case '/':
      if (argument !== undefined) break;
      return resolver.userHome().includes('\\') ? '\\' : '/';
    case 'env':
      if (!argument) throw new VariableError(`Server "${serverName}": \${env:} in "${field}" needs a variable name.`);
      return resolver.env(argument) ?? '';
    case 'input': {
      if (!argument) throw new VariableError(`Server "${serverName}": \${input:} in "${field}" needs an input id.`);
      let value = ctx.inputs.get(argument);
      if (value === undefined) {
        value = await resolver.input(argument, { serverName, source: ctx.source, ...(ctx.signal ? { signal: ctx.signal } : {}) });
        if (value === undefined) throw new VariableError(`Server "${serverName}": no value was given for \${input:${argument}} (used in "${field}").`);
        ctx.inputs.set(argument, value);
      }
      if (value !== '') ctx.secrets.add(value);
      return value;
    }
  }
  throw new VariableError(`Server "${serverName}": unknown variable \${${expression}} in "${field}".`);
}

async function substitute(text: string, field: string, ctx: Context): Promise<string> {
  if (!text.includes('${')) return text;
  const parts: string[] = [];
  let last = 0;
  for (const match of text.matchAll(VARIABLE)) {
    if (++ctx.count > MAX_VARIABLES) throw new VariableError(`Server "${ctx.serverName}": more than ${MAX_VARIABLES} variables.`);
    parts.push(text.slice(last, match.index), await resolveVariable(match[1] ?? '', field, ctx));
    last = (match.index ?? 0) + match[0].length;
  }
  parts.push(text.slice(last));
  return parts.join('');
}

/** One after another, as substituteMap: two `${input:}` in the args must not open two input boxes at once. */
async function substituteList(list: readonly string[], field: string, ctx: Context): Promise<string[]> {
  const result: string[] = [];
  for (const [i, value] of list.entries()) result.push(await substitute(value, `${field}[${i}]`, ctx));
  return result;
}

async function substituteMap<T extends string | null>(map: Readonly<Record<string, T>>, field: string, ctx: Context): Promise<Record<string, T>> {
  const result: Record<string, T> = {};
  for (const [key, value] of Object.entries(map)) {
    result[key] = (value === null ? null : await substitute(value, `${field}.${key}`, ctx)) as T;
  }
  return result;
}

/** Substitutes every variable in every string field of a definition. Never throws. */
export async function resolveDefinitionVariables(definition: ServerDefinition, resolver: VariableResolver, signal?: AbortSignal): Promise<ResolveResult> {
  const ctx: Context = { serverName: definition.name, source: definition.source, resolver, signal, secrets: new Set(), inputs: new Map(), count: 0 };
  try {
    if (definition.type === 'stdio') {
      const resolved: StdioServerDefinition = {
        ...definition,
        command: await substitute(definition.command, 'command', ctx),
        args: await substituteList(definition.args, 'args', ctx),
        env: await substituteMap(definition.env, 'env', ctx),
        ...(definition.envFile !== undefined ? { envFile: await substitute(definition.envFile, 'envFile', ctx) } : {}),
        ...(definition.cwd !== undefined ? { cwd: await substitute(definition.cwd, 'cwd', ctx) } : {}),
      };
      return { ok: true, definition: resolved, secrets: ctx.secrets };
    }
    const url = (await substitute(definition.url, 'url', ctx)).trim();
    const urlError = checkServerUrl(url.replaceAll('${', '$'));
    if (urlError) {
      // Do not echo a URL that contains a secret.
      const shown = ctx.secrets.size ? 'the URL (after substitution)' : `"url" ${urlError}`;
      return { ok: false, error: `Server "${definition.name}": ${ctx.secrets.size ? `${shown} is not a valid http(s) URL` : shown}.` };
    }
    const resolved: HttpServerDefinition = { ...definition, url, headers: await substituteMap(definition.headers, 'headers', ctx) };
    return { ok: true, definition: resolved, secrets: ctx.secrets };
  } catch (error) {
    if (error instanceof VariableError) return { ok: false, error: error.message };
    return { ok: false, error: `Server "${definition.name}": ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** The `${input:id}` ids a definition uses, each once, in order of appearance. */
export function inputIds(definition: ServerDefinition): string[] {
  const ids = [...JSON.stringify(definition).matchAll(/\$\{input:([^}]*)\}/g)].map((m) => m[1] ?? '');
  return [...new Set(ids)];
}

/** Where an `${input:}` value is kept: under the definition that declared it (source + server name + id). */
export function inputStorageKey(source: string, serverName: string, id: string): string {
  return `mcpSampling.input.${encodeURIComponent(source)}/${encodeURIComponent(serverName)}/${encodeURIComponent(id)}`;
}

/** Redaction lives in core/secrets (one way to redact); re-exported for the connection's logs. */
export { redactSecrets } from '../secrets';
