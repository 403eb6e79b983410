/**
 * What core needs of the editor's secret storage (VS Code's `SecretStorage` has this shape), so the
 * caches in front of it are tested under plain Node.
 */
import type { Event } from './events';

export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
  /** Fires for changes made by this window and by other windows of the same profile. */
  readonly onDidChange: Event<{ readonly key: string }>;
}
