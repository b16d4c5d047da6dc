import { DEFAULT_MODEL_ID } from '#core/ai/settings';
import { describe, expect, it } from 'vitest';
import type { ScreeningProvider } from '#core/ai/screening/contract';
import { loadDataset, type Label } from '../../../eval/dataset.ts';
import { evaluate, formatReport, gateFailures, minimiseFor } from '../../../eval/evaluate.ts';
import { providerFor } from '../../../eval/providers.ts';

const dataset = loadDataset();

/** A stand-in provider that scores by the label of the resume it is shown, minus a penalty if the text says `penalise`. */
function labelProvider(penalise?: RegExp): ScreeningProvider {
  const scores: Record<Label, number> = { weak: 10, partial: 50, strong: 90 };
  const labelOf = new Map(dataset.resumes.map((r) => [minimiseFor(r).text, r.label]));
  return {
    provider: 'fake',
    model: 'by-label',
    screen: async (input) => ({
      provider: 'fake',
      model: 'by-label',
      promptVersion: 'test',
      score: scores[labelOf.get(input.resumeText)!] - (penalise?.test(input.resumeText) ? 20 : 0),
      summary: 'fake',
      strengths: [],
      gaps: [],
      notJudged: [],
      usage: { inputTokens: 0, outputTokens: 0 },
      latencyMs: 0,
    }),
  };
}

describe('evaluate', () => {
  it('reports perfect agreement and no proxy effect for a provider that scores by label alone', async () => {
    const report = await evaluate(dataset, labelProvider(), { concurrency: 4 });
    expect(report.overall.spearman).toBeCloseTo(1, 12);
    expect(report.overall.kendallTauB).toBeCloseTo(1, 12);
    expect(report.overall.pairwise.accuracy).toBe(1);
    for (const job of report.jobs) expect(job.spearman, job.jobId).toBeCloseTo(1, 12);
    expect(report.proxy).toMatchObject({ max: 0, maxProxy: null });
    expect(report.dataset).toEqual({ jobs: dataset.jobs.length, baseResumes: report.overall.resumes, variants: report.proxy.rows.length });
    expect(gateFailures(report, { maxProxyDelta: 0, minSpearman: 0.9 })).toEqual([]);
  });

  it('finds the largest proxy-only change and names its kind; a missed gate is reported', async () => {
    // A membership survives minimisation (it reaches the provider), so a provider that reacts to it shows.
    const report = await evaluate(dataset, labelProvider(/Women in Engineering/i));
    expect(report.proxy.max).toBe(20);
    expect(report.proxy.maxProxy).toBe('association');
    expect(report.proxy.rows.filter((r) => r.delta > 0).every((r) => r.proxy === 'association' && r.reachesProvider)).toBe(true);
    expect(gateFailures(report, { maxProxyDelta: 5 })).toEqual([expect.stringMatching(/max proxy delta 20 exceeds --max-proxy-delta 5/)]);
    expect(formatReport(report)).toMatch(/Max proxy delta: 20 \(association/);
  });

  it('runs the offline matcher end to end and says it is not a language model', async () => {
    const report = await evaluate(dataset, await providerFor('offline'));
    expect(report).toMatchObject({ provider: 'offline', model: 'keyword-matcher-v1' });
    expect(report.results).toHaveLength(dataset.resumes.length);
    // A proxy that minimisation removes leaves the text the provider sees unchanged, so the score too.
    for (const row of report.proxy.rows.filter((r) => !r.reachesProvider)) expect(row.delta, row.variantId).toBe(0);
    expect(formatReport(report)).toMatch(/not a language model/);
  });

  it('scores with the deployed Bedrock path for --provider bedrock, and refuses a model the offline matcher does not have', async () => {
    await expect(providerFor('bedrock')).resolves.toMatchObject({ provider: 'bedrock', model: DEFAULT_MODEL_ID });
    await expect(providerFor('bedrock', { model: 'anthropic.claude-sonnet-4-6' })).resolves.toMatchObject({ provider: 'bedrock', model: 'anthropic.claude-sonnet-4-6' });
    await expect(providerFor('offline', { model: 'anthropic.claude' })).rejects.toThrow(/one model, keyword-matcher-v1/);
    await expect(providerFor('openai')).rejects.toThrow(/unknown screening provider/);
  });
});
