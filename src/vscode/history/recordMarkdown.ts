/**
 * Renders one history record as a Markdown document: the summary, the request as the server sent
 * it, the user's edits, and the answer. No vscode import, so unit tests can run it: it translates
 * with `@vscode/l10n`, which the composition root hands the editor's bundle; the
 * strings are in l10n/bundle.l10n.json like the rest. Server text is untrusted: it goes into fenced
 * blocks whose fence is longer than any backtick run inside, so it cannot break out of them.
 */
import * as l10n from '@vscode/l10n';
import type { HistoryRecord } from '../../core/history/history';
import type { SamplingParams } from '../../core/sampling/types';
import { routeLabel } from '../../shared/routeLabel';

export function decisionLabel(decision: HistoryRecord['decision']): string {
  switch (decision) {
    case 'auto':
      return l10n.t('auto-approved');
    case 'session':
      return l10n.t('allowed for the session');
    case 'approved':
      return l10n.t('approved');
    case 'rejected':
      return l10n.t('rejected');
    case 'refused':
      return l10n.t('refused by policy');
    case 'invalid':
      return l10n.t('invalid request');
    case 'pending':
      return l10n.t('ended while pending');
    default:
      return String(decision);
  }
}

export function outcomeLabel(outcome: HistoryRecord['outcome']): string {
  switch (outcome) {
    case 'answered':
      return l10n.t('answered');
    case 'rejected':
      return l10n.t('rejected');
    case 'cancelled':
      return l10n.t('cancelled');
    case 'failed':
      return l10n.t('failed');
    default:
      return String(outcome);
  }
}

const MAX_BLOCK_CHARS = 100_000;

export function fenced(text: string, language = ''): string {
  const longestRun = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  const body = text.length > MAX_BLOCK_CHARS ? `${text.slice(0, MAX_BLOCK_CHARS)}\n${l10n.t('… ({0} more characters)', text.length - MAX_BLOCK_CHARS)}` : text;
  return `${fence}${language}\n${body}\n${fence}`;
}

/** Table cells hold server text too: no pipes or newlines may escape the cell. */
function cell(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').slice(0, 500);
}

export function formatLatency(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

type Block = { type?: unknown; text?: unknown; mimeType?: unknown; name?: unknown; input?: unknown; content?: unknown; data?: unknown };

function renderBlock(block: Block): string {
  if (block.type === 'text' && typeof block.text === 'string') return fenced(block.text, 'text');
  // The media type is server text too: inside the fence, never as Markdown.
  if (block.type === 'image' || block.type === 'audio') {
    const size = typeof block.data === 'string' ? `, ${l10n.t('{0} base64 characters not shown', block.data.length)}` : '';
    return fenced(`[${String(block.type)} ${typeof block.mimeType === 'string' ? block.mimeType : ''}${size}]`, 'text');
  }
  return fenced(JSON.stringify(block, null, 2), 'json');
}

function renderContent(content: unknown): string {
  const blocks = (Array.isArray(content) ? content : [content]).filter((b): b is Block => typeof b === 'object' && b !== null);
  return blocks.map(renderBlock).join('\n\n');
}

function renderParams(params: SamplingParams): string {
  const parts: string[] = [];
  if (params.systemPrompt) parts.push(`**${l10n.t('System prompt')}**\n\n${fenced(params.systemPrompt, 'text')}`);
  for (const [index, message] of params.messages.entries()) {
    parts.push(`**${l10n.t('Message {0} ({1})', index + 1, String(message.role))}**\n\n${renderContent(message.content)}`);
  }
  const { systemPrompt: _s, messages: _m, ...rest } = params;
  if (Object.keys(rest).length > 0) parts.push(`**${l10n.t('Options')}**\n\n${fenced(JSON.stringify(rest, null, 2), 'json')}`);
  return parts.join('\n\n');
}

function callerOf(record: HistoryRecord): string | undefined {
  return record.toolCall?.caller ?? record.runningToolCall?.caller ?? record.caller;
}

export function recordToMarkdown(record: HistoryRecord): string {
  const rows: [string, string][] = [
    [l10n.t('Server'), `${record.serverName} (${record.serverSource})`],
    [l10n.t('Route'), routeLabel(record.route, record.protocolVersion)],
    ...(record.toolCall ? ([[l10n.t('Tool call'), record.toolCall.name]] as [string, string][]) : []),
    ...(record.runningToolCall ? ([[l10n.t('Running when it arrived'), record.runningToolCall.name]] as [string, string][]) : []),
    ...(callerOf(record) ? ([[l10n.t('Called by'), callerOf(record)!]] as [string, string][]) : []),
    [l10n.t('Received'), new Date(record.receivedAt).toISOString()],
    [l10n.t('Latency'), formatLatency(record.latencyMs)],
    [l10n.t('Decision'), decisionLabel(record.decision)],
    [l10n.t('Outcome'), outcomeLabel(record.outcome)],
    ...(record.choice ? ([[l10n.t('Provider'), `${record.choice.providerId} — ${record.choice.reason}`]] as [string, string][]) : []),
    [l10n.t('Model'), record.model ?? record.choice?.model ?? '—'],
    [l10n.t('Tokens'), record.usage ? l10n.t('{0} in, {1} out', record.usage.inputTokens ?? '?', record.usage.outputTokens ?? '?') : l10n.t('not reported')],
  ];
  const out: string[] = [
    `# ${l10n.t('Sampling request from {0}', cell(record.serverName))}`,
    '',
    `| ${l10n.t('Field')} | ${l10n.t('Value')} |`,
    '| --- | --- |',
    ...rows.map(([k, v]) => `| ${cell(k)} | ${cell(v)} |`),
    '',
  ];
  out.push(`## ${l10n.t('Request')}`, '', record.request ? renderParams(record.request) : l10n.t('(The request was not valid, so it was not kept.)'), '');
  if (record.editedRequest) out.push(`## ${l10n.t('Edited request (as sent to the model)')}`, '', renderParams(record.editedRequest), '');
  if (record.result) {
    const notes = [record.result.edited ? l10n.t('edited by the user') : '', record.result.regenerations === 1 ? l10n.t('regenerated once') : record.result.regenerations > 1 ? l10n.t('regenerated {0} times', record.result.regenerations) : '', record.result.stopReason ? l10n.t('stop reason: {0}', record.result.stopReason) : '']
      .filter(Boolean)
      .join(', ');
    out.push(`## ${l10n.t('Answer')}`, '', ...(notes ? [`*${notes}*`, ''] : []), renderContent(record.result.content), '');
  }
  if (record.error) out.push(`## ${l10n.t('Error')}`, '', fenced(`${record.error.code !== undefined ? `${record.error.code}: ` : ''}${record.error.message}`, 'text'), '');
  return out.join('\n');
}
