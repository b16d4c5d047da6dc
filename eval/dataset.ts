import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';

/**
 * The labelled screening eval set (`npm run eval`): synthetic job posts and resumes written for this
 * project (made-up people and companies, `.example` domains). Each file in eval/dataset/ holds one or
 * more jobs and their resumes; loadDataset merges and validates them.
 *
 * A resume with `variantOf` is a copy of its base resume with only protected-attribute proxies changed
 * (`proxy` says which kind, `note` what exactly); it carries the base's job and label. Rank metrics use
 * the base resumes only; the variants measure how far a proxy alone moves a score.
 */
export const LABELS = ['weak', 'partial', 'strong'] as const;
export type Label = (typeof LABELS)[number];
/** The label as an ordinal for rank metrics: weak 0, partial 1, strong 2. */
export const labelOrdinal = (label: Label): number => LABELS.indexOf(label);

export const PROXY_KINDS = [
  'name',
  'pronouns',
  'age',
  'graduation-year',
  'nationality',
  'marital-status',
  'photo',
  'association',
  'maternity-leave',
] as const;
export type ProxyKind = (typeof PROXY_KINDS)[number];

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are lower-case words joined by hyphens');

export const evalJobSchema = z.strictObject({
  id,
  title: z.string().min(1),
  /** The job post's `content` as Greenhouse returns it (HTML). */
  postHtml: z.string().min(1),
});

export const evalResumeSchema = z.strictObject({
  id,
  jobId: id,
  label: z.enum(LABELS),
  candidate: z.strictObject({ firstName: z.string().min(1), lastName: z.string().min(1) }),
  /** Plain-text resume, as text extraction from a PDF or DOCX would give it. */
  text: z.string().min(1),
  variantOf: id.optional(),
  proxy: z.enum(PROXY_KINDS).optional(),
  /** What the variant changed, for the reader of the report. */
  note: z.string().optional(),
});

export const evalFileSchema = z.strictObject({
  jobs: z.array(evalJobSchema),
  resumes: z.array(evalResumeSchema),
});

export type EvalJob = z.infer<typeof evalJobSchema>;
export type EvalResume = z.infer<typeof evalResumeSchema>;
export type EvalDataset = z.infer<typeof evalFileSchema>;

export const DATASET_DIR = join(import.meta.dirname, 'dataset');

/** Cross-record rules zod cannot state per record. Throws listing every problem. */
export function checkDataset(dataset: EvalDataset): EvalDataset {
  const problems: string[] = [];
  const jobs = new Map<string, EvalJob>();
  for (const job of dataset.jobs) {
    if (jobs.has(job.id)) problems.push(`job ${job.id} appears twice`);
    jobs.set(job.id, job);
  }
  const resumes = new Map<string, EvalResume>();
  for (const resume of dataset.resumes) {
    if (resumes.has(resume.id)) problems.push(`resume ${resume.id} appears twice`);
    resumes.set(resume.id, resume);
    if (!jobs.has(resume.jobId)) problems.push(`resume ${resume.id}: no job ${resume.jobId}`);
  }
  for (const resume of dataset.resumes) {
    if ((resume.variantOf === undefined) !== (resume.proxy === undefined)) {
      problems.push(`resume ${resume.id}: variantOf and proxy go together`);
    }
    if (resume.variantOf === undefined) continue;
    const base = resumes.get(resume.variantOf);
    if (!base) problems.push(`variant ${resume.id}: no base resume ${resume.variantOf}`);
    else if (base.variantOf !== undefined) problems.push(`variant ${resume.id}: its base ${base.id} is itself a variant`);
    else {
      if (base.jobId !== resume.jobId) problems.push(`variant ${resume.id}: job ${resume.jobId}, its base's is ${base.jobId}`);
      if (base.label !== resume.label) problems.push(`variant ${resume.id}: label ${resume.label}, its base's is ${base.label}`);
      if (base.text === resume.text) problems.push(`variant ${resume.id}: text identical to its base's`);
    }
  }
  if (problems.length) throw new Error(`invalid eval dataset:\n- ${problems.join('\n- ')}`);
  return dataset;
}

/** Every *.json file in `dir` (eval/dataset by default), validated and merged. */
export function loadDataset(dir: string = DATASET_DIR): EvalDataset {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0) throw new Error(`no eval dataset files in ${dir}`);
  const merged: EvalDataset = { jobs: [], resumes: [] };
  for (const file of files) {
    const parsed = evalFileSchema.safeParse(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    if (!parsed.success) throw new Error(`eval dataset ${file}: ${z.prettifyError(parsed.error)}`);
    merged.jobs.push(...parsed.data.jobs);
    merged.resumes.push(...parsed.data.resumes);
  }
  return checkDataset(merged);
}
