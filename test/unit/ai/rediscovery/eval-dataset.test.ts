import { describe, expect, it } from 'vitest';
import { checkRediscoveryDataset, gradeFor, loadRediscoveryDataset } from '../../../../eval/rediscovery/dataset.ts';
import { evaluateRediscovery } from '../../../../eval/rediscovery/evaluate.ts';
import { ExactVectorIndex } from '#adapters/ai/exact-vector-index';
import { offlineEmbedder } from '#core/ai/rediscovery/offline-embedder';

const dataset = loadRediscoveryDataset();

describe('the rediscovery eval set', () => {
  it('has six jobs, each with fits, partial fits and near misses in one shared pool', () => {
    expect(dataset.jobs).toHaveLength(6);
    expect(dataset.candidates.length).toBeGreaterThanOrEqual(30);
    for (const job of dataset.jobs) {
      const grades = dataset.candidates.map((c) => gradeFor(c, job.id));
      expect(grades.filter((g) => g >= 2).length, job.id).toBeGreaterThanOrEqual(3);
      expect(grades.filter((g) => g === 1).length, job.id).toBeGreaterThanOrEqual(1);
      expect(dataset.candidates.filter((c) => c.nearMissFor?.includes(job.id)).length, job.id).toBeGreaterThanOrEqual(2);
    }
  });

  it('holds only made-up contact details', () => {
    const all = dataset.candidates.map((c) => c.resume).join('\n');
    const emails = all.match(/[\w.+-]+@[\w.-]+/g) ?? [];
    const links = all.match(/(?:https?:\/\/|www\.)\S+/g) ?? [];
    const phones = all.match(/(?:\+\d+ )?\b\d[\d ]{8,}\d\b/g) ?? [];
    expect([emails.length, links.length, phones.length].every((n) => n >= 5)).toBe(true);
    for (const email of emails) expect(email).toMatch(/@mail\.example$/);
    for (const link of links) expect(link).toMatch(/\.example(?:\/|$)/);
    // Ofcom keeps 07700 900000–900999 for drama: numbers that reach no one.
    for (const phone of phones) expect(phone).toMatch(/^(?:\+44 )?0?7700 900\d{3}$/);
  });

  it('refuses a near miss graded as a fit and a grade for an unknown job', () => {
    const [first] = dataset.candidates;
    expect(() => checkRediscoveryDataset({ jobs: dataset.jobs, candidates: [{ ...first!, grades: { 'no-such-job': 2 } }] })).toThrow(/no job no-such-job/);
    expect(() => checkRediscoveryDataset({ jobs: dataset.jobs, candidates: [{ ...first!, nearMissFor: ['java-backend'], grades: { 'java-backend': 1 } }] })).toThrow(/near miss/);
  });

  it('runs end to end on the offline embedder and reports figures between 0 and 1 for every job', async () => {
    const report = await evaluateRediscovery(dataset, offlineEmbedder, new ExactVectorIndex(), { k: 10, minGrade: 2 });
    expect(report.provenance.isLanguageModel).toBe(false);
    expect(report.jobs).toHaveLength(6);
    for (const job of report.jobs) {
      expect(job.ranked).toHaveLength(10);
      expect(job.recall).toBeGreaterThanOrEqual(0);
      expect(job.recall).toBeLessThanOrEqual(1);
      expect(job.ndcg).toBeGreaterThanOrEqual(0);
      expect(job.ndcg).toBeLessThanOrEqual(1);
    }
  });
});
