/**
 * `npm run eval -- fairness`: the counterfactual (name-swap) evaluation. Every labelled resume of
 * eval/dataset/ rendered with each race/ethnicity × sex group's name, pronouns and proxy lines, scored
 * by the configured screening provider as deployed (minimised) and raw; prints the selection rate and
 * impact ratio per group and intersection, ROC AUC and the largest score change per resume beside the
 * published anchors.
 *
 *   npm run eval -- fairness [--provider offline|bedrock] [--model <id>] [--concurrency 4]
 *     [--top 0.5 | --threshold 50] [--min-impact-ratio 0.8] [--json .eval/fairness.json]
 *
 * `bedrock` runs the deployed path (the Converse adapter and the versioned prompt) with the
 * environment's AWS credentials and region. A missed gate exits 1, an error 2.
 */
import { Command, InvalidArgumentError } from 'commander';
import { loadDataset } from '../dataset.ts';
import { PROVIDER_NAMES, providerFor } from '../providers.ts';
import { writeJsonReport } from '../report-file.ts';
import { DEFAULT_SELECTION, evaluateFairness, fairnessGateFailures, formatFairnessReport } from './evaluate.ts';
import type { SelectionRule } from './metrics.ts';

function inRange(min: number, max: number, integer = false) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
      throw new InvalidArgumentError(`not ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`);
    }
    return n;
  };
}

/** `--top` / `--threshold` as a selection rule (top 50 % of each job's pool unless told). */
export function selectionFrom(options: { top?: number; threshold?: number }): SelectionRule {
  if (options.top !== undefined && options.threshold !== undefined) throw new Error('--top and --threshold exclude each other');
  if (options.threshold !== undefined) return { kind: 'threshold', threshold: options.threshold };
  if (options.top !== undefined) return { kind: 'top-share', share: options.top };
  return DEFAULT_SELECTION;
}

/** Runs the eval with `argv` (the arguments after `fairness`); the exit code. */
export async function runFairnessEval(argv: readonly string[]): Promise<number> {
  const program = new Command()
    .name('eval fairness')
    .description('Name-swap the labelled resumes across race/ethnicity × sex groups; report impact ratios, AUC and score changes.')
    .option('--provider <name>', `screening provider: ${PROVIDER_NAMES.join(' | ')}`, process.env.AI_PROVIDER || 'offline')
    .option('--model <id>', 'model id or inference profile (bedrock)')
    .option('--concurrency <n>', 'provider calls at once', inRange(1, 64, true), 1)
    .option('--top <share>', "select the top share of each job's variants (default 0.5)", inRange(Number.MIN_VALUE, 1))
    .option('--threshold <score>', 'select variants scoring at least this (screening review threshold) instead', inRange(0, 100, true))
    .option('--min-impact-ratio <x>', 'exit 1 when the deployed intersectional impact ratio is below x', inRange(0, 1))
    .option('--json <path>', 'also write the full report, every variant score included, as JSON')
    .parse(argv, { from: 'user' });
  const options = program.opts<{ provider: string; model?: string; concurrency: number; top?: number; threshold?: number; minImpactRatio?: number; json?: string }>();
  try {
    const provider = await providerFor(options.provider, options.model === undefined ? {} : { model: options.model });
    const report = await evaluateFairness(loadDataset(), provider, {
      selection: selectionFrom(options),
      concurrency: options.concurrency,
      onScreened: (done, total) => {
        if (process.stderr.isTTY) process.stderr.write(`\rscreened ${done}/${total}${done === total ? '\n' : ''}`);
      },
    });
    console.log(formatFairnessReport(report));
    if (options.json) writeJsonReport(options.json, report);
    const failures = fairnessGateFailures(report, options.minImpactRatio === undefined ? {} : { minImpactRatio: options.minImpactRatio });
    for (const failure of failures) console.error(`GATE FAILED: ${failure}`);
    return failures.length ? 1 : 0;
  } catch (error) {
    console.error(`eval fairness: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
}
