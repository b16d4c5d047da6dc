import { offlineFeedbackProvider } from '#core/ai/feedback/offline';
import type { FeedbackSynthesisProvider } from '#core/ai/feedback/contract';
import { offlineJobDescriptionDrafter } from '#core/ai/jd/offline-drafter';
import type { JobDescriptionDrafter } from '#core/ai/jd/ports';
import { llmJobDescriptionDrafter } from '#core/ai/jd/prompt';
import { llmFeedbackProvider } from '#core/ai/feedback/prompt';
import { llmScreeningProvider } from '#core/ai/screening/prompt';
import { offlineScreeningProvider } from '#core/ai/screening/offline';
import type { ScreeningProvider } from '#core/ai/screening/contract';
import type { AiSettings } from '#core/ai/settings';
import { createConverseModel } from '#adapters/bedrock/converse-model';
import { bedrockRuntimeClient } from '#adapters/bedrock/runtime-client';
import { NO_TRACING, type CallTracing } from '#adapters/tracing';

export interface AiProviders {
  readonly screening: ScreeningProvider;
  readonly feedback: FeedbackSynthesisProvider;
  readonly jobDescription: JobDescriptionDrafter;
}

/**
 * The providers of the AI workflows, as the settings name them: one Bedrock model behind all of them (the
 * Converse adapter, which the local stack and tests may point at the Bedrock simulator through
 * AWS_ENDPOINT_URL_BEDROCK_RUNTIME), or the offline providers, which say in every output that they
 * are not language models. A Lambda passes its tracing, which traces the Bedrock client and each Converse call.
 */
export function aiProvidersFrom(settings: Pick<AiSettings, 'provider' | 'modelId' | 'guardrail'>, tracing: CallTracing = NO_TRACING): AiProviders {
  if (settings.provider !== 'bedrock') return { screening: offlineScreeningProvider, feedback: offlineFeedbackProvider, jobDescription: offlineJobDescriptionDrafter };
  const model = createConverseModel({
    modelId: settings.modelId,
    ...(settings.guardrail ? { guardrail: settings.guardrail } : {}),
    client: tracing.captureAWSv3Client(bedrockRuntimeClient()),
    spans: tracing.spans,
  });
  return { screening: llmScreeningProvider(model), feedback: llmFeedbackProvider(model), jobDescription: llmJobDescriptionDrafter(model) };
}
