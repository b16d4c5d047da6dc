import type { ScorecardRating } from './stages.ts';
import {
  FEEDBACK_PROMPT_VERSION,
  RATING_WORDS,
  type FeedbackAnswer,
  type FeedbackInput,
  type FeedbackResult,
  type FeedbackSynthesisProvider,
} from './contract.ts';

/**
 * The offline feedback provider: a deterministic tally with the same interface as the LLM provider,
 * for the local stack, the tests and evaluation. It is not a language model and says so in every
 * result (`provider: offline`, and in `ratingSummary`, which the note always shows).
 *
 * How it works:
 * - the rating distribution, counted;
 * - one disagreement when a positive rating (yes, strong yes) meets a negative one (no, strong no):
 *   every interviewer on either side, with the first sentence of their notes as their view;
 * - themes: words and two-word phrases (stopwords left out) that appear in the notes of two or more
 *   interviewers, the five most widely shared;
 * - open questions: the sentences of the notes that end in "?", and every scorecard without notes.
 */
export const OFFLINE_FEEDBACK_PROVIDER = 'offline';
export const OFFLINE_FEEDBACK_MODEL = 'feedback-tally-v1';

const POSITIVE = new Set<ScorecardRating>(['yes', 'strong_yes']);
const NEGATIVE = new Set<ScorecardRating>(['no', 'strong_no']);
const RATING_ORDER: readonly ScorecardRating[] = ['strong_yes', 'yes', 'no_decision', 'no', 'strong_no'];

// Common English plus the words every interview note uses, which would otherwise be every "theme".
const STOPWORDS = new Set(
  `about above after again against all also although always among and another any are around because been before being
  below between both but can cannot could did does doing done down during each either else enough even ever every few
  for from further had has have having her here hers him his how however into its just least less like lot lots made make
  makes many may maybe might more most much must need needs not now off once one only other others our out over own
  quite rather really said same say says seem seemed seems she should show showed shown since some something still such
  than that the their them then there these they thing things think thought this those though through too under until
  upon very was way well were what when where whether which while who whom whose why will with within without would yet
  you your
  answer answered answers ask asked candidate candidates feel felt good great interview interviewed interviewer
  interviewers job liked name overall pretty question questions role strong team time talked yes`.split(/\s+/),
);

function sentencesOf(text: string): string[] {
  return text
    .split(/\n+|(?<=[.!?])\s+/)
    .map((s) => s.trim().replace(/^[-*•]\s*/, ''))
    .filter((s) => /[\p{L}\p{N}]/u.test(s));
}

// Placeholders and labels are scaffolding of the minimised text, not something interviewers said.
const SCAFFOLDING = /\[(?:name|email|phone|link|interviewer)\]|\bInterviewer [A-Z]{1,2}\b/g;

/** Each sentence's content words; a stopword or a comma breaks the run, so a bigram is a phrase someone wrote. */
function termsOf(notes: string): Set<string> {
  const terms = new Set<string>();
  for (const sentence of sentencesOf(notes.replace(SCAFFOLDING, ' . '))) {
    let previous: string | undefined;
    for (const raw of sentence.toLowerCase().match(/[\p{L}][\p{L}\p{N}+#'-]*|[,;:()/]/gu) ?? []) {
      const word = raw.replace(/['-]+$/, '').replace(/'s$/, '');
      if (word.length < 3 || STOPWORDS.has(word)) {
        previous = undefined;
        continue;
      }
      terms.add(word);
      if (previous) terms.add(`${previous} ${word}`);
      previous = word;
    }
  }
  return terms;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

function themesOf(input: FeedbackInput): FeedbackAnswer['themes'] {
  const notesBy = new Map<string, string[]>();
  for (const s of input.scorecards) if (s.notes) notesBy.set(s.label, [...(notesBy.get(s.label) ?? []), s.notes]);
  const mentionedBy = new Map<string, Set<string>>();
  for (const [label, notes] of notesBy) {
    for (const term of termsOf(notes.join('\n'))) mentionedBy.set(term, (mentionedBy.get(term) ?? new Set()).add(label));
  }
  const shared = [...mentionedBy]
    .filter(([, labels]) => labels.size >= 2)
    .sort(([a, x], [b, y]) => y.size - x.size || b.split(' ').length - a.split(' ').length || (a < b ? -1 : a > b ? 1 : 0));
  const picked: [string, Set<string>][] = [];
  for (const [term, labels] of shared) {
    if (picked.length === 5) break;
    // "system design" already says what "system" and "design" would, when the same people said it.
    const covered = picked.some(([p, by]) => p.includes(' ') && p.split(' ').includes(term) && by.size === labels.size);
    if (!covered) picked.push([term, labels]);
  }
  return picked.map(([theme, labels]) => ({ theme, mentionedBy: [...labels].sort(byLabel) }));
}

// "Interviewer B" before "Interviewer AA": labels sort by length, then letters.
const byLabel = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

export function synthesizeOffline(input: FeedbackInput): FeedbackResult {
  const counts = new Map<ScorecardRating, number>();
  for (const s of input.scorecards) counts.set(s.rating, (counts.get(s.rating) ?? 0) + 1);
  const distribution = RATING_ORDER.filter((r) => counts.has(r)).map((r) => `${counts.get(r)} ${RATING_WORDS[r]}`);
  const total = input.scorecards.length;
  const positive = input.scorecards.filter((s) => POSITIVE.has(s.rating));
  const negative = input.scorecards.filter((s) => NEGATIVE.has(s.rating));
  const undecided = total - positive.length - negative.length;

  const ratingSummary = `Offline tally (not a language model): ${plural(total, 'scorecard')}: ${distribution.join(', ') || 'none'}.`;
  const summary =
    total === 0
      ? 'No scorecards to summarise.'
      : positive.length === total
        ? `All ${plural(total, 'scorecard')} rated yes or strong yes.`
        : negative.length === total
          ? `All ${plural(total, 'scorecard')} rated no or strong no.`
          : positive.length && negative.length
            ? `Ratings are split: ${positive.length} positive, ${negative.length} negative${undecided ? `, ${undecided} without a decision` : ''}.`
            : `No positive-against-negative split: ${positive.length} positive, ${negative.length} negative, ${undecided} without a decision.`;

  const disagreements: FeedbackAnswer['disagreements'] =
    positive.length && negative.length
      ? [
          {
            about: 'Overall rating: positive against negative',
            positions: [...positive, ...negative]
              .sort((a, b) => RATING_ORDER.indexOf(a.rating) - RATING_ORDER.indexOf(b.rating) || byLabel(a.label, b.label))
              .slice(0, 30)
              .map((s) => ({ interviewer: s.label, rating: s.rating, view: clip(sentencesOf(s.notes)[0] ?? '(no notes)', 400) })),
          },
        ]
      : [];

  const openQuestions: string[] = [];
  for (const s of input.scorecards) {
    for (const sentence of sentencesOf(s.notes)) if (sentence.endsWith('?')) openQuestions.push(clip(`${s.label} asks: ${sentence}`, 300));
  }
  const silent = [...new Set(input.scorecards.filter((s) => !s.notes.trim()).map((s) => s.label))];
  for (const label of silent) openQuestions.push(`${label} left no notes: what is behind their rating?`);

  return {
    provider: OFFLINE_FEEDBACK_PROVIDER,
    model: OFFLINE_FEEDBACK_MODEL,
    promptVersion: FEEDBACK_PROMPT_VERSION,
    consensus: { summary, ratingSummary: clip(ratingSummary, 300) },
    disagreements,
    themes: themesOf(input),
    openQuestions: [...new Set(openQuestions)].slice(0, 10),
    usage: { inputTokens: 0, outputTokens: 0 },
    latencyMs: 0,
  };
}

export const offlineFeedbackProvider: FeedbackSynthesisProvider = {
  provider: OFFLINE_FEEDBACK_PROVIDER,
  model: OFFLINE_FEEDBACK_MODEL,
  synthesize: async (input) => synthesizeOffline(input),
};
