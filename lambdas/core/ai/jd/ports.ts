import type { TokenUsage } from '../model.ts';
import type { DraftContent } from './draft.ts';

/**
 * Job-description drafts' ports: the company's own texts (values, benefits, EEO statement) and the
 * drafter. The core owns them; the local stack and the tests read a folder and use the offline
 * drafter (offline-drafter.ts), a deployment an S3 prefix and a language model (prompt.ts).
 */

export interface CorpusDocument {
  /** The file's name (`benefits.md`): a claim's source names it. */
  readonly name: string;
  readonly text: string;
}

export interface CompanyCorpus {
  documents(): Promise<CorpusDocument[]>;
}

/** One of the tenant's past job posts, as plain text sections. */
export interface SimilarPost {
  readonly id: number;
  readonly title: string;
  /** Cosine similarity of the post to the job (similar-posts.ts). */
  readonly score: number;
  /** The post's content as sections: a heading (empty before the first one) and its paragraphs or list items. */
  readonly sections: readonly { readonly heading: string; readonly items: readonly string[] }[];
}

/**
 * All a drafter sees of one job: its own data minimised (no person's name, email, phone or link; the
 * hiring team as roles and counts), the similar posts and the company's texts. Each text has the id
 * a claim names as its source (draft.ts).
 */
export interface JobBrief {
  readonly jobId: number;
  readonly name: string;
  readonly department: string | null;
  readonly offices: readonly string[];
  /** Open openings when the job record lists them; null when it does not say. */
  readonly openings: number | null;
  /** `{name, value}` of the job's custom fields with a plain value (person and pay-range fields left out). */
  readonly customFields: readonly { readonly nameKey: string; readonly name: string; readonly value: string }[];
  /** The job's notes (the bridge's own AI notes left out), minimised. */
  readonly notes: readonly { readonly id: number; readonly text: string }[];
  /** `hiring manager`, `recruiter`…: roles and how many people hold each, never who. */
  readonly hiringTeam: readonly { readonly role: string; readonly count: number }[];
  readonly similarPosts: readonly SimilarPost[];
  readonly corpus: readonly CorpusDocument[];
  /** The word budget for the drafter's sections: what the title, EEO statement and pay range leave of `maxWords`. */
  readonly maxWords: number;
}

/** Where a draft came from: recorded in the Audit and printed at the foot of the note. */
export interface DrafterProvenance {
  readonly provider: string;
  readonly model: string;
  readonly promptVersion: string;
  /** False for the offline drafter: it copies and arranges the brief's own lines, it does not write. */
  readonly isLanguageModel: boolean;
}

export interface DraftAnswer {
  readonly draft: DraftContent;
  readonly usage: TokenUsage;
  readonly latencyMs: number;
}

export interface JobDescriptionDrafter {
  readonly provenance: DrafterProvenance;
  /** Throws ModelAnswerInvalid or GuardrailIntervened when no usable draft came back (never a guess). */
  draft(brief: JobBrief): Promise<DraftAnswer>;
}

/** `s3://bucket/prefix/` as its bucket and key prefix (the S3 corpus reads it; the stack grants read on it). */
export function parseS3Prefix(uri: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m) throw new Error(`not an S3 prefix: ${JSON.stringify(uri)} (expected s3://bucket/prefix/)`);
  return { bucket: m[1]!, prefix: m[2]! };
}

/** One inclusive-language finding in a line: why, and which rule said so (`retext-equality/he-she`). */
export interface InclusiveLanguageMessage {
  readonly reason: string;
  readonly rule: string;
}

/**
 * An inclusive-language checker of one line of text (alex, in lambdas/adapters/ai/inclusive-language.ts):
 * a port, so the core names no library and the AI function loads alex only when it drafts.
 */
export type InclusiveLanguage = (text: string) => readonly InclusiveLanguageMessage[];
