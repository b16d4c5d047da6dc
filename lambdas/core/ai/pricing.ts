import type { TokenUsage } from './model.ts';
import type { AiSettings } from './settings.ts';

/**
 * What an inference is estimated to have cost, from the operator's configured on-demand prices
 * (`ai.pricing`). For the dashboard only: the bill is AWS's, and a reused result cost nothing.
 */
export type TokenPricing = AiSettings['pricing'];

export function estimatedCostUsd(usage: TokenUsage, pricing: TokenPricing): number {
  return (usage.inputTokens / 1000) * pricing.inputPer1kTokensUsd + (usage.outputTokens / 1000) * pricing.outputPer1kTokensUsd;
}
