/**
 * The card's warnings in the display language: core decides them as data (core/approval/warnings.ts,
 * whose `formatWarning` is the English of logs and tests); here each becomes a `vscode.l10n.t` sentence.
 * Protocol words (tool_use, structuredContent, mimeType, roles), setting keys, code points and Unicode
 * character names are not translated: they are what the user finds in the request and the settings.
 */
import * as vscode from 'vscode';
import { characterKind, type HiddenCharacterSummary, type RequestWarning, type WarningField } from '../../core/approval/warnings';

type MessageField = Extract<WarningField, { kind: 'message' }>;

function messageText(field: MessageField): string {
  const message = field.block !== undefined ? vscode.l10n.t('Message {0} ({1}), block {2}', field.message, field.role, field.block) : vscode.l10n.t('Message {0} ({1})', field.message, field.role);
  const where = field.inToolResult ? vscode.l10n.t('{0} tool_result', message) : message;
  const part = field.part;
  switch (part.kind) {
    case 'text':
      return where;
    case 'resource':
      return vscode.l10n.t('{0} resource', where);
    case 'resource-link':
      return vscode.l10n.t('{0} resource link', where);
    case 'media-type':
      return vscode.l10n.t('{0} {1} mimeType', where, part.media);
    case 'tool-use-name':
      return vscode.l10n.t('{0} tool_use name', where);
    case 'tool-use-input':
      return vscode.l10n.t('{0} tool_use input', where);
    case 'structured-content':
      return vscode.l10n.t('{0} structuredContent', where);
    case 'block':
      // Another block, named by its type as the server sent it: nothing to translate.
      return `${where} ${part.type}`;
  }
}

function fieldText(field: WarningField): string {
  switch (field.kind) {
    case 'system-prompt':
      return vscode.l10n.t('System prompt');
    case 'server-name':
      return vscode.l10n.t('Server name');
    case 'tool-call-name':
      return vscode.l10n.t('Tool call name');
    case 'running-tool-call-name':
      return vscode.l10n.t('Running tool call name');
    case 'tool':
      if (field.part === 'name') return vscode.l10n.t('Tool name "{0}"', field.tool);
      return field.part === 'description' ? vscode.l10n.t('Tool "{0}" description', field.tool) : vscode.l10n.t('Tool "{0}" inputSchema', field.tool);
    case 'message':
      return messageText(field);
  }
}

function hiddenText(field: string, found: HiddenCharacterSummary): string {
  const named = found.kinds.map(characterKind).join(', ');
  const kinds = found.moreKinds === 0 ? named : found.moreKinds === 1 ? vscode.l10n.t('{0}, and 1 more kind', named) : vscode.l10n.t('{0}, and {1} more kinds', named, found.moreKinds);
  if (found.atLeast) {
    return found.bidi
      ? vscode.l10n.t('{0} contains at least {1} hidden or bidi-override characters: {2}', field, found.count, kinds)
      : vscode.l10n.t('{0} contains at least {1} hidden characters: {2}', field, found.count, kinds);
  }
  if (found.count === 1) {
    return found.bidi ? vscode.l10n.t('{0} contains 1 hidden or bidi-override character: {1}', field, kinds) : vscode.l10n.t('{0} contains 1 hidden character: {1}', field, kinds);
  }
  return found.bidi
    ? vscode.l10n.t('{0} contains {1} hidden or bidi-override characters: {2}', field, found.count, kinds)
    : vscode.l10n.t('{0} contains {1} hidden characters: {2}', field, found.count, kinds);
}

/** One warning as the card says it, in the display language. */
export function cardWarning(warning: RequestWarning): string {
  switch (warning.kind) {
    case 'hidden-characters':
      return hiddenText(fieldText(warning.field), warning.found);
    case 'approval-not-applied': {
      const { setting, serverName, source } = warning;
      if (warning.reason === 'other-definition') {
        return vscode.l10n.t('{0} is "auto" for another definition of "{1}", not the one in {2}: you are asked. "Always allow" allows this definition only.', setting, serverName, source);
      }
      if (warning.reason === 'no-definition') {
        return vscode.l10n.t('{0} is "auto" but names no definition, and "{1}" is defined by a workspace ({2}): you are asked. "Always allow" allows this definition only.', setting, serverName, source);
      }
      return vscode.l10n.t('{0} is "auto", which does not apply to a server a workspace defines ({1}): you are asked. "Always allow" allows this definition only.', setting, source);
    }
    case 'max-tokens-lowered':
      return vscode.l10n.t('maxTokens lowered from {0} to {1} by {2}', warning.requested, warning.cap, warning.setting);
    case 'prompt-over-limit':
      return vscode.l10n.t('The prompt is about {0} tokens (estimated as characters / 4), more than the {1} that {2} accepts', warning.estimate, warning.limit, warning.model);
  }
}
