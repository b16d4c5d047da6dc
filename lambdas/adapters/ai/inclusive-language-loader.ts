import type { InclusiveLanguage } from '#core/ai/jd/ports';
import { lazyModuleUrl } from '../lazy-module.ts';

/** alex, loaded on first use: from source the .ts module beside this one, in a Lambda bundle the .mjs beside index.mjs (LAZY_MODULES). */
export async function loadInclusiveLanguage(): Promise<InclusiveLanguage> {
  const module = (await import(lazyModuleUrl(import.meta.url, './inclusive-language.ts', './inclusive-language.mjs'))) as typeof import('./inclusive-language.ts');
  return module.alexInclusiveLanguage;
}
