/**
 * MCP content rules for media types: an image block's `mimeType` is an `image/*` token, an audio
 * block's an `audio/*` token, a resource's (optional) any `type/subtype` token (RFC 6838 names, no
 * parameters, no spaces), each at most MAX_MEDIA_TYPE_LENGTH characters, which is also what the
 * approval card shows in full. Anything else is refused with -32602: a media type is metadata, and
 * free text there would reach a model (or a card) as something nobody reviewed.
 */
import { LIMITS } from '../../shared/limits';
import { invalidParams } from './errors';
import type { SamplingMessage } from './types';

export const MAX_MEDIA_TYPE_LENGTH = LIMITS.mimeType;

const RESTRICTED_NAME = '[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*';
const MEDIA_TYPE = new RegExp(`^(${RESTRICTED_NAME})/${RESTRICTED_NAME}$`);

/** Whether `value` is a bounded `type/subtype` token, of top-level type `topLevel` when given. */
export function isValidMediaType(value: unknown, topLevel?: 'image' | 'audio'): value is string {
  if (typeof value !== 'string' || value.length > MAX_MEDIA_TYPE_LENGTH) return false;
  const match = MEDIA_TYPE.exec(value);
  return match !== null && (topLevel === undefined || match[1]!.toLowerCase() === topLevel);
}

type AnyBlock = Readonly<Record<string, unknown>> & { readonly type?: unknown };

function describe(value: unknown): string {
  if (typeof value !== 'string') return typeof value;
  // The refusal goes back to the server and into logs: a bounded, escaped excerpt only.
  return value.length > 40 ? `${JSON.stringify(value.slice(0, 40))}… (${value.length} characters)` : JSON.stringify(value);
}

function checkBlock(block: AnyBlock, path: string): void {
  if (block.type === 'image' || block.type === 'audio') {
    if (!isValidMediaType(block.mimeType, block.type)) {
      throw invalidParams(`${path}.mimeType: must be an ${block.type}/* media type of at most ${MAX_MEDIA_TYPE_LENGTH} characters, without spaces or parameters (got ${describe(block.mimeType)})`);
    }
  } else if (block.type === 'resource_link' || block.type === 'resource') {
    const holder = block.type === 'resource' && typeof block.resource === 'object' && block.resource !== null ? (block.resource as AnyBlock) : block;
    const where = block.type === 'resource' ? `${path}.resource.mimeType` : `${path}.mimeType`;
    if (holder.mimeType !== undefined && !isValidMediaType(holder.mimeType)) {
      throw invalidParams(`${where}: must be a media type (type/subtype) of at most ${MAX_MEDIA_TYPE_LENGTH} characters, without spaces or parameters (got ${describe(holder.mimeType)})`);
    }
  }
}

/** Throws -32602 for the first media type in `messages` (tool results included) that breaks the rules. */
export function checkMediaTypes(messages: readonly SamplingMessage[]): void {
  messages.forEach((message, m) => {
    const blocks = (Array.isArray(message.content) ? message.content : [message.content]) as AnyBlock[];
    blocks.forEach((block, b) => {
      const path = Array.isArray(message.content) ? `messages[${m}].content[${b}]` : `messages[${m}].content`;
      checkBlock(block, path);
      if (block.type === 'tool_result' && Array.isArray(block.content)) {
        (block.content as AnyBlock[]).forEach((inner, i) => checkBlock(inner, `${path}.content[${i}]`));
      }
    });
  });
}
