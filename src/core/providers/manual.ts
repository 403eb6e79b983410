/**
 * The manual "provider": the user types the reply in the approval panel. The pipeline handles it
 * through `ApprovalPrompter.manualReply`, because only the prompter can reach the user.
 */
import type { ModelInfo } from './types';

export const MANUAL_PROVIDER_ID = 'manual';
export const MANUAL_MODEL_ID = 'manual';
export const MANUAL_PROVIDER_LABEL = 'Manual reply';
export const MANUAL_MODEL: ModelInfo = { id: MANUAL_MODEL_ID, name: 'Typed by you' };
