/**
 * What a card leaves out of a request, as data: toView.ts records each omission where it cuts, the host
 * words the card's notes in the display language (omissionText.ts), and `formatOmission` here is the one
 * English wording, for the request's text in the diff editor and for tests. No vscode import.
 */
import { LIMITS } from '../../shared/limits';

/** A block on the card. Numbers count from 1. */
export interface BlockPlace {
  /** The message and its block; absent for a block shown on its own (an answer's). */
  readonly inMessage?: { readonly message: number; readonly block: number };
  /** Inside a tool result: which of its own blocks. */
  readonly inToolResult?: number;
}

/** A text the card cuts. Numbers count from 1. */
export type OmittedField =
  | { readonly kind: 'system-prompt' | 'metadata' }
  | { readonly kind: 'stop-sequence'; readonly index: number }
  | { readonly kind: 'tool'; readonly tool: number; readonly part: 'name' | 'description' | 'input-schema' }
  /** `content` is the block's text, or the whole block read as JSON when the card has no view for its type. */
  | { readonly kind: 'block'; readonly place: BlockPlace; readonly part: 'content' | 'structured-content' | 'tool-name' | 'tool-input' | 'resource-uri' | 'resource-text' };

/** A list the card shows only the first items of. */
export type OmittedList =
  | { readonly kind: 'messages' | 'stop-sequences' | 'tools' }
  | { readonly kind: 'message-blocks'; readonly message: number }
  | { readonly kind: 'tool-result-blocks'; readonly place: BlockPlace };

export type Omission =
  | { readonly kind: 'characters'; readonly field: OmittedField; readonly count: number }
  | { readonly kind: 'items'; readonly list: OmittedList; readonly count: number }
  /** Media the card describes instead of showing (too large, or a malformed media type), with its base64 length. */
  | { readonly kind: 'media'; readonly place: BlockPlace; readonly media: 'image' | 'audio' | 'resource-blob'; readonly characters: number }
  /** A temperature out of the card's range, shown clamped. */
  | { readonly kind: 'temperature'; readonly requested: number; readonly shown: number }
  /** The omissions past the list's bound. */
  | { readonly kind: 'more'; readonly count: number };

/** Collects what a view leaves out. Bounded like the view's warnings: the last entry counts the rest. */
export class Omissions {
  private readonly list: Omission[] = [];
  private more = 0;
  add(omission: Omission): void {
    if (this.list.length < LIMITS.warnings - 1) this.list.push(omission);
    else this.more++;
  }
  result(): readonly Omission[] {
    return this.more > 0 ? [...this.list, { kind: 'more', count: this.more }] : this.list;
  }
}

const count = (n: number): string => n.toLocaleString('en-US');
const plural = (n: number, one: string, many: string): string => `${count(n)} ${n === 1 ? one : many}`;

function blockName(place: BlockPlace): string {
  const block = place.inMessage ? `Message ${place.inMessage.message} block ${place.inMessage.block}` : 'Block';
  return place.inToolResult !== undefined ? `${block} tool result block ${place.inToolResult}` : block;
}

const BLOCK_PART: Record<Extract<OmittedField, { kind: 'block' }>['part'], string> = {
  content: '',
  'structured-content': ' structured content',
  'tool-name': ' tool name',
  'tool-input': ' tool input',
  'resource-uri': ' resource URI',
  'resource-text': ' resource text',
};

function fieldName(field: OmittedField): string {
  switch (field.kind) {
    case 'system-prompt':
      return 'System prompt';
    case 'metadata':
      return 'Metadata';
    case 'stop-sequence':
      return `Stop sequence ${field.index}`;
    case 'tool':
      return `Tool ${field.tool} ${field.part === 'input-schema' ? 'input schema' : field.part}`;
    case 'block':
      return blockName(field.place) + BLOCK_PART[field.part];
  }
}

function listItems(list: OmittedList, n: number): string {
  switch (list.kind) {
    case 'messages':
      return `Messages: ${plural(n, 'more message', 'more messages')}`;
    case 'stop-sequences':
      return `Stop sequences: ${plural(n, 'more stop sequence', 'more stop sequences')}`;
    case 'tools':
      return `Tools: ${plural(n, 'more tool', 'more tools')}`;
    case 'message-blocks':
      return `Message ${list.message}: ${plural(n, 'more block', 'more blocks')}`;
    case 'tool-result-blocks':
      return `${blockName(list.place)} tool result: ${plural(n, 'more block', 'more blocks')}`;
  }
}

const MEDIA_EN: Record<Extract<Omission, { kind: 'media' }>['media'], string> = { image: 'image', audio: 'audio', 'resource-blob': 'resource blob' };

/** The English note of an omission, as the card says it when no translation is installed. */
export function formatOmission(omission: Omission): string {
  switch (omission.kind) {
    case 'characters':
      return `${fieldName(omission.field)}: ${plural(omission.count, 'character', 'characters')} not shown`;
    case 'items':
      return `${listItems(omission.list, omission.count)} not shown`;
    case 'media':
      return `${blockName(omission.place)}: ${MEDIA_EN[omission.media]} (${plural(omission.characters, 'base64 character', 'base64 characters')}) not shown`;
    case 'temperature':
      return `Temperature ${String(omission.requested)} is shown as ${String(omission.shown)}`;
    case 'more':
      return omission.count === 1 ? 'and 1 more omission' : `and ${omission.count} more omissions`;
  }
}
