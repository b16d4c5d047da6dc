/**
 * A job-description draft as the drafters return it and the checks read it: sections of claims, each
 * naming the one text of the brief it comes from, so that grounding can be checked claim by claim and a
 * reviewer can see where each line was taken from. The EEO statement and the pay range are not the
 * drafter's: the workflow copies them from the configuration and the job's own field (never invented).
 */

/**
 * Where a claim comes from, as a short id of the brief's material: `job:<field>` (`job:name`,
 * `job:department`, `job:offices`, `job:openings`, `job:field:<name_key>`), `job-note:<id>`,
 * `post:<id>` (a similar past post) or `corpus:<document name>`.
 */
export type ClaimSource = string;

export interface Claim {
  readonly text: string;
  readonly source: ClaimSource;
}

/** What a drafter writes. */
export interface DraftContent {
  readonly summary: readonly Claim[];
  readonly responsibilities: readonly Claim[];
  readonly mustHave: readonly Claim[];
  readonly niceToHave: readonly Claim[];
  readonly benefits: readonly Claim[];
}

export const DRAFT_SECTIONS = ['summary', 'responsibilities', 'mustHave', 'niceToHave', 'benefits'] as const;
export type DraftSection = (typeof DRAFT_SECTIONS)[number];

export const SECTION_TITLES: Readonly<Record<DraftSection, string>> = {
  summary: 'Summary',
  responsibilities: 'Responsibilities',
  mustHave: 'Must have',
  niceToHave: 'Nice to have',
  benefits: 'Benefits',
};

/** A pay range as the job's own currency-range field holds it. */
export interface PayRange {
  readonly min: number;
  readonly max: number;
  readonly currency: string;
}

export interface JobDescriptionDraft extends DraftContent {
  readonly title: string;
  /** The configured statement word for word, or null when none is configured. */
  readonly eeoStatement: string | null;
  /** From the job's pay-range field; null when the job has none. */
  readonly payRange: PayRange | null;
}

export const sourceOf = {
  job: (field: string): ClaimSource => `job:${field}`,
  jobField: (nameKey: string): ClaimSource => `job:field:${nameKey}`,
  jobNote: (id: number): ClaimSource => `job-note:${id}`,
  post: (id: number): ClaimSource => `post:${id}`,
  corpus: (name: string): ClaimSource => `corpus:${name}`,
};

/** `USD 100,000–150,000`. */
export function formatPayRange(range: PayRange): string {
  const n = (v: number) => v.toLocaleString('en-US');
  return `${range.currency} ${n(range.min)}–${n(range.max)}`;
}

/** Every word of the draft a reader would read, for the length check. */
export function draftWords(draft: JobDescriptionDraft): number {
  const texts = [draft.title, ...DRAFT_SECTIONS.flatMap((s) => draft[s].map((c) => c.text)), draft.eeoStatement ?? '', draft.payRange ? formatPayRange(draft.payRange) : ''];
  return texts.reduce((sum, t) => sum + wordCount(t), 0);
}

export function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The draft as a job post's HTML content, for a post that is not live: the same sections, without the
 * sources (the review note keeps those). A missing pay range or EEO statement is left out, not invented.
 */
export function draftHtml(draft: JobDescriptionDraft): string {
  const parts: string[] = draft.summary.map((c) => `<p>${escapeHtml(c.text)}</p>`);
  for (const section of DRAFT_SECTIONS.slice(1)) {
    if (!draft[section].length) continue;
    parts.push(`<h3>${SECTION_TITLES[section]}</h3>`, `<ul>${draft[section].map((c) => `<li>${escapeHtml(c.text)}</li>`).join('')}</ul>`);
  }
  if (draft.payRange) parts.push(`<h3>Pay range</h3>`, `<p>${escapeHtml(formatPayRange(draft.payRange))}</p>`);
  if (draft.eeoStatement) parts.push(`<p>${escapeHtml(draft.eeoStatement)}</p>`);
  return parts.join('\n');
}
