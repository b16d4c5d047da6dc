import * as z from '#core/zod-mini';
import type { Provenance } from '../provenance.ts';
import type { ScorecardRating } from './stages.ts';

/**
 * Interview-feedback synthesis, the part every provider shares: what a provider is given, what it
 * must answer, and the versioned template. A provider is an LLM behind the StructuredModel port or the
 * offline tally (offline.ts); every result names where it came from.
 *
 * The synthesis is advice for a debrief. Its answer has no field a decision could be read from (no
 * score, no "leaning"), and nothing downstream of it moves, rejects or advances an application.
 *
 * The provider never sees who the interviewers are: each is a label ("Interviewer A"), and the
 * label → name map stays with the caller for rendering the note. Names in the notes themselves are
 * scrubbed too, as are the candidate's names and contact details (input.ts).
 */

/** Changes whenever the prompt or the answer's shape changes: part of every audit record. */
export const FEEDBACK_PROMPT_VERSION = 'feedback-synthesis-v1';
export const FEEDBACK_WORKFLOW = 'feedback-synthesis';

const LABEL = /^Interviewer [A-Z]{1,2}$/;
const interviewerLabel = z.string().check(z.regex(LABEL));
const words = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
const rating = z.enum(['strong_no', 'no', 'yes', 'strong_yes', 'no_decision']);

export const feedbackAnswerSchema = z.strictObject({
  consensus: z.strictObject({
    /** Where the interviewers agree, in neutral words. */
    summary: words(600),
    /** The ratings' distribution in words ("two strong yes, one no"); in place of a leaning, which would read as a verdict. */
    ratingSummary: words(300),
  }),
  disagreements: z
    .array(
      z.strictObject({
        about: words(300),
        positions: z.array(z.strictObject({ interviewer: interviewerLabel, rating, view: words(400) })).check(z.minLength(2), z.maxLength(30)),
      }),
    )
    .check(z.maxLength(10)),
  themes: z.array(z.strictObject({ theme: words(200), mentionedBy: z.array(interviewerLabel).check(z.minLength(1), z.maxLength(30)) })).check(z.maxLength(10)),
  openQuestions: z.array(words(300)).check(z.maxLength(10)),
});
export type FeedbackAnswer = z.infer<typeof feedbackAnswerSchema>;

export interface FeedbackScorecard {
  /** `Interviewer A`, `Interviewer B`, …: one per interviewer, so two scorecards by one person share it. */
  readonly label: string;
  /** The job interview's name (`Technical interview`), with interviewer names scrubbed. */
  readonly interview: string;
  readonly rating: ScorecardRating;
  /** Minimised notes; empty when the interviewer wrote none (or all of it was removed). */
  readonly notes: string;
}

export interface FeedbackInput {
  readonly jobTitle: string;
  readonly stageName: string;
  readonly scorecards: readonly FeedbackScorecard[];
}

export interface FeedbackResult extends FeedbackAnswer, Provenance {}

export interface FeedbackSynthesisProvider {
  readonly provider: string;
  readonly model: string;
  synthesize(input: FeedbackInput): Promise<FeedbackResult>;
}

export const RATING_WORDS: Readonly<Record<ScorecardRating, string>> = {
  strong_no: 'strong no',
  no: 'no',
  yes: 'yes',
  strong_yes: 'strong yes',
  no_decision: 'no decision',
};
