/**
 * Sign-ins waiting for their redirect, by OAuth `state`: the redirect handler (a VS Code URI handler)
 * hands each callback here and only the sign-in that sent that state gets it. Bounded, and every
 * wait ends: by the callback, the signal, or the timeout.
 */
import type { AuthorizationResult } from './oauth';

const MAX_PENDING = 16;
const MAX_ERROR_TEXT = 300;

interface Pending {
  resolve(result: AuthorizationResult): void;
  reject(error: Error): void;
}

export class PendingAuthorizations {
  private readonly pending = new Map<string, Pending>();

  get size(): number {
    return this.pending.size;
  }

  /** Waits for the callback carrying `state`. */
  wait(state: string, signal: AbortSignal, timeoutMs: number): Promise<AuthorizationResult> {
    if (!state) return Promise.reject(new Error('The authorization URL carries no state.'));
    if (this.pending.has(state)) return Promise.reject(new Error('A sign-in with this state is already waiting.'));
    if (this.pending.size >= MAX_PENDING) return Promise.reject(new Error('Too many sign-ins are waiting.'));
    return new Promise<AuthorizationResult>((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.pending.delete(state);
      };
      const onAbort = () => {
        finish();
        reject(signal.reason instanceof Error ? signal.reason : new Error('Sign-in was cancelled.'));
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`No sign-in arrived within ${Math.round(timeoutMs / 1000)} s.`));
      }, timeoutMs);
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      this.pending.set(state, {
        resolve: (result) => {
          finish();
          resolve(result);
        },
        reject: (error) => {
          finish();
          reject(error);
        },
      });
    });
  }

  /** Delivers a redirect's query (`code`, `state`, or `error`). False when no sign-in waits for its state. */
  deliver(query: URLSearchParams): boolean {
    const state = query.get('state');
    const pending = state ? this.pending.get(state) : undefined;
    if (!pending) return false;
    const error = query.get('error');
    const code = query.get('code');
    if (error) {
      const description = query.get('error_description');
      pending.reject(new Error(`The authorization server refused: ${`${error}${description ? ` (${description})` : ''}`.slice(0, MAX_ERROR_TEXT)}`));
    } else if (!code) {
      pending.reject(new Error('The redirect back carries no authorization code.'));
    } else {
      const iss = query.get('iss');
      pending.resolve({ code, state: state!, ...(iss !== null ? { iss } : {}) });
    }
    return true;
  }
}
