import { AI_NOTE_PREFIX } from '../ai-notes.ts';
import type { ScreeningResult } from './contract.ts';

/** The private note a recruiter reads on the application: advice, with its evidence and its provenance. */
export function screeningNote(result: ScreeningResult, context: { jobTitle: string; threshold: number }): string {
  const lines = [
    `${AI_NOTE_PREFIX.screening}${context.jobTitle}: ${result.score}/100 · advisory, not a decision`,
    '',
    result.summary,
  ];
  if (result.strengths.length) lines.push('', 'Strengths:', ...result.strengths.map((s) => `• ${s.point} — “${s.evidence}”`));
  if (result.gaps.length) lines.push('', 'Gaps:', ...result.gaps.map((g) => `• ${g.point} — ${g.evidence}`));
  if (result.notJudged.length) lines.push('', 'Could not judge from the resume:', ...result.notJudged.map((n) => `• ${n}`));
  if (result.score < context.threshold) lines.push('', `Below the review threshold (${context.threshold}): a person should read this application.`);
  lines.push('', `Provider ${result.provider} · model ${result.model} · prompt ${result.promptVersion}. Names, contact details and protected-attribute lines were removed before screening.`);
  return lines.join('\n');
}
