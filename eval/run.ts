/**
 * `npm run eval`: scores the labelled synthetic resumes in eval/dataset/ with the configured screening
 * provider and reports how well the scores agree with the labels (Spearman, Kendall tau-b, pairwise
 * ordering accuracy, mean score per label) and how far proxy-only variants move a score.
 *
 *   npm run eval -- --provider offline --json .eval/report.json --max-proxy-delta 0 --min-spearman 0.5
 *
 * The gates are optional; a missed gate sets exit code 1 after the report is printed. An error (an
 * unknown or unwired provider, a failed screening) exits with 2 before any report.
 *
 * After the report it runs the counterfactual (name-swap) fairness evaluation with the same provider
 * and prints a one-paragraph summary (impact ratios, AUC, score changes; `--no-fairness` skips it, and
 * `--json` then holds it under `fairness`).
 *
 * `npm run eval -- rediscovery …` runs the candidate-rediscovery eval instead (eval/rediscovery/run.ts),
 * `npm run eval -- jd …` the job-description drafts eval (eval/jd/run.ts), `npm run eval -- fairness …`
 * the full fairness report (eval/fairness/run.ts).
 */
import { Command, InvalidArgumentError } from 'commander';
import { loadDataset } from './dataset.ts';
import { evaluate, formatReport, gateFailures } from './evaluate.ts';
import { PROVIDER_NAMES, providerFor } from './providers.ts';
import { runRediscoveryEval } from './rediscovery/run.ts';
import { runJdEval } from './jd/run.ts';
import { evaluateFairness, fairnessSummary } from './fairness/evaluate.ts';
import { runFairnessEval } from './fairness/run.ts';
import { writeJsonReport } from './report-file.ts';

function number(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('not a number');
  return n;
}

function positiveInteger(value: string): number {
  const n = number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('not a positive integer');
  return n;
}

if (process.argv[2] === 'rediscovery') {
  process.exitCode = await runRediscoveryEval(process.argv.slice(3));
} else if (process.argv[2] === 'jd') {
  process.exitCode = await runJdEval(process.argv.slice(3));
} else if (process.argv[2] === 'fairness') {
  process.exitCode = await runFairnessEval(process.argv.slice(3));
} else {
  const program = new Command()
    .name('eval')
    .description('Score the labelled synthetic resumes with a screening provider; report rank agreement and proxy sensitivity.')
    .option('--provider <name>', `screening provider: ${PROVIDER_NAMES.join(' | ')}`, process.env.AI_PROVIDER || 'offline')
    .option('--model <id>', 'model id or inference profile (bedrock)')
    .option('--json <path>', 'also write the full report as JSON')
    .option('--concurrency <n>', 'resumes screened at once', positiveInteger, 1)
    .option('--max-proxy-delta <n>', 'exit non-zero when a proxy-only change moves a score by more than n', number)
    .option('--min-spearman <x>', 'exit non-zero when the pooled Spearman correlation is below x', number)
    .option('--no-fairness', 'skip the name-swap fairness summary (npm run eval -- fairness for the full report)')
    .parse();

  const options = program.opts<{ provider: string; model?: string; json?: string; concurrency: number; maxProxyDelta?: number; minSpearman?: number; fairness: boolean }>();

  try {
    const provider = await providerFor(options.provider, options.model === undefined ? {} : { model: options.model });
    const dataset = loadDataset();
    const report = await evaluate(dataset, provider, {
      concurrency: options.concurrency,
      onResult: (_result, done, total) => {
        if (process.stderr.isTTY) process.stderr.write(`\rscreened ${done}/${total}${done === total ? '\n' : ''}`);
      },
    });

    console.log(formatReport(report));
    const fairness = options.fairness ? await evaluateFairness(dataset, provider, { concurrency: options.concurrency }) : undefined;
    if (fairness) console.log(`\n${fairnessSummary(fairness)}`);
    if (options.json) writeJsonReport(options.json, fairness ? { ...report, fairness } : report);

    const failures = gateFailures(report, {
      ...(options.maxProxyDelta !== undefined && { maxProxyDelta: options.maxProxyDelta }),
      ...(options.minSpearman !== undefined && { minSpearman: options.minSpearman }),
    });
    for (const failure of failures) console.error(`GATE FAILED: ${failure}`);
    if (failures.length) process.exitCode = 1;
  } catch (error) {
    // A provider that cannot be built or a screening that failed: one line, not a stack trace.
    console.error(`eval: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  }
}
