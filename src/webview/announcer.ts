/**
 * What the panel tells a screen reader without moving focus: one visually hidden polite live region.
 * A new request, a request's change of step, and a streamed answer's completion are announced once
 * each; streaming text itself is not read out piece by piece.
 */
import type { RequestView } from '../shared/protocol';
import { h } from './dom';
import { OUTCOME_LABEL, STATE_LABEL } from './card';

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
      if (!before) say(`New sampling request from ${server}${warnings ? `, with ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}: ${STATE_LABEL[after.step].toLowerCase()}.`);
      else if (after.closed && !before.closed) say(`Request from ${server}: ${OUTCOME_LABEL[after.closed.outcome].toLowerCase()}.`);
      else if (before.state === 'streaming' && after.state !== 'streaming') say(`The answer for ${server} is complete${after.step === 'review' ? ': review it before it is sent' : ''}.`);
      else if (before.step !== after.step) say(`Request from ${server}: ${STATE_LABEL[after.step].toLowerCase()}.`);
    },
  };
}
