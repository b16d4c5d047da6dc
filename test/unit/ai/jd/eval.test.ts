import { describe, expect, it } from 'vitest';
import { offlineJobDescriptionDrafter } from '#core/ai/jd/offline-drafter';
import { jobBriefOf, loadJdDataset } from '../../../../eval/jd/dataset.ts';
import { evaluateJd, formatJdReport } from '../../../../eval/jd/evaluate.ts';
import { jdDrafterFor } from '../../../../eval/jd/run.ts';

describe('the job-description eval', () => {
  const dataset = loadJdDataset();

  it('has five or six briefs, one of them with non-inclusive wording in its sources', () => {
    expect(dataset.briefs.length).toBeGreaterThanOrEqual(5);
    const sources = JSON.stringify(dataset.briefs.find((b) => b.id === 'warehouse-supervisor'));
    expect(sources).toMatch(/rockstar/);
    expect(sources).toMatch(/manpower/);
  });

  it('turns a brief\'s post HTML into sections, as retrieval would hand them to the drafter', () => {
    const brief = jobBriefOf(dataset.briefs[0]!, dataset, 500, 1);
    expect(brief.similarPosts[0]!.sections.map((s) => s.heading)).toEqual(['What you will do', 'Requirements', 'Nice to have']);
  });

  it('reports, for the offline drafter, the wording it copied and the checks that failed', async () => {
    const report = await evaluateJd(dataset, offlineJobDescriptionDrafter);
    const warehouse = report.drafts.find((d) => d.id === 'warehouse-supervisor')!;
    expect(warehouse.inclusiveFindings.some((f) => f.includes('rockstar'))).toBe(true);
    expect(warehouse.inclusiveFindings.some((f) => f.includes('manpower'))).toBe(true);
    expect(warehouse.failedChecks).toEqual(['inclusive-language', 'pay-range']);
    const tight = report.drafts.find((d) => d.id === 'product-designer-tight')!;
    expect(tight.words).toBeLessThanOrEqual(tight.maxWords);
    expect(tight.failedChecks).toEqual(['eeo-statement']);
    expect(report.drafts.find((d) => d.id === 'data-analyst')!.failedChecks).toEqual(['required-sections']);
    const text = formatJdReport(report);
    expect(text).toMatch(/^warehouse-supervisor +4\/5 +4 +0 /m);
    expect(text).toContain('not a language model');
  });

  it('refuses an unknown drafter and a model the offline drafter does not have', () => {
    expect(() => jdDrafterFor('gpt')).toThrow(/unknown drafter/);
    expect(() => jdDrafterFor('offline', 'claude')).toThrow(/one model/);
  });
});
