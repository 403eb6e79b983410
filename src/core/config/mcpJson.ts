/** Reads VS Code's mcp.json (JSONC): its `servers`, and its `inputs` as metadata for prompting. */
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { parseServersObject, type DefinitionError, type ServerDefinition } from './serverDefinition';
import { isRecord } from '../../shared/isRecord';

/** An `inputs` entry: how to ask for `${input:id}` (the vscode side uses it when prompting). */
export interface InputDefinition {
  readonly id: string;
  readonly type: string;
  readonly description?: string;
  readonly password: boolean;
  readonly default?: string;
  readonly options?: readonly string[];
}

export interface McpJsonResult {
  readonly definitions: ServerDefinition[];
  readonly errors: DefinitionError[];
  readonly inputs: InputDefinition[];
}

/** 1-based line and column of an offset, for messages a person can find in the editor. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

export interface JsoncParseOutcome {
  readonly value: unknown;
  readonly errors: string[];
}

/** Parses JSONC, describing each syntax error with its line and column. */
export function parseJsonc(text: string, source: string): JsoncParseOutcome {
  const parseErrors: ParseError[] = [];
  const value: unknown = parse(text, parseErrors, { allowTrailingComma: true, disallowComments: false });
  const errors = parseErrors.map((e) => {
    const { line, column } = positionAt(text, e.offset);
    return `${source}:${line}:${column}: ${printParseErrorCode(e.error)}`;
  });
  return { value, errors };
}

function parseInputs(raw: unknown, source: string, errors: DefinitionError[]): InputDefinition[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    errors.push({ source, message: `"inputs" in ${source} must be an array.` });
    return [];
  }
  const inputs: InputDefinition[] = [];
  for (const item of raw) {
    if (!isRecord(item) || typeof item['id'] !== 'string') {
      errors.push({ source, message: `An entry of "inputs" in ${source} has no string "id".` });
      continue;
    }
    const options = Array.isArray(item['options']) ? item['options'].filter((o): o is string => typeof o === 'string') : undefined;
    inputs.push({
      id: item['id'],
      type: typeof item['type'] === 'string' ? item['type'] : 'promptString',
      ...(typeof item['description'] === 'string' ? { description: item['description'] } : {}),
      password: item['password'] === true,
      ...(typeof item['default'] === 'string' ? { default: item['default'] } : {}),
      ...(options ? { options } : {}),
    });
  }
  return inputs;
}

/**
 * Parses mcp.json text. A syntax error is reported with its position; definitions that still parse
 * are kept (jsonc-parser recovers), so one typo does not hide every server.
 */
export function parseMcpJson(text: string, source: string): McpJsonResult {
  // A new, empty file is "no servers yet", not a mistake.
  if (text.trim() === '') return { definitions: [], errors: [], inputs: [] };
  const { value, errors: syntaxErrors } = parseJsonc(text, source);
  const errors: DefinitionError[] = syntaxErrors.map((message) => ({ source, message }));
  if (value === undefined) {
    if (errors.length === 0) errors.push({ source, message: `${source} holds no JSON object.` });
    return { definitions: [], errors, inputs: [] };
  }
  if (!isRecord(value)) {
    errors.push({ source, message: `${source} must hold a JSON object with a "servers" object.` });
    return { definitions: [], errors, inputs: [] };
  }
  if (value['servers'] === undefined && value['mcpServers'] !== undefined) {
    // The key of .mcp.json and Claude Desktop: a file copied from there would otherwise load nothing and say nothing.
    errors.push({ source, message: `${source} lists its servers under "mcpServers"; mcp.json lists them under "servers". Rename the key, or move the file to the workspace folder's root as .mcp.json, which is read with "mcpServers".` });
  }
  const servers = parseServersObject(value['servers'], source);
  const inputs = parseInputs(value['inputs'], source, errors);
  return { definitions: servers.definitions, errors: [...errors, ...servers.errors], inputs };
}
