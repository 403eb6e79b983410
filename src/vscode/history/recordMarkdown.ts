/**
 * Renders one history record as a Markdown document: the summary, the request as the server sent
 * it, the user's edits, and the answer. No vscode import, so unit tests can run it; the caller
 * passes `vscode.l10n.t` as the translator. Server text is untrusted: it goes into fenced blocks
 * whose fence is longer than any backtick run inside, so it cannot break out of them.
 */
import type { HistoryRecord } from '../../core/history/history';
import type { SamplingParams } from '../../core/sampling/types';
import { routeLabel } from '../../shared/routeLabel';

/** `vscode.l10n.t`'s shape: `{0}`-style placeholders. */
export type Translate = (message: string, ...args: (string | number | boolean)[]) => string;

export const englishOnly: Translate = (message, ...args) => message.replace(/\{(\d+)\}/g, (m, i: string) => (args[Number(i)] !== undefined ? String(args[Number(i)]) : m));

const MAX_BLOCK_CHARS = 100_000;

export function fenced(text: string, language = ''): string {
  const longestRun = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  const body = text.length > MAX_BLOCK_CHARS ? `${text.slice(0, MAX_BLOCK_CHARS)}\n… (${text.length - MAX_BLOCK_CHARS} more characters)` : text;
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
    const size = typeof block.data === 'string' ? `, ${block.data.length} base64 characters not shown` : '';
    return fenced(`[${String(block.type)} ${typeof block.mimeType === 'string' ? block.mimeType : ''}${size}]`, 'text');
  }
  return fenced(JSON.stringify(block, null, 2), 'json');
}

function renderContent(content: unknown): string {
  const blocks = (Array.isArray(content) ? content : [content]).filter((b): b is Block => typeof b === 'object' && b !== null);
  return blocks.map(renderBlock).join('\n\n');
}

function renderParams(params: SamplingParams, t: Translate): string {
  const parts: string[] = [];
  if (params.systemPrompt) parts.push(`**${t('System prompt')}**\n\n${fenced(params.systemPrompt, 'text')}`);
  for (const [index, message] of params.messages.entries()) {
    parts.push(`**${t('Message {0} ({1})', index + 1, String(message.role))}**\n\n${renderContent(message.content)}`);
  }
  const { systemPrompt: _s, messages: _m, ...rest } = params;
  if (Object.keys(rest).length > 0) parts.push(`**${t('Options')}**\n\n${fenced(JSON.stringify(rest, null, 2), 'json')}`);
  return parts.join('\n\n');
}

function callerOf(record: HistoryRecord): string | undefined {
  return record.toolCall?.caller ?? record.runningToolCall?.caller ?? record.caller;
}

export function recordToMarkdown(record: HistoryRecord, t: Translate = englishOnly): string {
  const rows: [string, string][] = [
    [t('Server'), `${record.serverName} (${record.serverSource})`],
    [t('Route'), routeLabel(record.route, record.protocolVersion)],
    ...(record.toolCall ? ([[t('Tool call'), record.toolCall.name]] as [string, string][]) : []),
    ...(record.runningToolCall ? ([[t('Running when it arrived'), record.runningToolCall.name]] as [string, string][]) : []),
    ...(callerOf(record) ? ([[t('Called by'), callerOf(record)!]] as [string, string][]) : []),
    [t('Received'), new Date(record.receivedAt).toISOString()],
    [t('Latency'), formatLatency(record.latencyMs)],
    [t('Decision'), record.decision],
    [t('Outcome'), record.outcome],
    ...(record.choice ? ([[t('Provider'), `${record.choice.providerId} — ${record.choice.reason}`]] as [string, string][]) : []),
    [t('Model'), record.model ?? record.choice?.model ?? '—'],
    [t('Tokens'), record.usage ? t('{0} in, {1} out', record.usage.inputTokens ?? '?', record.usage.outputTokens ?? '?') : t('not reported')],
  ];
  const out: string[] = [
    `# ${t('Sampling request from {0}', cell(record.serverName))}`,
    '',
    `| ${t('Field')} | ${t('Value')} |`,
    '| --- | --- |',
    ...rows.map(([k, v]) => `| ${cell(k)} | ${cell(v)} |`),
    '',
  ];
  out.push(`## ${t('Request')}`, '', record.request ? renderParams(record.request, t) : t('(The request was not valid, so it was not kept.)'), '');
  if (record.editedRequest) out.push(`## ${t('Edited request (as sent to the model)')}`, '', renderParams(record.editedRequest, t), '');
  if (record.result) {
    const notes = [record.result.edited ? t('edited by the user') : '', record.result.regenerations > 0 ? t('regenerated {0} times', record.result.regenerations) : '', record.result.stopReason ? t('stop reason: {0}', record.result.stopReason) : '']
      .filter(Boolean)
      .join(', ');
    out.push(`## ${t('Answer')}`, '', ...(notes ? [`*${notes}*`, ''] : []), renderContent(record.result.content), '');
  }
  if (record.error) out.push(`## ${t('Error')}`, '', fenced(`${record.error.code !== undefined ? `${record.error.code}: ` : ''}${record.error.message}`, 'text'), '');
  return out.join('\n');
}
