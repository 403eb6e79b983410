/**
 * The `RoundCall` for the MCP SDK v1 Client: one generic `client.request` per leg, validated with
 * the SDK's loose `ResultSchema` (the method-specific result schemas would strip `resultType`,
 * `inputRequests` and `requestState`). The SDK is loaded on first use.
 */
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { MultiRoundTripMethod } from '../rounds/inputRequired';
import type { RoundCall } from '../rounds/roundHandler';
import { loadClientSdk, type SdkClient } from './sdk';

/** The part of the SDK Client used here, so tests can pass any Client instance. */
export type RequestingClient = Pick<SdkClient, 'request'>;

/** Options for every leg; the signal comes from the flow. */
export type LegOptions = Omit<RequestOptions, 'signal'>;

export function sdkRoundCall(client: RequestingClient, method: MultiRoundTripMethod, options: LegOptions = {}): RoundCall {
  return async (params, signal) => {
    const { types } = await loadClientSdk();
    const request = { method, params } as unknown as Parameters<SdkClient['request']>[0];
    return client.request(request, types.ResultSchema, { ...options, signal });
  };
}
