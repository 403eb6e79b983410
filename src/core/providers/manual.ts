/**
 * The manual provider: the person types the reply in the approval panel. It is a provider like the
 * others; what it needs from the pipeline is the person (`PersonAtHand`), since only the approval
 * session can reach them. It is always there, listed last: the answer when no model can give one.
 */
import type { DeltaListener, ModelInfo, ModelProvider, PersonAtHand, ProviderRequest, ProviderResponse } from './types';

export const MANUAL_PROVIDER_ID = 'manual';
export const MANUAL_MODEL_ID = 'manual';
export const MANUAL_PROVIDER_LABEL = 'Manual reply';
export const MANUAL_MODEL: ModelInfo = { id: MANUAL_MODEL_ID, name: 'Typed by you' };

const MODELS: readonly ModelInfo[] = [MANUAL_MODEL];

export class ManualProvider implements ModelProvider {
  readonly id = MANUAL_PROVIDER_ID;
  readonly label = MANUAL_PROVIDER_LABEL;
  readonly answeredByPerson = true;

  listModels(): Promise<readonly ModelInfo[]> {
    return Promise.resolve(MODELS);
  }

  cachedModels(): readonly ModelInfo[] {
    return MODELS;
  }

  async complete(_request: ProviderRequest, _onDelta: DeltaListener, signal: AbortSignal, person?: PersonAtHand): Promise<ProviderResponse> {
    if (!person) throw new Error('The manual reply needs a person at the approval panel');
    const text = await person.typedReply(signal);
    return { model: MANUAL_MODEL_ID, content: { type: 'text', text }, stopReason: 'endTurn' };
  }
}
