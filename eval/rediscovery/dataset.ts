import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { evalJobSchema } from '../dataset.ts';

/**
 * The labelled rediscovery eval set (`npm run eval -- rediscovery`): six synthetic job posts and one
 * pool of synthetic past candidates written for this project (made-up people and companies,
 * `.example` domains, phone numbers from the range set aside for drama). Every job searches the whole
 * pool, as a tenant's index would be searched. `grades` says how well a candidate fits each job:
 * 3 a clear fit, 2 a fit, 1 a partial fit, 0 (or absent) no fit. `nearMissFor` marks candidates
 * written to share a job's words but not its substance (a Java barista, a nurse shark researcher).
 */
/** The same job shape as the screening eval's: an id, a title and the post's HTML. */
export const rediscoveryJobSchema = evalJobSchema;
const { id } = evalJobSchema.shape;

export const rediscoveryCandidateSchema = z.strictObject({
  id,
  candidateId: z.int().positive(),
  candidate: z.strictObject({ firstName: z.string().min(1), lastName: z.string().min(1) }),
  title: z.string(),
  company: z.string(),
  employments: z.array(z.strictObject({ title: z.string(), company: z.string() })),
  educations: z.array(z.strictObject({ degree: z.string(), discipline: z.string(), school: z.string() })),
  tags: z.array(z.string()),
  /** Plain-text resume, as text extraction from a PDF or DOCX would give it. */
  resume: z.string().min(1),
  grades: z.record(id, z.int().min(0).max(3)),
  nearMissFor: z.array(id).optional(),
  /** Why the candidate is in the set, for the reader of the report. */
  note: z.string().optional(),
});

export type RediscoveryJob = z.infer<typeof rediscoveryJobSchema>;
export type RediscoveryCandidate = z.infer<typeof rediscoveryCandidateSchema>;
export interface RediscoveryDataset {
  readonly jobs: RediscoveryJob[];
  readonly candidates: RediscoveryCandidate[];
}

export const REDISCOVERY_DATASET_DIR = join(import.meta.dirname, 'dataset');

/** Cross-record rules zod cannot state per record. Throws listing every problem. */
export function checkRediscoveryDataset(dataset: RediscoveryDataset): RediscoveryDataset {
  const problems: string[] = [];
  const jobIds = new Set<string>();
  for (const job of dataset.jobs) {
    if (jobIds.has(job.id)) problems.push(`job ${job.id} appears twice`);
    jobIds.add(job.id);
  }
  const ids = new Set<string>();
  const numbers = new Set<number>();
  for (const c of dataset.candidates) {
    if (ids.has(c.id)) problems.push(`candidate ${c.id} appears twice`);
    if (numbers.has(c.candidateId)) problems.push(`candidate id ${c.candidateId} appears twice`);
    ids.add(c.id);
    numbers.add(c.candidateId);
    for (const job of [...Object.keys(c.grades), ...(c.nearMissFor ?? [])]) if (!jobIds.has(job)) problems.push(`candidate ${c.id}: no job ${job}`);
    for (const job of c.nearMissFor ?? []) if ((c.grades[job] ?? 0) > 0) problems.push(`candidate ${c.id}: a near miss for ${job} graded above 0`);
  }
  if (problems.length) throw new Error(`invalid rediscovery eval dataset:\n- ${problems.join('\n- ')}`);
  return dataset;
}

export function loadRediscoveryDataset(dir: string = REDISCOVERY_DATASET_DIR): RediscoveryDataset {
  const read = (file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown;
  const jobs = z.strictObject({ jobs: z.array(rediscoveryJobSchema) }).safeParse(read('jobs.json'));
  if (!jobs.success) throw new Error(`rediscovery eval jobs.json: ${z.prettifyError(jobs.error)}`);
  const candidates = z.strictObject({ candidates: z.array(rediscoveryCandidateSchema) }).safeParse(read('candidates.json'));
  if (!candidates.success) throw new Error(`rediscovery eval candidates.json: ${z.prettifyError(candidates.error)}`);
  return checkRediscoveryDataset({ jobs: jobs.data.jobs, candidates: candidates.data.candidates });
}

/** A candidate's grade for a job: absent means no fit. */
export const gradeFor = (candidate: RediscoveryCandidate, jobId: string): number => candidate.grades[jobId] ?? 0;
