/**
 * What the approval card warns about, as data: core decides the warnings, the host words them in the
 * display language for the card (src/vscode/panel/warningText.ts), and `formatWarning` here is the
 * one English wording, for logs and tests. Code points and Unicode names stay as they are in both.
 */
import { formatCodePoint, summarizeHiddenCharacters, type HiddenCharacterSummary } from '../../shared/hiddenCharacters';

export type { HiddenCharacterSummary };

/** Which part of a message block holds the text (a tool result's own blocks say `inToolResult`). */
export type MessagePart =
  | { readonly kind: 'text' | 'resource' | 'resource-link' | 'tool-use-name' | 'tool-use-input' | 'structured-content' }
  /** The media type of an image or audio block: the one field of theirs a provider may turn into text. */
  | { readonly kind: 'media-type'; readonly media: 'image' | 'audio' }
  /** Any other block, read as JSON, named by the type it has. */
  | { readonly kind: 'block'; readonly type: string };

/** Where a text with hidden characters is. Message and block numbers count from 1. */
export type WarningField =
  | { readonly kind: 'system-prompt' | 'server-name' | 'tool-call-name' | 'running-tool-call-name' }
  | {
      readonly kind: 'message';
      readonly message: number;
      readonly role: string;
      /** Absent when the message's content is a single block rather than a list. */
      readonly block?: number;
      readonly inToolResult?: true;
      readonly part: MessagePart;
    }
  | { readonly kind: 'tool'; readonly tool: string; readonly part: 'name' | 'description' | 'inputSchema' };

/** Why an "auto" approval was not applied to a server a workspace defines (core/sampling/approvalScope.ts). */
export type NotAppliedReason = 'other-definition' | 'no-definition' | 'workspace-server';

export type RequestWarning =
  | { readonly kind: 'hidden-characters'; readonly field: WarningField; readonly found: HiddenCharacterSummary }
  | { readonly kind: 'approval-not-applied'; readonly reason: NotAppliedReason; readonly setting: string; readonly serverName: string; readonly source: string }
  | { readonly kind: 'max-tokens-lowered'; readonly requested: number; readonly cap: number; readonly setting: string }
  /** The prompt's estimate (characters / 4) is over what the chosen model accepts. */
  | { readonly kind: 'prompt-over-limit'; readonly estimate: number; readonly limit: number; readonly model: string };

/** The warning for one field's hidden characters, or undefined when its text is clean. */
export function hiddenCharacterWarning(field: WarningField, text: string): RequestWarning | undefined {
  const found = summarizeHiddenCharacters(text);
  return found ? { kind: 'hidden-characters', field, found } : undefined;
}

/** "U+202E RIGHT-TO-LEFT OVERRIDE": the same in every language. */
export function characterKind(kind: HiddenCharacterSummary['kinds'][number]): string {
  return `${formatCodePoint(kind.codePoint)} ${kind.name}`;
}

const PART_EN: Record<Exclude<MessagePart['kind'], 'media-type' | 'block'>, string> = {
  text: '',
  resource: ' resource',
  'resource-link': ' resource link',
  'tool-use-name': ' tool_use name',
  'tool-use-input': ' tool_use input',
  'structured-content': ' structuredContent',
};

function fieldName(field: WarningField): string {
  switch (field.kind) {
    case 'system-prompt':
      return 'System prompt';
    case 'server-name':
      return 'Server name';
    case 'tool-call-name':
      return 'Tool call name';
    case 'running-tool-call-name':
      return 'Running tool call name';
    case 'tool':
      return field.part === 'name' ? `Tool name "${field.tool}"` : `Tool "${field.tool}" ${field.part}`;
    case 'message': {
      const where = `Message ${field.message} (${field.role})${field.block !== undefined ? `, block ${field.block}` : ''}${field.inToolResult ? ' tool_result' : ''}`;
      const part = field.part;
      if (part.kind === 'media-type') return `${where} ${part.media} mimeType`;
      if (part.kind === 'block') return `${where} ${part.type}`;
      return where + PART_EN[part.kind];
    }
  }
}

/** The English sentence of a warning, for logs and tests (the card's is the host's, localized). */
export function formatWarning(warning: RequestWarning): string {
  switch (warning.kind) {
    case 'hidden-characters': {
      const { found } = warning;
      const count = found.atLeast ? `at least ${found.count}` : String(found.count);
      const kind = found.bidi ? 'hidden or bidi-override characters' : 'hidden characters';
      const more = found.moreKinds > 0 ? `, and ${found.moreKinds} more kinds` : '';
      return `${fieldName(warning.field)} contains ${count} ${kind}: ${found.kinds.map(characterKind).join(', ')}${more}`;
    }
    case 'approval-not-applied': {
      const { setting, serverName, source } = warning;
      const why =
        warning.reason === 'other-definition'
          ? `${setting} is "auto" for another definition of "${serverName}", not the one in ${source}`
          : warning.reason === 'no-definition'
            ? `${setting} is "auto" but names no definition, and "${serverName}" is defined by a workspace (${source})`
            : `${setting} is "auto", which does not apply to a server a workspace defines (${source})`;
      return `${why}: you are asked. "Always allow" allows this definition only.`;
    }
    case 'max-tokens-lowered':
      return `maxTokens lowered from ${warning.requested} to ${warning.cap} by ${warning.setting}`;
    case 'prompt-over-limit':
      return `The prompt is about ${warning.estimate} tokens (estimated as characters / 4), more than the ${warning.limit} that ${warning.model} accepts`;
  }
}
