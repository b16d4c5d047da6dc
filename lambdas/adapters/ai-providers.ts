import { llmScreeningProvider } from '#core/ai/llm-screening';
import type { StructuredModel } from '#core/ai/model';
import { offlineScreeningProvider } from '#core/ai/offline-screening';
import type { ScreeningProvider } from '#core/ai/screening';
import type { AiSettings } from '#core/ai/settings';
import { createConverseModel } from './bedrock/converse-model.ts';

/**
 * The model behind the AI workflows, as the settings name it: Bedrock (through the Converse adapter,
 * which the local stack and tests may point at the Bedrock simulator with AWS_ENDPOINT_URL_BEDROCK_RUNTIME),
 * or none for the offline providers.
 */
export function structuredModelFrom(settings: Pick<AiSettings, 'provider' | 'modelId' | 'guardrail'>): StructuredModel | undefined {
  if (settings.provider !== 'bedrock') return undefined;
  return createConverseModel({ modelId: settings.modelId, ...(settings.guardrail ? { guardrail: settings.guardrail } : {}) });
}

export function screeningProviderFrom(settings: Pick<AiSettings, 'provider' | 'modelId' | 'guardrail'>): ScreeningProvider {
  const model = structuredModelFrom(settings);
  return model ? llmScreeningProvider(model) : offlineScreeningProvider;
}
