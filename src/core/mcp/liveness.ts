/**
 * Whether an HTTP server is still there after a transport error (an HTTP transport does not close
 * when the server dies; it retries its streams). 2025-era servers get `ping`; 2026-07-28 has no
 * ping, so they get `server/discover`. A server that refuses for want of a (wider) sign-in answered,
 * so it is alive; the sign-in is run once through `withSignInRetry` first.
 */
import type { ClientSdk, SdkClient } from './sdk';
import { isModernRevision } from './revisions';
import { errorMessage } from './types';

export interface LivenessProbe {
  readonly version: string | undefined;
  readonly loadSdk: () => Promise<ClientSdk>;
  withSignInRetry<T>(request: () => Promise<T>): Promise<T>;
  readonly timeoutMs: number;
}

/** Resolves with why the server is gone, or undefined when it answered. Never rejects. */
export async function whyNotAlive(client: SdkClient, probe: LivenessProbe): Promise<string | undefined> {
  const ask = async () => {
    if (!isModernRevision(probe.version)) return client.ping({ timeout: probe.timeoutMs });
    const { types } = await probe.loadSdk();
    return client.request({ method: 'server/discover' } as never, types.ResultSchema, { timeout: probe.timeoutMs });
  };
  try {
    await probe.withSignInRetry(ask);
    return undefined;
  } catch (error) {
    const { StreamableHTTPError } = await probe.loadSdk();
    const status = error instanceof StreamableHTTPError ? error.code : undefined;
    if (status === 401 || status === 403 || /^Unauthorized\b/.test(errorMessage(error))) return undefined;
    return errorMessage(error);
  }
}
