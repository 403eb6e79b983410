/**
 * An error in the panel's own code (a handler that threw, a promise nobody awaited) is shown where
 * the user looks and sent to the host's log, instead of vanishing into the webview's console while
 * a card quietly stops updating. Reported a few times at most, so a loop cannot flood the host.
 */
import type { WebviewToHost } from '../shared/protocol';
import { LIMITS } from '../shared/limits';
import { t } from './strings';

const MAX_REPORTS = 5;

interface ErrorSource {
  addEventListener(type: 'error', listener: (event: { message?: string; error?: unknown }) => void): void;
  addEventListener(type: 'unhandledrejection', listener: (event: { reason?: unknown }) => void): void;
}

const describe = (value: unknown, fallback: string | undefined): string =>
  (value instanceof Error ? `${value.name}: ${value.message}` : typeof value === 'string' ? value : fallback) || 'unknown error';

/** Shows each error in `notice` (a live region) and sends it to the host, up to MAX_REPORTS times. */
export function reportPanelErrors(source: ErrorSource, notice: HTMLElement, send: (message: WebviewToHost) => void): void {
  let reports = 0;
  const report = (what: string): void => {
    if (reports >= MAX_REPORTS) return;
    reports++;
    const message = what.slice(0, LIMITS.reason);
    notice.textContent = t('panelError', message);
    notice.hidden = false;
    send({ type: 'panel-error', message });
  };
  source.addEventListener('error', (event) => report(describe(event.error, event.message)));
  source.addEventListener('unhandledrejection', (event) => report(describe(event.reason, undefined)));
}
