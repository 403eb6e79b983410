/** The request as the approval UI sees it: the params plus the choice, the providers, a token estimate and warnings. */
import { originOf } from '../requestOrigin';
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
  approvalNotApplied?: string,
): ApprovalRequest {
  const params = validated.params;
  const tokenEstimate = estimatePromptTokens(params);
  const maxInputTokens = catalog.find((p) => p.id === choice.providerId)?.models.find((m) => m.id === choice.model)?.maxInputTokens;
  const warnings = hiddenCharacterWarnings(params);
  if (approvalNotApplied) warnings.push(approvalNotApplied);
  if (validated.maxTokensLowered) {
    const { requested, cap, setting } = validated.maxTokensLowered;
    warnings.push(`maxTokens lowered from ${requested} to ${cap} by ${setting}`);
  }
  if (maxInputTokens !== undefined && tokenEstimate > maxInputTokens) {
    warnings.push(`The prompt is about ${tokenEstimate} tokens (estimated as characters / 4), more than the ${maxInputTokens} that ${choice.model} accepts`);
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
