import { isRecord } from '../shared/isRecord';
/**
 * Arguments for calling a tool without a human: each property's default, else its first enum
 * value, else a plain value of its type. Used by `--call-all` (and so by the conformance scenarios).
 */

const MAX_PROPERTIES = 100;

function sampleValue(schema: Record<string, unknown>, depth: number): unknown {
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (schema.const !== undefined) return schema.const;
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'number':
    case 'integer':
      return typeof schema.minimum === 'number' ? schema.minimum : 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'object':
      return depth < 4 ? sampleArguments(schema, depth + 1) : {};
    default:
      return 'test';
  }
}

export function sampleArguments(inputSchema: unknown, depth = 0): Record<string, unknown> {
  if (!isRecord(inputSchema) || !isRecord(inputSchema.properties)) return {};
  const args: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(inputSchema.properties).slice(0, MAX_PROPERTIES)) {
    if (isRecord(property)) args[name] = sampleValue(property, depth);
  }
  return args;
}
