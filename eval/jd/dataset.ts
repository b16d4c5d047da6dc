import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import type { JobBrief } from '#core/ai/jd/ports';
import { postSections } from '#core/ai/jd/similar-posts';

/**
 * The job-description eval set (`npm run eval -- jd`): six job briefs written for this project, for a
 * made-up company (Fernleaf Analytics), each with the job's own data as the workflow would minimise it,
 * the similar past posts retrieval would find (as HTML) and the company corpus. `note` says what each
 * brief is there to show: a clean one, sources with non-inclusive wording, no similar post, perks the
 * corpus does not state, repeated lines, a tight budget without an EEO statement.
 */
const document = z.strictObject({ name: z.string().min(1), text: z.string().min(1) });
const id = z.int().positive();

export const jdBriefSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  note: z.string().min(1),
  job: z.strictObject({
    name: z.string().min(1),
    department: z.string().nullable(),
    offices: z.array(z.string()),
    openings: z.int().nonnegative().nullable(),
    customFields: z.array(z.strictObject({ nameKey: z.string(), name: z.string(), value: z.string() })),
    notes: z.array(z.strictObject({ id, text: z.string() })),
    hiringTeam: z.array(z.strictObject({ role: z.string(), count: z.int().positive() })),
  }),
  similarPosts: z.array(z.strictObject({ id, title: z.string(), html: z.string() })),
  payRangeRequiredIn: z.array(z.string()),
  payRange: z.strictObject({ min: z.number(), max: z.number(), currency: z.string().length(3) }).nullable(),
  /** Overrides the set's budget or EEO statement (null: none configured) for this brief. */
  maxWords: z.int().positive().optional(),
  eeoStatement: z.string().nullable().optional(),
});

export const jdDatasetSchema = z.strictObject({
  eeoStatement: z.string().min(1),
  maxWords: z.int().positive(),
  corpus: z.array(document),
  briefs: z.array(jdBriefSchema).min(1),
});

export type JdEvalBrief = z.infer<typeof jdBriefSchema>;
export type JdDataset = z.infer<typeof jdDatasetSchema>;

export const JD_DATASET_FILE = join(import.meta.dirname, 'dataset', 'briefs.json');

export function loadJdDataset(file = JD_DATASET_FILE): JdDataset {
  const dataset = jdDatasetSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const ids = dataset.briefs.map((b) => b.id);
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (twice.length) throw new Error(`jd eval: brief ids appear twice: ${twice.join(', ')}`);
  return dataset;
}

/** The brief a drafter reads, as the workflow builds it; posts scored by their order (retrieval is not what this eval measures). */
export function jobBriefOf(brief: JdEvalBrief, dataset: Pick<JdDataset, 'corpus'>, maxWords: number, jobId: number): JobBrief {
  return {
    jobId,
    ...brief.job,
    similarPosts: brief.similarPosts.map((p, i) => ({ id: p.id, title: p.title, score: 1 - i / 10, sections: postSections(p.html) })),
    corpus: dataset.corpus,
    maxWords,
  };
}
