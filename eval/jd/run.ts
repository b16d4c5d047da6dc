/**
 * `npm run eval -- jd`: drafts the job briefs in eval/jd/dataset/ with the configured drafter and
 * prints, per draft, which sections have lines, the inclusive-language findings, the ungrounded claims
 * and the words, then the totals.
 *
 *   npm run eval -- jd [--provider offline|bedrock] [--model <id>] [--json .eval/jd.json]
 *
 * `bedrock` runs the deployed path (the Converse adapter and the versioned prompt) with the
 * environment's AWS credentials and region; AWS_ENDPOINT_URL_BEDROCK_RUNTIME points it elsewhere.
 */
import { Command } from 'commander';
import { OFFLINE_DRAFTER_MODEL, offlineJobDescriptionDrafter } from '#core/ai/jd/offline-drafter';
import type { JobDescriptionDrafter } from '#core/ai/jd/ports';
import { aiSettingsSchema } from '#core/ai/settings';
import { aiProvidersFrom } from '#wiring/ai-providers';
import { loadJdDataset } from './dataset.ts';
import { evaluateJd, formatJdReport } from './evaluate.ts';
import { writeJsonReport } from '../report-file.ts';

export const JD_PROVIDERS = ['offline', 'bedrock'] as const;

export function jdDrafterFor(name: string, model?: string): JobDescriptionDrafter {
  switch (name) {
    case 'offline':
      if (model !== undefined && model !== OFFLINE_DRAFTER_MODEL) throw new Error(`the offline drafter has one model, ${OFFLINE_DRAFTER_MODEL}; --model ${model} is for bedrock`);
      return offlineJobDescriptionDrafter;
    case 'bedrock':
      return aiProvidersFrom(aiSettingsSchema.parse({ provider: 'bedrock', ...(model ? { modelId: model } : {}) })).jobDescription;
    default:
      throw new Error(`unknown drafter ${JSON.stringify(name)}; one of ${JD_PROVIDERS.join(', ')}`);
  }
}

/** Runs the eval with `argv` (the arguments after `jd`); the exit code. */
export async function runJdEval(argv: readonly string[]): Promise<number> {
  const program = new Command()
    .name('eval jd')
    .description('Draft the job briefs with a drafter; report sections present, inclusive-language findings, ungrounded claims and words per draft.')
    .option('--provider <name>', `drafter: ${JD_PROVIDERS.join(' | ')}`, process.env.AI_PROVIDER || 'offline')
    .option('--model <id>', 'model id or inference profile (bedrock)')
    .option('--json <path>', 'also write the full report, drafts included, as JSON')
    .parse(argv, { from: 'user' });
  const options = program.opts<{ provider: string; model?: string; json?: string }>();
  try {
    const report = await evaluateJd(loadJdDataset(), jdDrafterFor(options.provider, options.model));
    console.log(formatJdReport(report));
    if (options.json) writeJsonReport(options.json, report);
    return 0;
  } catch (error) {
    console.error(`eval jd: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
}
