import { minimiseResume, wholeWord, type RemovedKind } from '../minimise.ts';
import type { StageFeedback } from './stages.ts';
import type { FeedbackInput, FeedbackScorecard } from './contract.ts';

/**
 * What a feedback provider is given for one stage: each interviewer as a label, their notes minimised
 * (the candidate's names and contact details, every interviewer's name) and bounded. The label → name
 * map stays with the caller, for the note.
 */

/** Keeps one prompt bounded whatever an interviewer pastes into a scorecard. */
export const MAX_NOTES_CHARS = 4_000;

/** A, B, …, Z, AA, AB, …: enough for any panel, and always matching the answer schema's label pattern. */
export function interviewerLabelAt(index: number): string {
  const letter = (i: number) => String.fromCharCode(65 + i);
  return `Interviewer ${index < 26 ? letter(index) : letter(Math.floor(index / 26) - 1) + letter(index % 26)}`;
}

export interface FeedbackInputOptions {
  readonly jobTitle: string;
  /** The candidate's names as Greenhouse holds them (first, last, preferred). */
  readonly candidateNames: readonly string[];
  /** Every interviewer (employee) the caller knows of, by id: names outside this stage are scrubbed too. */
  readonly interviewerNames: ReadonlyMap<number, string>;
  /**
   * Greenhouse shows a scorecard's private notes to a narrower audience than a candidate's private
   * notes may have, so copying them into the synthesis is opt-in.
   */
  readonly includePrivateNotes?: boolean;
}

export interface PreparedFeedback {
  readonly input: FeedbackInput;
  /** Label → the interviewer's name, for rendering the note; never sent to a provider. */
  readonly labels: ReadonlyMap<string, string>;
  /** How much minimising took out of the notes (for the audit record; never the values). */
  readonly removed: Readonly<Record<RemovedKind | 'interviewer-name', number>>;
}

export function feedbackInputFor(stage: StageFeedback, options: FeedbackInputOptions): PreparedFeedback {
  const labelOf = new Map<string, string>();
  const labels = new Map<string, string>();
  const keyOf = (s: StageFeedback['scorecards'][number]) => (s.interviewerId === null ? `scorecard:${s.id}` : `interviewer:${s.interviewerId}`);
  for (const scorecard of stage.scorecards) {
    const key = keyOf(scorecard);
    if (labelOf.has(key)) continue;
    const label = interviewerLabelAt(labelOf.size);
    labelOf.set(key, label);
    const id = scorecard.interviewerId;
    labels.set(label, id === null ? 'an interviewer not named in Greenhouse' : (options.interviewerNames.get(id) ?? `interviewer #${id}`));
  }

  // Full names map to the person's label, so "agree with Sam Reyes" keeps its meaning. A lone first
  // or last name is only scrubbed, case-sensitively: names like "Will" or "Mark" are also words, and
  // a wrong label would attribute a view to the wrong person, which is worse than losing the mention.
  const fullNames = new Map<string, string>();
  for (const [id, name] of options.interviewerNames) {
    const label = labelOf.get(`interviewer:${id}`);
    const full = name.trim().replace(/\s+/g, ' ');
    if (full.includes(' ')) fullNames.set(full.toLowerCase(), label ?? '[interviewer]');
  }
  const parts = [...new Set([...options.interviewerNames.values()].flatMap((n) => n.trim().split(/\s+/)).filter((p) => p.length >= 2 && p !== 'Interviewer'))];
  // Longest first so "Sam Reyes-Ortiz" is not consumed as "Sam Reyes" + "-Ortiz".
  const FULL = fullNames.size ? wholeWord([...fullNames.keys()].sort((a, b) => b.length - a.length), 'giu') : undefined;
  const PART = parts.length ? wholeWord(parts.sort((a, b) => b.length - a.length), 'gu') : undefined;

  const removed: Record<RemovedKind | 'interviewer-name', number> = { email: 0, phone: 0, link: 0, 'proxy-line': 0, name: 0, 'interviewer-name': 0 };
  const scrubInterviewers = (text: string) => {
    let out = FULL ? text.replace(FULL, (m) => (removed['interviewer-name']++, fullNames.get(m.toLowerCase().replace(/\s+/g, ' ')) ?? '[interviewer]')) : text;
    if (PART) out = out.replace(PART, () => (removed['interviewer-name']++, '[interviewer]'));
    return out;
  };
  const minimise = (text: string) => {
    const result = minimiseResume(text, { names: options.candidateNames });
    for (const [kind, n] of Object.entries(result.removed)) removed[kind as RemovedKind] += n;
    return scrubInterviewers(result.text);
  };

  const scorecards = stage.scorecards.map((scorecard): FeedbackScorecard => {
    const fields = [scorecard.notes, scorecard.publicNotes, options.includePrivateNotes ? scorecard.privateNotes : null];
    const raw = [...new Set(fields.map((f) => f?.trim() ?? '').filter(Boolean))].join('\n\n');
    let notes = minimise(raw);
    if (notes.length > MAX_NOTES_CHARS) notes = `${notes.slice(0, MAX_NOTES_CHARS - 1)}…`;
    return { label: labelOf.get(keyOf(scorecard))!, interview: minimise(scorecard.interviewName), rating: scorecard.rating, notes };
  });

  return { input: { jobTitle: options.jobTitle, stageName: stage.stageName, scorecards }, labels, removed };
}
