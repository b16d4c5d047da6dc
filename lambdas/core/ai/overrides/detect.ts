/**
 * Reviewer overrides of AI screening, decided from what the AI wrote and what Greenhouse shows now
 * (pure: overrides/workflow.ts reads both). An override is a person acting against the AI's advice:
 * - `score-changed`: the score field no longer holds the AI's score (changed or cleared);
 * - `needs-review-removed`: the needs-review tag the AI added is gone from the candidate;
 * - `advanced-below-threshold`: the AI scored the application below the threshold and it is now at a
 *   later stage than the one it was screened at (or hired).
 * Each kind counts once per application: `seen` are the kinds already recorded.
 */

export const OVERRIDE_KINDS = ['score-changed', 'needs-review-removed', 'advanced-below-threshold'] as const;
export type OverrideKind = (typeof OVERRIDE_KINDS)[number];

/** What the AI wrote back for the application (assist mode). */
export interface AiScreeningOutput {
  readonly score: number;
  readonly threshold: number;
}

/** What Greenhouse shows now. */
export interface ApplicationNow {
  /** The score field's value (`undefined` or `null` when empty). */
  readonly scoreField: unknown;
  readonly needsReviewTagPresent: boolean;
  /** `in_process | rejected | hired | converted`. */
  readonly status: string | null | undefined;
  /** The job stage's sort order where the application was screened (the stage it entered at) and where it is now; undefined when unknown. */
  readonly screenedStageOrder: number | undefined;
  readonly currentStageOrder: number | undefined;
}

export interface Override {
  readonly kind: OverrideKind;
  readonly aiScore: number;
  /** What a person left in place of the AI's output: the field's value, `removed`, or the stage order. */
  readonly newValue: string | number | null;
}

/** A number field's value as Greenhouse returns it (a number, or a numeric string); anything else as is. */
function fieldNumber(value: unknown): unknown {
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return value;
}

export function detectOverrides(ai: AiScreeningOutput, now: ApplicationNow, seen: ReadonlySet<OverrideKind>): Override[] {
  const found: Override[] = [];
  const add = (kind: OverrideKind, newValue: Override['newValue']) => {
    if (!seen.has(kind)) found.push({ kind, aiScore: ai.score, newValue });
  };
  const field = fieldNumber(now.scoreField);
  if (field !== ai.score) add('score-changed', field === undefined || field === null || field === '' ? null : typeof field === 'number' ? field : String(field));
  const belowThreshold = ai.score < ai.threshold;
  if (belowThreshold && !now.needsReviewTagPresent) add('needs-review-removed', 'removed');
  if (belowThreshold) {
    const moved = now.screenedStageOrder !== undefined && now.currentStageOrder !== undefined && now.currentStageOrder > now.screenedStageOrder;
    if (now.status === 'hired' || (now.status === 'in_process' && moved)) add('advanced-below-threshold', now.status === 'hired' ? 'hired' : (now.currentStageOrder ?? null));
  }
  return found;
}
