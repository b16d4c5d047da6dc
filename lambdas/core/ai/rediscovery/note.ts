import { AI_NOTE_PREFIX } from '../ai-notes.ts';
import { DEFAULT_GREENHOUSE_APP_URL, greenhouseProfileUrl } from '#core/mapping/contact';
import type { Suggestion } from './match.ts';
import type { EmbedderProvenance } from './ports.ts';
import { PROFILE_VERSION } from './profile.ts';

/**
 * The private note a rediscovery run writes for a job: past candidates worth a look, each by their
 * Greenhouse id and profile link (the recruiter opens the profile they may already see; the note
 * repeats no name, contact detail or resume text), with the job's own requirements their profile
 * matched as evidence. The first line starts like the other AI notes and says it is advice; the
 * footer says which embedder found them and whether it is a language model.
 */
export const REDISCOVERY_NOTE_PREFIX = AI_NOTE_PREFIX.rediscovery;

export interface RediscoveryNoteContext {
  readonly jobTitle: string;
  readonly provenance: EmbedderProvenance;
  readonly minInactiveDays: number;
  /** Base of Greenhouse's web app (default https://app.greenhouse.io). */
  readonly appUrl?: string;
}

export function rediscoveryNote(suggestions: readonly Suggestion[], context: RediscoveryNoteContext): string {
  const count = suggestions.length;
  const lines = [
    `${REDISCOVERY_NOTE_PREFIX}${context.jobTitle}: ${count} past candidate${count === 1 ? '' : 's'} to consider · advisory, not a decision`,
    '',
    `Past candidates whose profiles resemble this job's requirements, inactive for at least ${context.minInactiveDays} days, not private, not anonymized, with consent to be considered for other roles. No one has been contacted or moved; whether to reach out is the hiring team's decision.`,
  ];
  suggestions.forEach((s, i) => {
    const { matched, judged } = s.evidence;
    lines.push(
      '',
      `${i + 1}. Candidate ${s.candidateId} — ${greenhouseProfileUrl(s.candidateId, context.appUrl ?? DEFAULT_GREENHOUSE_APP_URL)} · similarity ${s.score.toFixed(2)} · ${matched.length} of ${judged} requirements found in the profile`,
      ...matched.map((m) => `   • ${m.requirement} (${m.matchedTerms.join(', ')})`),
    );
    if (!matched.length) lines.push('   • No requirement found word for word: the similarity rests on related wording; read the profile.');
  });
  const { provider, model, isLanguageModel } = context.provenance;
  lines.push(
    '',
    `Embedder ${provider} · model ${model}${isLanguageModel ? '' : ' (not a language model: word overlap only)'} · ${PROFILE_VERSION}. Names, contact details and protected-attribute lines were removed from profiles before embedding.`,
  );
  return lines.join('\n');
}
