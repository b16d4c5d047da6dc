import { OFFLINE_MODEL, offlineScreeningProvider } from '#core/ai/offline-screening';
import type { ScreeningProvider } from '#core/ai/screening';

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
      // Wire llmScreeningProvider(<the Bedrock StructuredModel for options.model>) here.
      throw new Error('bedrock provider not wired yet');
    default:
      throw new Error(`unknown screening provider ${JSON.stringify(name)}; one of ${PROVIDER_NAMES.join(', ')}`);
  }
}
