import { describe, expect, it } from 'vitest';
import { requirementsFromJobPost } from '#core/ai/screening/job-requirements';
import { checkDataset, LABELS, loadDataset, type EvalDataset } from '../../../eval/dataset.ts';

const dataset = loadDataset();
const base = dataset.resumes.filter((r) => r.variantOf === undefined);
const variants = dataset.resumes.filter((r) => r.variantOf !== undefined);
const byId = new Map(dataset.resumes.map((r) => [r.id, r]));

/** Lines only in `a` and lines only in `b`, after the longest common subsequence of lines. */
function lineDiff(a: readonly string[], b: readonly string[]): { removed: number; added: number } {
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const common = lcs[0]![0]!;
  return { removed: a.length - common, added: b.length - common };
}

describe('the eval dataset', () => {
  it('loads and validates: six or more kinds of job, each with a post that yields requirements', () => {
    expect(dataset.jobs.length).toBeGreaterThanOrEqual(6);
    expect(new Set(dataset.jobs.map((j) => j.title)).size).toBe(dataset.jobs.length);
    for (const job of dataset.jobs) expect(requirementsFromJobPost(job.postHtml).length, job.id).toBeGreaterThanOrEqual(5);
  });

  it('gives every job at least six labelled resumes, at least two of each label', () => {
    for (const job of dataset.jobs) {
      const resumes = base.filter((r) => r.jobId === job.id);
      expect(resumes.length, job.id).toBeGreaterThanOrEqual(6);
      for (const label of LABELS) expect(resumes.filter((r) => r.label === label).length, `${job.id} ${label}`).toBeGreaterThanOrEqual(2);
    }
  });

  it('is clearly synthetic: .example domains, fictional phone ranges, the candidate named on the first line', () => {
    for (const resume of dataset.resumes) {
      for (const [, domain] of resume.text.matchAll(/@([\w.-]+)/g)) expect(domain, resume.id).toMatch(/\.example$/);
      for (const [, host] of resume.text.matchAll(/https?:\/\/([^/\s]+)/g)) expect(host, resume.id).toMatch(/\.example$/);
      // Ofcom's drama range (07700 900000–900999) and the US 555-01xx range.
      for (const [phone] of resume.text.matchAll(/\+44 7700 \d{6}|\(555\) \d{3}-\d{4}/g)) expect(phone, resume.id).toMatch(/^\+44 7700 900\d{3}$|^\(555\) 01\d-\d{4}$/);
      const firstLine = resume.text.split('\n')[0]!;
      expect(firstLine, resume.id).toContain(resume.candidate.firstName);
      expect(firstLine, resume.id).toContain(resume.candidate.lastName);
    }
  });

  it('has twelve or more proxy-only variants covering the proxy kinds', () => {
    expect(variants.length).toBeGreaterThanOrEqual(12);
    expect(new Set(variants.map((v) => v.proxy)).size).toBeGreaterThanOrEqual(8);
  });

  it('keeps every variant on its base resume’s job and label, differing from it in at most three lines', () => {
    for (const variant of variants) {
      const original = byId.get(variant.variantOf!);
      expect(original, variant.id).toBeDefined();
      expect(original!.variantOf, variant.id).toBeUndefined();
      expect([variant.jobId, variant.label], variant.id).toEqual([original!.jobId, original!.label]);
      const { removed, added } = lineDiff(original!.text.split('\n'), variant.text.split('\n'));
      expect(removed + added, variant.id).toBeGreaterThan(0);
      expect(Math.max(removed, added), variant.id).toBeLessThanOrEqual(3);
      // Only a name variant may rename the candidate.
      if (variant.proxy !== 'name') expect(variant.candidate, variant.id).toEqual(original!.candidate);
    }
  });

  it('rejects a variant whose label or job differs from its base, or whose base is missing', () => {
    const job = dataset.jobs[0]!;
    const resume = { id: 'b', jobId: job.id, label: 'strong' as const, candidate: { firstName: 'Ann', lastName: 'Example' }, text: 'Ann Example' };
    const bad: EvalDataset = {
      jobs: [job],
      resumes: [
        resume,
        { ...resume, id: 'v1', label: 'weak', text: 'Ann Example\nAge: 60', variantOf: 'b', proxy: 'age' },
        { ...resume, id: 'v2', text: 'x', variantOf: 'missing', proxy: 'age' },
        { ...resume, id: 'v3', variantOf: 'b' },
      ],
    };
    expect(() => checkDataset(bad)).toThrow(/v1: label weak, its base's is strong[\s\S]*v2: no base resume missing[\s\S]*v3: variantOf and proxy go together/);
  });
});
