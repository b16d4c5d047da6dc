import type { Candidate } from '#core/greenhouse/records';
import { requirementsFromJobPost } from '#core/ai/screening/job-requirements';
import { candidateProfile } from '#core/ai/rediscovery/profile';
import { jobQueryText } from '#core/ai/rediscovery/match';
import { vectorKey, type Embedder, type EmbedderProvenance, type VectorIndex } from '#core/ai/rediscovery/ports';
import { gradeFor, type RediscoveryCandidate, type RediscoveryDataset } from './dataset.ts';
import { meanOf, ndcgAtK, recallAtK } from './metrics.ts';

/**
 * Runs the labelled pool through the production path: each candidate's profile from
 * `candidateProfile` (minimised as deployed), embedded as documents into the index; each job's query
 * from `requirementsFromJobPost` and `jobQueryText`, embedded as a query; the index's top k against the
 * grades. Eligibility is not applied: every candidate of the set is eligible, and the eval measures
 * what the embedder and the index find, not the rules.
 */

export interface JobFigures {
  readonly jobId: string;
  readonly title: string;
  readonly recall: number | null;
  readonly ndcg: number | null;
  /** Candidates graded ≥ minGrade for the job. */
  readonly relevant: number;
  /** The top k, best first, with their grades; near misses flagged. */
  readonly ranked: { readonly id: string; readonly grade: number; readonly score: number; readonly nearMiss: boolean }[];
}

export interface RediscoveryReport {
  readonly provenance: EmbedderProvenance;
  readonly k: number;
  readonly minGrade: number;
  readonly candidates: number;
  readonly jobs: JobFigures[];
  readonly meanRecall: number | null;
  readonly meanNdcg: number | null;
  /** Near misses that reached some job's top k, of all near-miss pairs in the set. */
  readonly nearMissesInTopK: number;
  readonly nearMisses: number;
}

function candidateRecord(c: RediscoveryCandidate): Candidate {
  return { id: c.candidateId, first_name: c.candidate.firstName, last_name: c.candidate.lastName, title: c.title, company: c.company, tags: c.tags } as Candidate;
}

export async function evaluateRediscovery(
  dataset: RediscoveryDataset,
  embedder: Embedder,
  index: VectorIndex,
  options: { readonly k: number; readonly minGrade: number },
): Promise<RediscoveryReport> {
  const profiles = dataset.candidates.map((c) =>
    candidateProfile({
      candidate: candidateRecord(c),
      employments: c.employments.map((e) => ({ title: e.title, company_name: e.company })),
      educations: c.educations.map((e) => ({ degree: e.degree, discipline: e.discipline, school_name: e.school })),
      resumeText: c.resume,
    }),
  );
  const documents = await embedder.embed(profiles.map((p) => p.text), 'document');
  await index.put(profiles.map((p, i) => ({ key: vectorKey(p.candidateId), vector: documents.vectors[i]!, metadata: { candidateId: p.candidateId, lastActivityAt: null, hash: p.hash } })));

  const byCandidateId = new Map(dataset.candidates.map((c) => [c.candidateId, c]));
  const jobs: JobFigures[] = [];
  for (const job of dataset.jobs) {
    const query = await embedder.embed([jobQueryText(job.title, requirementsFromJobPost(job.postHtml))], 'query');
    const matches = await index.query(query.vectors[0]!, options.k);
    const ranked = matches.map((m) => {
      const c = byCandidateId.get(m.metadata.candidateId)!;
      return { id: c.id, grade: gradeFor(c, job.id), score: m.score, nearMiss: (c.nearMissFor ?? []).includes(job.id) };
    });
    const all = dataset.candidates.map((c) => gradeFor(c, job.id));
    const grades = ranked.map((r) => r.grade);
    jobs.push({
      jobId: job.id,
      title: job.title,
      recall: recallAtK(grades, all, options.k, options.minGrade),
      ndcg: ndcgAtK(grades, all, options.k),
      relevant: all.filter((g) => g >= options.minGrade).length,
      ranked,
    });
  }
  return {
    provenance: documents.provenance,
    k: options.k,
    minGrade: options.minGrade,
    candidates: dataset.candidates.length,
    jobs,
    meanRecall: meanOf(jobs.map((j) => j.recall)),
    meanNdcg: meanOf(jobs.map((j) => j.ndcg)),
    nearMissesInTopK: jobs.reduce((n, j) => n + j.ranked.filter((r) => r.nearMiss).length, 0),
    nearMisses: dataset.candidates.reduce((n, c) => n + (c.nearMissFor?.length ?? 0), 0),
  };
}

const figure = (x: number | null) => (x === null ? '   —' : x.toFixed(2));

export function formatRediscoveryReport(report: RediscoveryReport): string {
  const { provenance, k } = report;
  const lines = [
    `Candidate rediscovery eval: ${report.jobs.length} jobs, a pool of ${report.candidates} past candidates`,
    `Embedder ${provenance.provider} · model ${provenance.model} · ${provenance.dimensions} dimensions${provenance.isLanguageModel ? '' : ' · not a language model'}`,
    `Relevant: grade ≥ ${report.minGrade} (of 0–3); nDCG uses every grade.`,
    '',
    `job                    recall@${k}  nDCG@${k}  relevant  near misses in top ${k}`,
  ];
  for (const job of report.jobs) {
    const near = job.ranked.filter((r) => r.nearMiss);
    lines.push(
      `${job.jobId.padEnd(22)} ${figure(job.recall).padStart(9)} ${figure(job.ndcg).padStart(7)} ${String(job.relevant).padStart(9)}  ${near.length ? near.map((r) => `${r.id} (#${job.ranked.indexOf(r) + 1})`).join(', ') : 'none'}`,
    );
  }
  lines.push(`${'mean'.padEnd(22)} ${figure(report.meanRecall).padStart(9)} ${figure(report.meanNdcg).padStart(7)}`);
  lines.push('', `Near misses in some top ${k}: ${report.nearMissesInTopK} of ${report.nearMisses}.`);
  lines.push('', `Top ${k} per job (grade, cosine; * a near miss):`);
  for (const job of report.jobs) {
    lines.push(`  ${job.jobId}: ${job.ranked.map((r) => `${r.id} ${r.grade} ${r.score.toFixed(2)}${r.nearMiss ? '*' : ''}`).join(' | ')}`);
  }
  return lines.join('\n');
}
