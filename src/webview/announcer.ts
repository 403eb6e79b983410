/**
 * What the panel tells a screen reader without moving focus: one visually hidden polite live region.
 * A new request, a request's change of step, and a streamed answer's completion are announced once
 * each; streaming text itself is not read out piece by piece.
 */
import { t } from './strings';
import type { RequestView } from '../shared/protocol';
import { h } from './dom';
import { outcomeLabel, stateLabel } from './card';

export interface Announcer {
  readonly element: HTMLElement;
  /** Compares a request's new view with the one shown before and announces what changed. */
  requestChanged(before: RequestView | undefined, after: RequestView): void;
  say(message: string): void;
}

export function createAnnouncer(): Announcer {
  const element = h('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true', 'data-role': 'announcer' });
  // Clearing first makes a screen reader read the same sentence again when it repeats.
  const say = (message: string): void => {
    element.textContent = '';
    element.textContent = message;
  };
  return {
    element,
    say,
    requestChanged(before, after) {
      const server = after.serverName;
      const warnings = after.warnings.length + (after.notShown?.length ? 1 : 0);
      const step = stateLabel(after.step).toLowerCase();
      if (!before) say(warnings === 0 ? t('announceNew', server, step) : warnings === 1 ? t('announceNewWithWarning', server, step) : t('announceNewWithWarnings', server, warnings, step));
      else if (after.closed && !before.closed) say(t('announceStep', server, outcomeLabel(after.closed.outcome).toLowerCase()));
      else if (before.state === 'streaming' && after.state !== 'streaming') say(t(after.step === 'review' ? 'announceAnswerToReview' : 'announceAnswerComplete', server));
      else if (before.step !== after.step) say(t('announceStep', server, step));
    },
  };
}
