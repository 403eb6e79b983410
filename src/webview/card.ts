/**
 * One request's card. The data-* attributes are a contract with the end-to-end tests:
 * the card has data-request-id, data-server, data-state (pending|streaming|review|closed) and data-step;
 * every control has data-action; the answer area is data-role="response"; a closed request's reason is
 * in data-role="closed-reason". Its parts: requestSections (the request), approvalActions (the
 * decision), responseSection (the answer).
 */
import { t } from './strings';
import type { RequestView } from '../shared/protocol';
import type { RouteName } from '../shared/routeLabel';
import { approvalActions, type CardUi } from './approvalActions';
import { button, nextId } from './controls';
import { h, text } from './dom';
import { computeEdits, editedTokenEstimate, type Draft } from './drafts';
import { modelSection, paramsSection, promptSection } from './requestSections';
import { responseSection } from './responseSection';

export type { CardUi } from './approvalActions';

const OUTCOME_KEY = { answered: 'outcomeAnswered', rejected: 'outcomeRejected', cancelled: 'outcomeCancelled', failed: 'outcomeFailed' } as const;
const ROUTE_KEY = { 'server-request': 'routeServerRequest', 'input-required': 'routeInputRequired', 'openai-endpoint': 'routeOpenaiCall' } as const;
const STATE_KEY = { approval: 'stateApproval', answering: 'stateAnswering', 'manual-reply': 'stateManualReply', review: 'stateReview', done: 'stateDone' } as const;

export const outcomeLabel = (outcome: NonNullable<RequestView['closed']>['outcome']): string => t(OUTCOME_KEY[outcome]);
export const stateLabel = (step: RequestView['step']): string => t(STATE_KEY[step]);
/** The same words as routeLabel (the history's), in the panel's language. */
const routeText = (route: RouteName, protocolVersion?: string): string => (protocolVersion ? t('routeWithVersion', t(ROUTE_KEY[route]), protocolVersion) : t(ROUTE_KEY[route]));

function header(view: RequestView): HTMLElement {
  const headingId = nextId('req-title');
  const meta = [
    view.serverSource && t('attributionFrom', view.serverSource),
    view.toolCallName && t('attributionDuringToolCall', view.toolCallName),
    view.runningToolName && t('attributionWhileRunning', view.runningToolName),
    routeText(view.route, view.protocolVersion),
  ]
    .filter(Boolean)
    .join(' · ');
  return h(
    'header',
    { class: 'request-header' },
    h(
      'h2',
      { id: headingId },
      view.route === 'openai-endpoint' ? t('openaiCallFrom') : '',
      text('span', view.serverName, { class: 'server-name' }), ' ', h('vscode-badge', {}, view.closed ? outcomeLabel(view.closed.outcome) : stateLabel(view.step))),
    view.toolCaller !== undefined && text('p', t('calledBy', view.toolCaller), { class: 'caller', 'data-role': 'caller' }),
    text('p', `${meta} · ${t('receivedAt', new Date(view.receivedAt).toLocaleTimeString())}`, { class: 'muted' }),
  );
}

function warnings(view: RequestView): HTMLElement | false {
  return (
    view.warnings.length > 0 &&
    // A group, not an alert: a card is redrawn on every update and would repeat it; the announcer says a new request has warnings.
    h('div', { class: 'warnings', role: 'group', 'aria-label': t('warnings'), 'data-role': 'warnings' }, text('strong', t('warnings')), h('ul', {}, ...view.warnings.map((w) => text('li', w))))
  );
}

/** What the panel leaves out although the model receives it, with the full request one click away. */
function notShown(view: RequestView): HTMLElement | false {
  const items = view.notShown ?? [];
  return (
    items.length > 0 &&
    h(
      'div',
      { class: 'not-shown warnings', 'data-role': 'not-shown' },
      text('strong', items.length === 1 ? t('notShownOne') : t('notShownMany', items.length)),
      h('ul', {}, ...items.map((w) => text('li', w))),
      button('open-full-request', t('openFullRequest'), t('openFullRequestContext')),
    )
  );
}

export function renderCard(view: RequestView, draft: Draft, ui: CardUi): HTMLElement {
  const editable = view.state === 'pending' && view.step === 'approval';
  // An article, not a section: cards are not landmarks (a queue would repeat their names).
  const card = h('article', {
    class: `request state-${view.state}`,
    'data-request-id': view.requestId,
    'data-server': view.serverName,
    'data-state': view.state,
    'data-step': view.step,
    'aria-label': t('cardLabel', view.serverName),
    tabindex: -1,
  });
  card.append(
    header(view),
    view.closed ? text('p', t('closedReason', outcomeLabel(view.closed.outcome), view.closed.reason), { class: 'closed-reason', 'data-role': 'closed-reason', role: 'status' }) : '',
    view.error !== undefined ? text('p', view.error, { class: 'error', role: 'alert', 'data-role': 'error' }) : '',
    warnings(view) || '',
    notShown(view) || '',
    modelSection(view, draft, editable, editable ? editedTokenEstimate(view, computeEdits(view, draft).edits) : view.tokenEstimate),
    promptSection(view, draft, editable),
    paramsSection(view, draft, editable),
    editable ? approvalActions(view, draft, ui) : '',
    responseSection(view, draft) || '',
  );
  return card;
}

/** A request shown before a window reload: the pipeline rejected it, so it is gone. */
export function renderStaleCard(summary: { requestId: string; serverName: string }): HTMLElement {
  return h(
    'article',
    { class: 'request state-closed stale', 'data-request-id': summary.requestId, 'data-server': summary.serverName, 'data-state': 'closed', 'data-step': 'done', 'aria-label': t('staleCardLabel', summary.serverName) },
    h('header', { class: 'request-header' }, h('h2', {}, text('span', summary.serverName, { class: 'server-name' }))),
    text('p', t('staleReason'), { class: 'closed-reason', 'data-role': 'closed-reason', role: 'status' }),
  );
}
