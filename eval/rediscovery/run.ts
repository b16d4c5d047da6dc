/**
 * `npm run eval -- rediscovery`: embeds the labelled synthetic pool in eval/rediscovery/dataset/ with
 * the configured embedder, queries it with each job, and prints recall@k and nDCG@k per job and their
 * mean, and which near misses (shared words, no substance) reached a top k.
 *
 *   npm run eval -- rediscovery [--provider offline|bedrock] [--model amazon.titan-embed-text-v2:0]
 *     [--dimensions 512] [--k 10] [--min-grade 2] [--json .eval/rediscovery.json]
 *
 * `bedrock` embeds with the model the settings would (AWS credentials and the model's access needed),
 * through the same adapter the AI function uses.
 */
import { Command, InvalidArgumentError } from 'commander';
import { ExactVectorIndex } from '#adapters/ai/exact-vector-index';
import { rediscoveryEmbeddingSchema } from '#core/ai/settings';
import { embedderFrom } from '#wiring/rediscovery';
import { loadRediscoveryDataset } from './dataset.ts';
import { evaluateRediscovery, formatRediscoveryReport } from './evaluate.ts';
import { writeJsonReport } from '../report-file.ts';

function integer(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`not an integer from ${min} to ${max}`);
    return n;
  };
}

/** Runs the eval with `argv` (the arguments after `rediscovery`); the exit code. */
export async function runRediscoveryEval(argv: readonly string[]): Promise<number> {
  const program = new Command()
    .name('eval rediscovery')
    .description('Embed the labelled synthetic past candidates, query them with each job, report recall@k and nDCG@k.')
    .option('--provider <name>', 'embedder: offline | bedrock', 'offline')
    .option('--model <id>', 'Bedrock embedding model (Titan Text Embeddings v2 or Cohere Embed v3)')
    .option('--dimensions <n>', 'vector size: 256, 512 or 1024 (Titan v2; Cohere gives 1024)', integer(1, 4096))
    .option('--k <n>', 'results per job', integer(1, 100), 10)
    .option('--min-grade <n>', 'the lowest grade that counts as relevant for recall', integer(1, 3), 2)
    .option('--json <path>', 'also write the full report as JSON')
    .parse(argv, { from: 'user' });
  const options = program.opts<{ provider: string; model?: string; dimensions?: number; k: number; minGrade: number; json?: string }>();
  try {
    // The settings' own checks (provider, sizes) decide what may run, as they do for a deployment.
    const settings = rediscoveryEmbeddingSchema.safeParse({
      provider: options.provider,
      ...(options.model ? { modelId: options.model } : {}),
      ...(options.dimensions ? { dimensions: options.dimensions } : {}),
    });
    if (!settings.success) throw new Error(`not an embedder the settings allow: ${settings.error.issues.map((i) => `${i.path.join('.') || 'provider'}: ${i.message}`).join('; ')}`);
    const embedder = embedderFrom(settings.data);
    const report = await evaluateRediscovery(loadRediscoveryDataset(), embedder, new ExactVectorIndex(), { k: options.k, minGrade: options.minGrade });
    console.log(formatRediscoveryReport(report));
    if (options.json) writeJsonReport(options.json, report);
    return 0;
  } catch (error) {
    console.error(`eval rediscovery: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
}
