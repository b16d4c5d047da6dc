import { describe, expect, it } from 'vitest';
import { detectOverrides, type ApplicationNow, type OverrideKind } from '#core/ai/overrides/detect';

const LOW = { score: 30, threshold: 50 };
const HIGH = { score: 80, threshold: 50 };
/** Greenhouse as the AI left it: its score in the field, its tag on the candidate, the application where it was screened. */
const untouched = (score: number, tagged: boolean): ApplicationNow => ({
  scoreField: score,
  needsReviewTagPresent: tagged,
  status: 'in_process',
  screenedStageOrder: 0,
  currentStageOrder: 0,
});
const none = new Set<OverrideKind>();

describe('detectOverrides', () => {
  it('nothing when Greenhouse still shows what the AI wrote', () => {
    expect(detectOverrides(LOW, untouched(30, true), none)).toEqual([]);
    expect(detectOverrides(HIGH, untouched(80, false), none)).toEqual([]);
  });

  it('a changed, cleared or text score field is score-changed; the same number as a string is not', () => {
    expect(detectOverrides(HIGH, { ...untouched(80, false), scoreField: 65 }, none)).toEqual([{ kind: 'score-changed', aiScore: 80, newValue: 65 }]);
    expect(detectOverrides(HIGH, { ...untouched(80, false), scoreField: null }, none)).toEqual([{ kind: 'score-changed', aiScore: 80, newValue: null }]);
    expect(detectOverrides(HIGH, { ...untouched(80, false), scoreField: 'n/a' }, none)).toEqual([{ kind: 'score-changed', aiScore: 80, newValue: 'n/a' }]);
    expect(detectOverrides(HIGH, { ...untouched(80, false), scoreField: '80' }, none)).toEqual([]);
  });

  it('below the threshold: the tag gone is needs-review-removed; above it no tag was written, so none is missed', () => {
    expect(detectOverrides(LOW, untouched(30, false), none)).toEqual([{ kind: 'needs-review-removed', aiScore: 30, newValue: 'removed' }]);
    expect(detectOverrides(HIGH, untouched(80, false), none)).toEqual([]);
  });

  it('below the threshold and at a later stage, or hired, is advanced-below-threshold; above it, rejected or unknown stages are not', () => {
    expect(detectOverrides(LOW, { ...untouched(30, true), currentStageOrder: 2 }, none)).toEqual([{ kind: 'advanced-below-threshold', aiScore: 30, newValue: 2 }]);
    expect(detectOverrides(LOW, { ...untouched(30, true), status: 'hired' }, none)).toEqual([{ kind: 'advanced-below-threshold', aiScore: 30, newValue: 'hired' }]);
    expect(detectOverrides(HIGH, { ...untouched(80, false), currentStageOrder: 2 }, none)).toEqual([]);
    expect(detectOverrides(LOW, { ...untouched(30, true), status: 'rejected', currentStageOrder: 2 }, none)).toEqual([]);
    expect(detectOverrides(LOW, { ...untouched(30, true), screenedStageOrder: undefined, currentStageOrder: 2 }, none)).toEqual([]);
    expect(detectOverrides(LOW, { ...untouched(30, true), screenedStageOrder: 2, currentStageOrder: 1 }, none)).toEqual([]);
  });

  it('all three at once, and each kind only once: a kind already recorded is not found again', () => {
    const now: ApplicationNow = { scoreField: 90, needsReviewTagPresent: false, status: 'in_process', screenedStageOrder: 0, currentStageOrder: 1 };
    expect(detectOverrides(LOW, now, none).map((o) => o.kind)).toEqual(['score-changed', 'needs-review-removed', 'advanced-below-threshold']);
    expect(detectOverrides(LOW, now, new Set<OverrideKind>(['score-changed', 'advanced-below-threshold'])).map((o) => o.kind)).toEqual(['needs-review-removed']);
  });
});
