/** The request as the approval UI sees it: the params plus the choice, the providers, a token estimate and warnings. */
import { originOf } from '../requestOrigin';
import type { RequestWarning } from '../approval/warnings';
import { hiddenCharacterWarnings } from './hiddenCharacters';
import type { ProviderCatalogEntry } from './modelSelection';
import { estimatePromptTokens } from './tokenEstimate';
import type { ApprovalRequest, ProviderChoice, SamplingContext } from './types';
import type { ValidatedRequest } from './validate';

export function buildApprovalRequest(
  ctx: SamplingContext,
  validated: ValidatedRequest,
  choice: ProviderChoice,
  catalog: readonly ProviderCatalogEntry[],
  receivedAt: number,
  approvalNotApplied?: RequestWarning,
): ApprovalRequest {
  const params = validated.params;
  const tokenEstimate = estimatePromptTokens(params);
  const maxInputTokens = catalog.find((p) => p.id === choice.providerId)?.models.find((m) => m.id === choice.model)?.maxInputTokens;
  const warnings: RequestWarning[] = hiddenCharacterWarnings(params);
  if (approvalNotApplied) warnings.push(approvalNotApplied);
  if (validated.maxTokensLowered) {
    const { requested, cap, setting } = validated.maxTokensLowered;
    warnings.push({ kind: 'max-tokens-lowered', requested, cap, setting });
  }
  if (maxInputTokens !== undefined && tokenEstimate > maxInputTokens) {
    warnings.push({ kind: 'prompt-over-limit', estimate: tokenEstimate, limit: maxInputTokens, model: choice.model });
  }
  return {
    origin: originOf(ctx),
    params,
    choice,
    providers: catalog.map((p) => ({ id: p.id, label: p.label, models: p.models })),
    tokenEstimate,
    ...(maxInputTokens !== undefined ? { maxInputTokens } : {}),
    warnings,
    receivedAt,
  };
}
