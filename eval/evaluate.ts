import { requirementsFromJobPost } from '#core/ai/screening/job-requirements';
import { minimiseResume, type MinimisedText } from '#core/ai/minimise';
import type { ScreeningProvider } from '#core/ai/screening/contract';
import { LABELS, labelOrdinal, type EvalDataset, type EvalResume, type Label } from './dataset.ts';
import {
  kendallTauB,
  meanScoreByLabel,
  pairwiseAccuracy,
  proxySensitivity,
  spearman,
  type PairwiseAccuracy,
  type ProxyRow,
  type ProxySensitivity,
} from './metrics.ts';

/**
 * Scores every resume of the eval set with one provider, through the same path production uses
 * (requirementsFromJobPost, minimiseResume with the candidate's names, provider.screen), and computes
 * the figures: rank agreement with the labels per job and overall (base resumes only), mean score per
 * label, and how far proxy-only variants move a score.
 */

export interface ResumeResult {
  readonly resumeId: string;
  readonly jobId: string;
  readonly label: Label;
  readonly variantOf?: string;
  readonly proxy?: string;
  readonly score: number;
  readonly summary: string;
  readonly removed: MinimisedText['removed'];
}

export interface LabelMean {
  readonly label: Label;
  readonly count: number;
  readonly mean: number | null;
}

export interface RankAgreement {
  readonly resumes: number;
  readonly spearman: number | null;
  readonly kendallTauB: number | null;
  readonly pairwise: PairwiseAccuracy;
  readonly meanByLabel: LabelMean[];
}

export interface JobReport extends RankAgreement {
  readonly jobId: string;
  readonly title: string;
  readonly requirements: number;
}

export interface ProxyReportRow extends ProxyRow {
  readonly note?: string;
  /** False when minimisation made the variant's text identical to its base's: no provider can see the proxy. */
  readonly reachesProvider: boolean;
  /** Lines of the minimised variant that its minimised base lacks: what of the proxy the provider sees. */
  readonly keptLines: string[];
}

export interface EvalReport {
  readonly provider: string;
  readonly model: string;
  readonly promptVersion: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly dataset: { readonly jobs: number; readonly baseResumes: number; readonly variants: number };
  readonly jobs: JobReport[];
  /**
   * Base resumes of every job together. `pooled*` correlate all of them at once (the score is meant
   * to be absolute, 0–100); `meanJob*` average the per-job figures; pairwise pairs stay within a job.
   */
  readonly overall: RankAgreement & { readonly meanJobSpearman: number | null; readonly meanJobKendallTauB: number | null };
  readonly proxy: Omit<ProxySensitivity, 'rows'> & { readonly rows: ProxyReportRow[] };
  readonly results: ResumeResult[];
}

export interface EvaluateOptions {
  /** Resumes screened at once (default 1: one after another). */
  readonly concurrency?: number;
  /** Called after each resume, for progress output. */
  readonly onResult?: (result: ResumeResult, done: number, total: number) => void;
}

/** `fn` over `items`, at most `concurrency` at once; results in the order of `items`. */
export async function mapConcurrent<T, R>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}

const mean = (values: readonly (number | null)[]): number | null => {
  const defined = values.filter((v): v is number => v !== null);
  return defined.length ? defined.reduce((s, v) => s + v, 0) / defined.length : null;
};

function rankAgreement(results: readonly ResumeResult[]): RankAgreement {
  const labels = results.map((r) => labelOrdinal(r.label));
  const scores = results.map((r) => r.score);
  return {
    resumes: results.length,
    spearman: spearman(scores, labels),
    kendallTauB: kendallTauB(scores, labels),
    pairwise: pairwiseAccuracy(results.map((r) => ({ group: r.jobId, label: labelOrdinal(r.label), score: r.score }))),
    meanByLabel: meanScoreByLabel(results, LABELS),
  };
}

export function minimiseFor(resume: EvalResume): MinimisedText {
  return minimiseResume(resume.text, { names: [resume.candidate.firstName, resume.candidate.lastName] });
}

export async function evaluate(dataset: EvalDataset, provider: ScreeningProvider, options: EvaluateOptions = {}): Promise<EvalReport> {
  const started = Date.now();
  const jobs = new Map(dataset.jobs.map((job) => [job.id, { job, requirements: requirementsFromJobPost(job.postHtml) }]));
  const minimised = new Map(dataset.resumes.map((resume) => [resume.id, minimiseFor(resume)]));
  let done = 0;
  let promptVersion = '';
  const models = new Set<string>();

  const results = await mapConcurrent(dataset.resumes, options.concurrency ?? 1, async (resume): Promise<ResumeResult> => {
    const { job, requirements } = jobs.get(resume.jobId)!;
    const { text, removed } = minimised.get(resume.id)!;
    let screened;
    try {
      screened = await provider.screen({ jobTitle: job.title, requirements, resumeText: text });
    } catch (error) {
      throw new Error(`screening ${resume.id} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    promptVersion = screened.promptVersion;
    models.add(screened.model);
    const result: ResumeResult = {
      resumeId: resume.id,
      jobId: resume.jobId,
      label: resume.label,
      ...(resume.variantOf !== undefined && { variantOf: resume.variantOf, proxy: resume.proxy }),
      score: screened.score,
      summary: screened.summary,
      removed,
    };
    options.onResult?.(result, ++done, dataset.resumes.length);
    return result;
  });

  const base = results.filter((r) => r.variantOf === undefined);
  const jobReports: JobReport[] = dataset.jobs.map((job) => ({
    jobId: job.id,
    title: job.title,
    requirements: jobs.get(job.id)!.requirements.length,
    ...rankAgreement(base.filter((r) => r.jobId === job.id)),
  }));

  const byId = new Map(results.map((r) => [r.resumeId, r]));
  const resumesById = new Map(dataset.resumes.map((r) => [r.id, r]));
  const sensitivity = proxySensitivity(
    results
      .filter((r) => r.variantOf !== undefined)
      .map((r) => ({ variantId: r.resumeId, baseId: r.variantOf!, proxy: r.proxy!, baseScore: byId.get(r.variantOf!)!.score, variantScore: r.score })),
  );
  const rows: ProxyReportRow[] = sensitivity.rows.map((row) => {
    const baseLines = new Set(minimised.get(row.baseId)!.text.split('\n'));
    const keptLines = minimised.get(row.variantId)!.text.split('\n').filter((line) => !baseLines.has(line));
    const note = resumesById.get(row.variantId)!.note;
    return { ...row, ...(note !== undefined && { note }), reachesProvider: minimised.get(row.variantId)!.text !== minimised.get(row.baseId)!.text, keptLines };
  });

  return {
    provider: provider.provider,
    model: [...models].join(', ') || provider.model,
    promptVersion,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    dataset: { jobs: dataset.jobs.length, baseResumes: base.length, variants: results.length - base.length },
    jobs: jobReports,
    overall: {
      ...rankAgreement(base),
      meanJobSpearman: mean(jobReports.map((j) => j.spearman)),
      meanJobKendallTauB: mean(jobReports.map((j) => j.kendallTauB)),
    },
    proxy: { ...sensitivity, rows },
    results,
  };
}

export interface Gates {
  /** Fail when a proxy-only variant moves a score by more than this. */
  readonly maxProxyDelta?: number;
  /** Fail when the pooled Spearman correlation is below this (or undefined). */
  readonly minSpearman?: number;
}

/** The gates the report misses, as sentences; empty when it passes them all. */
export function gateFailures(report: EvalReport, gates: Gates): string[] {
  const failures: string[] = [];
  if (gates.maxProxyDelta !== undefined && report.proxy.max > gates.maxProxyDelta) {
    failures.push(`max proxy delta ${report.proxy.max} exceeds --max-proxy-delta ${gates.maxProxyDelta} (${report.proxy.maxVariantIds.join(', ')})`);
  }
  if (gates.minSpearman !== undefined) {
    const rho = report.overall.spearman;
    if (rho === null || rho < gates.minSpearman) failures.push(`pooled Spearman ${fmt(rho)} is below --min-spearman ${gates.minSpearman}`);
  }
  return failures;
}

/** A figure with `digits` decimals, or `n/a` for null. */
export function fmt(value: number | null, digits = 2): string {
  return value === null ? 'n/a' : value.toFixed(digits);
}

/** A plain-text table: text columns (first and last) to the left, figures to the right. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  // Text columns (the first and the last) to the left, figures to the right.
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

const means = (byLabel: readonly LabelMean[]) => byLabel.map((m) => `${m.label} ${fmt(m.mean, 1)}`).join(' / ');

export function formatReport(report: EvalReport): string {
  const out: string[] = [];
  const isOffline = report.provider === 'offline';
  out.push(`Screening eval: provider ${report.provider}, model ${report.model}, prompt ${report.promptVersion || 'n/a'}`);
  if (isOffline) out.push('(the offline keyword matcher, not a language model)');
  out.push(
    `${report.dataset.jobs} jobs, ${report.dataset.baseResumes} labelled resumes, ${report.dataset.variants} proxy-only variants; ${(report.durationMs / 1000).toFixed(1)} s`,
    '',
    'Rank agreement with the labels (base resumes; labels weak 0 < partial 1 < strong 2)',
    ...table(
      ['job', 'reqs', 'n', 'spearman', 'kendall-b', 'pairwise', 'mean score weak / partial / strong'],
      [
        ...report.jobs.map((j) => [
          j.jobId,
          String(j.requirements),
          String(j.resumes),
          fmt(j.spearman),
          fmt(j.kendallTauB),
          `${fmt(j.pairwise.accuracy)} (${j.pairwise.correct}/${j.pairwise.pairs})`,
          j.meanByLabel.map((m) => fmt(m.mean, 1)).join(' / '),
        ]),
        [
          'all (pooled)',
          '',
          String(report.overall.resumes),
          fmt(report.overall.spearman),
          fmt(report.overall.kendallTauB),
          `${fmt(report.overall.pairwise.accuracy)} (${report.overall.pairwise.correct}/${report.overall.pairwise.pairs})`,
          report.overall.meanByLabel.map((m) => fmt(m.mean, 1)).join(' / '),
        ],
        ['mean of jobs', '', '', fmt(report.overall.meanJobSpearman), fmt(report.overall.meanJobKendallTauB), '', ''],
      ],
    ),
    '',
    `Mean score per label: ${means(report.overall.meanByLabel)}`,
    '',
    'Proxy-only variants (delta = |variant score − base score|; "reaches provider" = the proxy survives minimiseResume)',
    ...table(
      ['variant', 'proxy', 'base', 'variant', 'delta', 'reaches provider'],
      report.proxy.rows.map((r) => [r.variantId, r.proxy, String(r.baseScore), String(r.variantScore), String(r.delta), r.reachesProvider ? `yes: ${r.keptLines.join(' / ').slice(0, 70)}` : 'no']),
    ),
    '',
    `Max proxy delta: ${report.proxy.max}${report.proxy.maxProxy ? ` (${report.proxy.maxProxy}: ${report.proxy.maxVariantIds.join(', ')})` : ''}; mean ${fmt(report.proxy.mean)}`,
    `Proxies that reach the provider: ${report.proxy.rows.filter((r) => r.reachesProvider).length} of ${report.proxy.rows.length} variants`,
  );
  return out.join('\n');
}
