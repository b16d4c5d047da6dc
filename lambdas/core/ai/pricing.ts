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

/**
 * On-demand USD per 1,000 input tokens of the Bedrock embedding models rediscovery can use; an
 * embedding bills its input only (https://aws.amazon.com/bedrock/pricing/, on-demand). Titan Text
 * Embeddings V2 $0.00002, Cohere Embed v3 (English and Multilingual) $0.0001, as several public price
 * tables copied from that page agreed on 2026-12-04 (the page's own table could not be read then);
 * a Region or a new price list may differ. For the dashboard's estimate only, like the language
 * model's prices.
 */
export const EMBEDDING_PRICES_PER_1K_INPUT_TOKENS_USD: Readonly<Record<string, number>> = {
  'amazon.titan-embed-text-v2:0': 0.00002,
  'cohere.embed-english-v3': 0.0001,
  'cohere.embed-multilingual-v3': 0.0001,
};

/** Undefined for a model without a known price, rather than a made-up zero. */
export function estimatedEmbeddingCostUsd(inputTokens: number, modelId: string): number | undefined {
  const price = EMBEDDING_PRICES_PER_1K_INPUT_TOKENS_USD[modelId];
  return price === undefined ? undefined : (inputTokens / 1000) * price;
}
