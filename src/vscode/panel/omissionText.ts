/**
 * The card's "not shown" notes in the display language: toView.ts records what it leaves out as data
 * (omissions.ts, whose `formatOmission` is the English of the diff's request text and of tests); here each
 * becomes a `vscode.l10n.t` sentence, with its counts grouped as the display language groups numbers.
 * A temperature is the request's own number, written as it is.
 */
import * as vscode from 'vscode';
import type { BlockPlace, Omission, OmittedField, OmittedList } from './omissions';
import type { CardWords } from './toView';
import { cardWarning } from './warningText';

/** The display language's number format, made again only when the language differs (tests switch it). */
let numbers: { readonly language: string; readonly format: Intl.NumberFormat } | undefined;
function count(n: number): string {
  const language = vscode.env.language;
  if (numbers?.language !== language) {
    let format: Intl.NumberFormat;
    try {
      format = new Intl.NumberFormat(language);
    } catch {
      // A language tag Intl does not know groups as English does.
      format = new Intl.NumberFormat('en-US');
    }
    numbers = { language, format };
  }
  return numbers.format.format(n);
}

function blockText(place: BlockPlace): string {
  const block = place.inMessage ? vscode.l10n.t('Message {0} block {1}', place.inMessage.message, place.inMessage.block) : vscode.l10n.t('Block');
  return place.inToolResult !== undefined ? vscode.l10n.t('{0} tool result block {1}', block, place.inToolResult) : block;
}

function fieldText(field: OmittedField): string {
  switch (field.kind) {
    case 'system-prompt':
      return vscode.l10n.t('System prompt');
    case 'metadata':
      return vscode.l10n.t('Metadata');
    case 'stop-sequence':
      return vscode.l10n.t('Stop sequence {0}', field.index);
    case 'tool':
      if (field.part === 'name') return vscode.l10n.t('Tool {0} name', field.tool);
      return field.part === 'description' ? vscode.l10n.t('Tool {0} description', field.tool) : vscode.l10n.t('Tool {0} input schema', field.tool);
    case 'block':
      switch (field.part) {
        case 'content':
          return blockText(field.place);
        case 'structured-content':
          return vscode.l10n.t('{0} structured content', blockText(field.place));
        case 'tool-name':
          return vscode.l10n.t('{0} tool name', blockText(field.place));
        case 'tool-input':
          return vscode.l10n.t('{0} tool input', blockText(field.place));
        case 'resource-uri':
          return vscode.l10n.t('{0} resource URI', blockText(field.place));
        case 'resource-text':
          return vscode.l10n.t('{0} resource text', blockText(field.place));
      }
  }
}

/** "Tools: 3 more tools not shown": the list's name and the count in one sentence, singular apart. */
function itemsText(list: OmittedList, n: number): string {
  const one = n === 1;
  switch (list.kind) {
    case 'messages':
      return one ? vscode.l10n.t('Messages: 1 more message not shown') : vscode.l10n.t('Messages: {0} more messages not shown', count(n));
    case 'stop-sequences':
      return one ? vscode.l10n.t('Stop sequences: 1 more stop sequence not shown') : vscode.l10n.t('Stop sequences: {0} more stop sequences not shown', count(n));
    case 'tools':
      return one ? vscode.l10n.t('Tools: 1 more tool not shown') : vscode.l10n.t('Tools: {0} more tools not shown', count(n));
    case 'message-blocks': {
      const message = vscode.l10n.t('Message {0}', list.message);
      return one ? vscode.l10n.t('{0}: 1 more block not shown', message) : vscode.l10n.t('{0}: {1} more blocks not shown', message, count(n));
    }
    case 'tool-result-blocks': {
      const result = vscode.l10n.t('{0} tool result', blockText(list.place));
      return one ? vscode.l10n.t('{0}: 1 more block not shown', result) : vscode.l10n.t('{0}: {1} more blocks not shown', result, count(n));
    }
  }
}

function mediaText(omission: Extract<Omission, { kind: 'media' }>): string {
  const where = blockText(omission.place);
  const n = omission.characters;
  switch (omission.media) {
    case 'image':
      return n === 1 ? vscode.l10n.t('{0}: image (1 base64 character) not shown', where) : vscode.l10n.t('{0}: image ({1} base64 characters) not shown', where, count(n));
    case 'audio':
      return n === 1 ? vscode.l10n.t('{0}: audio (1 base64 character) not shown', where) : vscode.l10n.t('{0}: audio ({1} base64 characters) not shown', where, count(n));
    case 'resource-blob':
      return n === 1 ? vscode.l10n.t('{0}: resource blob (1 base64 character) not shown', where) : vscode.l10n.t('{0}: resource blob ({1} base64 characters) not shown', where, count(n));
  }
}

/** One "not shown" note as the card says it, in the display language. */
export function cardOmission(omission: Omission): string {
  switch (omission.kind) {
    case 'characters': {
      const field = fieldText(omission.field);
      return omission.count === 1 ? vscode.l10n.t('{0}: 1 character not shown', field) : vscode.l10n.t('{0}: {1} characters not shown', field, count(omission.count));
    }
    case 'items':
      return itemsText(omission.list, omission.count);
    case 'media':
      return mediaText(omission);
    case 'temperature':
      return vscode.l10n.t('Temperature {0} is shown as {1}', String(omission.requested), String(omission.shown));
    case 'more':
      return omission.count === 1 ? vscode.l10n.t('and 1 more omission') : vscode.l10n.t('and {0} more omissions', omission.count);
  }
}

/** The card's words in the display language, for toView's `toRequestView`. */
export const CARD_WORDS: CardWords = { warning: cardWarning, omission: cardOmission };
