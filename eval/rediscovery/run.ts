/**
 * `npm run eval -- rediscovery`: embeds the labelled synthetic pool in eval/rediscovery/dataset/ with
 * the configured embedder, queries it with each job, and prints recall@k and nDCG@k per job and their
 * mean, and which near misses (shared words, no substance) reached a top k.
 *
 *   npm run eval -- rediscovery [--provider offline] [--k 10] [--min-grade 2] [--json .eval/rediscovery.json]
 *
 * Only the offline embedder is wired so far; another provider exits 2 before any report.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { ExactVectorIndex } from '#adapters/ai/exact-vector-index';
import { offlineEmbedder } from '#core/ai/rediscovery/offline-embedder';
import type { Embedder } from '#core/ai/rediscovery/ports';
import { loadRediscoveryDataset } from './dataset.ts';
import { evaluateRediscovery, formatRediscoveryReport } from './evaluate.ts';

const EMBEDDERS: Record<string, Embedder> = { offline: offlineEmbedder };

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
    .option('--provider <name>', `embedder: ${Object.keys(EMBEDDERS).join(' | ')}`, 'offline')
    .option('--k <n>', 'results per job', integer(1, 100), 10)
    .option('--min-grade <n>', 'the lowest grade that counts as relevant for recall', integer(1, 3), 2)
    .option('--json <path>', 'also write the full report as JSON')
    .parse(argv, { from: 'user' });
  const options = program.opts<{ provider: string; k: number; minGrade: number; json?: string }>();
  try {
    const embedder = EMBEDDERS[options.provider];
    if (!embedder) throw new Error(`no rediscovery embedder ${JSON.stringify(options.provider)} is wired; one of ${Object.keys(EMBEDDERS).join(', ')}`);
    const report = await evaluateRediscovery(loadRediscoveryDataset(), embedder, new ExactVectorIndex(), { k: options.k, minGrade: options.minGrade });
    console.log(formatRediscoveryReport(report));
    if (options.json) {
      mkdirSync(dirname(options.json), { recursive: true });
      writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
      console.log(`\nFull report written to ${options.json}`);
    }
    return 0;
  } catch (error) {
    console.error(`eval rediscovery: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
}
