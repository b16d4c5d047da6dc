/**
 * How the bridge's AI notes begin, so that every reader can tell them apart from people's notes. The
 * Greenhouse → Beamery sync leaves them out: an AI assessment of one application is advice for that
 * hiring team, kept in Greenhouse and explained by the Audit for its retention; a copy in the CRM
 * would outlive both (docs/ai-governance.md).
 */
export const AI_NOTE_PREFIX = {
  screening: 'AI resume screening for ',
  feedback: 'AI feedback synthesis — ',
  rediscovery: 'AI candidate rediscovery for ',
  jobDescription: 'AI job-description draft for ',
  offers: 'AI offer checks for ',
} as const;

export function isAiNote(body: string | null | undefined): boolean {
  const text = (body ?? '').trimStart();
  return Object.values(AI_NOTE_PREFIX).some((prefix) => text.startsWith(prefix));
}
