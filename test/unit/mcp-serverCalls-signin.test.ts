/**
 * A sign-in asked for in the middle of `input_required` rounds: only the refused leg is sent again,
 * with its round's answers and requestState. Resending the whole request from the start would ask
 * the person (and the model) the same questions again, and run the tool twice.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '../../src/core/logger';
import { ServerCalls } from '../../src/core/mcp/serverCalls';
import { loadClientSdk, type SdkClient } from '../../src/core/mcp/sdk';
import type { ServerConnectionOptions } from '../../src/core/mcp/types';

class UnauthorizedError extends Error {
  override readonly name = 'UnauthorizedError';
}

test('a leg refused for want of a sign-in is resent with its requestState; the sampling request is answered once', async () => {
  const legs: Record<string, unknown>[] = [];
  let refused = false;
  // The server: round 1 asks for one sampling; the retried call needs a fresh sign-in once, then completes.
  const client = {
    request: async (request: { params: Record<string, unknown> }) => {
      legs.push(request.params);
      if (request.params.requestState === undefined) {
        return {
          resultType: 'input_required',
          inputRequests: { poem: { method: 'sampling/createMessage', params: { messages: [{ role: 'user', content: { type: 'text', text: 'A poem' } }], maxTokens: 20 } } },
          requestState: 'state-1',
        };
      }
      if (!refused) {
        refused = true;
        throw new UnauthorizedError('401: sign in again');
      }
      return { resultType: 'complete', content: [{ type: 'text', text: 'done' }] };
    },
  } as unknown as SdkClient;
  let sampled = 0;
  let signIns = 0;
  const calls = new ServerCalls({
    name: 'protected',
    options: {
      definition: { name: 'protected', source: 'test', disabled: false, type: 'http', url: 'http://127.0.0.1:1/mcp', headers: {} },
      logger: silentLogger,
      samplingHandler: async () => {
        sampled++;
        return { role: 'assistant', content: { type: 'text', text: 'roses' }, model: 'm' };
      },
    } satisfies ServerConnectionOptions,
    loadSdk: loadClientSdk,
    client: () => client,
    protocolVersion: () => '2026-07-28',
    // As AuthSession does: a request refused for want of a sign-in runs once more after signing in.
    withSignInRetry: async (request) => {
      try {
        return await request();
      } catch (error) {
        if (!(error instanceof UnauthorizedError)) throw error;
        signIns++;
        return request();
      }
    },
    progress: () => {},
  });
  const result = await calls.callTool('compose', {});
  assert.deepEqual(result.content, [{ type: 'text', text: 'done' }]);
  assert.equal(signIns, 1);
  assert.equal(sampled, 1, 'the model was asked once');
  assert.deepEqual(legs.map((p) => p.requestState ?? null), [null, 'state-1', 'state-1'], 'the refused leg was resent as it was');
  assert.deepEqual(legs[2], legs[1]);
});
