import * as z from '#core/zod-mini';
import type { Provenance } from '../provenance.ts';

/**
 * Resume screening, the part every provider shares: what a provider is given, what it must answer, and
 * the versioned template's identity. A provider is an LLM on Bedrock or the offline matcher
 * (offline.ts); every result names the provider and model it came from, so no one mistakes
 * the offline matcher's output for an LLM's. Screening is advice: nothing here moves, rejects or
 * advances an application.
 */

/** Changes whenever the prompt or the answer's shape changes: part of the reuse key and of every audit record. */
export const SCREENING_PROMPT_VERSION = 'screening-v1';

export interface ScreeningInput {
  readonly jobTitle: string;
  /** The job post's requirements, one per entry (requirementsFromJobPost). */
  readonly requirements: readonly string[];
  /** The resume after minimiseResume: no contact details, links or protected-attribute proxies. */
  readonly resumeText: string;
}

const evidence = z.strictObject({
  /** The requirement or quality in question. */
  point: z.string().check(z.minLength(1), z.maxLength(300)),
  /** Words from the resume that show it (strengths), or what is missing (gaps). */
  evidence: z.string().check(z.maxLength(500)),
});

/** The answer every provider must give; the Bedrock adapter constrains the model to its JSON schema. */
export const screeningAnswerSchema = z.strictObject({
  score: z.number().check(z.int(), z.gte(0), z.lte(100)),
  summary: z.string().check(z.minLength(1), z.maxLength(1_000)),
  strengths: z.array(evidence).check(z.maxLength(20)),
  gaps: z.array(evidence).check(z.maxLength(20)),
  /** Requirements the provider could not judge from the resume. */
  notJudged: z.array(z.string().check(z.minLength(1), z.maxLength(300))).check(z.maxLength(40)),
});
export type ScreeningAnswer = z.infer<typeof screeningAnswerSchema>;

export interface ScreeningResult extends ScreeningAnswer, Provenance {}

export interface ScreeningProvider {
  readonly provider: string;
  readonly model: string;
  screen(input: ScreeningInput): Promise<ScreeningResult>;
}
