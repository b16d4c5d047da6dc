import { OFFLINE_MODEL, offlineScreeningProvider } from '#core/ai/screening/offline';
import type { ScreeningProvider } from '#core/ai/screening/contract';
import { aiSettingsSchema } from '#core/ai/settings';
import { aiProvidersFrom } from '#wiring/ai-providers';

/** The providers `npm run eval` can score with. */
export const PROVIDER_NAMES = ['offline', 'bedrock'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export interface ProviderOptions {
  /** A model id or inference profile (Bedrock); the offline matcher has only its own. */
  readonly model?: string;
}

export async function providerFor(name: string, options: ProviderOptions = {}): Promise<ScreeningProvider> {
  switch (name) {
    case 'offline':
      if (options.model !== undefined && options.model !== OFFLINE_MODEL) {
        throw new Error(`the offline provider has one model, ${OFFLINE_MODEL}; --model ${options.model} is for bedrock`);
      }
      return offlineScreeningProvider;
    case 'bedrock':
      // The deployed path exactly: the Converse adapter and the versioned prompt, with the AWS
      // credentials and region of the environment (AWS_ENDPOINT_URL_BEDROCK_RUNTIME points it elsewhere).
      return aiProvidersFrom(aiSettingsSchema.parse({ provider: 'bedrock', ...(options.model ? { modelId: options.model } : {}) })).screening;
    default:
      throw new Error(`unknown screening provider ${JSON.stringify(name)}; one of ${PROVIDER_NAMES.join(', ')}`);
  }
}
