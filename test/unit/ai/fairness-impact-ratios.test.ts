import { describe, expect, it } from 'vitest';
import { impactRatios, UNKNOWN, type ImpactRatioReport, type ScreeningOutcomeRow, type SelfIdentification } from '#core/ai/fairness/impact-ratios';
import { fairnessReport, formatFairnessHtml, formatFairnessText } from '#core/ai/fairness/report';
import { DemographicsReadOff, latestScreeningScore, readFairnessInputs, windowBounds } from '#core/ai/fairness/read';
import type { AuditEntry } from '#core/sync/ports';

/**
 * The impact-ratio computation against a hand computation. 100 screened applications, by cell
 * (sex, race/ethnicity, applicants, selected):
 *
 *   Male   White                               30  18
 *   Male   Asian                               15   9
 *   Male   Native Hawaiian or Other Pacific I.  1   0   (1 % of 100: under 2 %)
 *   Female White                               20   8
 *   Female Asian                               15   6
 *   Female Black or African American            8   4
 *   Decline To Self Identify / White            6   3   (sex unknown)
 *   no EEOC answer at all                       5   2   (both unknown)
 *
 * By sex: Male 46 applicants, 27 selected, rate 27/46 = 0.586957 (reference); Female 43, 18, 18/43 =
 * 0.418605, ratio 0.418605/0.586957 = 0.713178: flagged; unknown 11, 5.
 * By race: White 56, 29, 0.517857 (reference); Asian 30, 15, 0.5, ratio 0.965517; Black 8, 4, 0.5,
 * ratio 0.965517; Native Hawaiian 1, excluded (under 2 % of 100); unknown 5, 2.
 * By intersection: Male × White 0.6 (reference); Male × Asian 0.6, 1; Female × White 0.4, 0.666667:
 * flagged; Female × Asian 0.4, 0.666667: flagged; Female × Black 0.5, 0.833333; Male × Native
 * Hawaiian excluded; unknown 11, 5.
 */
const NHPI = 'Native Hawaiian or Other Pacific Islander';
const CELLS: readonly [sex: string | null, race: string | null, applicants: number, selected: number, answered: boolean][] = [
  ['Male', 'White', 30, 18, true],
  ['Male', 'Asian', 15, 9, true],
  ['Male', NHPI, 1, 0, true],
  ['Female', 'White', 20, 8, true],
  ['Female', 'Asian', 15, 6, true],
  ['Female', 'Black or African American', 8, 4, true],
  ['Decline To Self Identify', 'White', 6, 3, true],
  [null, null, 5, 2, false],
];

function population(): { outcomes: ScreeningOutcomeRow[]; answers: Map<number, SelfIdentification> } {
  const outcomes: ScreeningOutcomeRow[] = [];
  const answers = new Map<number, SelfIdentification>();
  let id = 1000;
  for (const [sex, race, applicants, selected, answered] of CELLS) {
    for (let i = 0; i < applicants; i++) {
      id += 1;
      outcomes.push({ applicationId: id, selected: i < selected });
      if (answered) answers.set(id, { sex, raceEthnicity: race });
    }
  }
  return { outcomes, answers };
}

const rowOf = (report: ImpactRatioReport, dimension: string, category: string) => {
  const row = report.dimensions.find((d) => d.dimension === dimension)?.rows.find((r) => r.category === category);
  if (!row) throw new Error(`no row ${dimension}: ${category}`);
  return row;
};

describe('impactRatios', () => {
  const { outcomes, answers } = population();
  const report = impactRatios(outcomes, answers, { threshold: 60 });

  it('counts the population', () => {
    expect(report.screened).toBe(100);
    expect(report.selected).toBe(50);
  });

  it('by sex: rates, the ratio against the most selected, the four-fifths flag, the unknown reported apart', () => {
    const sex = report.dimensions.find((d) => d.dimension === 'sex')!;
    expect(sex.reference).toBe('Male');
    expect(rowOf(report, 'sex', 'Male')).toMatchObject({ applicants: 46, selected: 27, impactRatio: 1, flagged: false, status: 'included' });
    expect(rowOf(report, 'sex', 'Male').selectionRate).toBeCloseTo(0.586957, 6);
    const female = rowOf(report, 'sex', 'Female');
    expect(female).toMatchObject({ applicants: 43, selected: 18, flagged: true, status: 'included' });
    expect(female.selectionRate).toBeCloseTo(0.418605, 6);
    expect(female.impactRatio).toBeCloseTo(0.713178, 6);
    expect(rowOf(report, 'sex', UNKNOWN)).toMatchObject({ applicants: 11, selected: 5, impactRatio: null, flagged: false, status: 'unknown' });
  });

  it('by race/ethnicity: a category under 2 % is excluded from the ratios with its counts', () => {
    expect(report.dimensions[1]!.reference).toBe('White');
    expect(rowOf(report, 'race/ethnicity', 'White')).toMatchObject({ applicants: 56, selected: 29, impactRatio: 1 });
    expect(rowOf(report, 'race/ethnicity', 'Asian').impactRatio).toBeCloseTo(0.965517, 6);
    expect(rowOf(report, 'race/ethnicity', 'Black or African American')).toMatchObject({ applicants: 8, selected: 4, flagged: false });
    expect(rowOf(report, 'race/ethnicity', 'Black or African American').impactRatio).toBeCloseTo(0.965517, 6);
    expect(rowOf(report, 'race/ethnicity', NHPI)).toMatchObject({ applicants: 1, selected: 0, selectionRate: 0, impactRatio: null, flagged: false, status: 'excluded-small' });
    expect(rowOf(report, 'race/ethnicity', UNKNOWN)).toMatchObject({ applicants: 5, selected: 2, status: 'unknown' });
  });

  it('by intersection: flags the two female cells, not the one at 0.83', () => {
    expect(report.dimensions[2]!.reference).toBe('Male × White');
    expect(rowOf(report, 'sex × race/ethnicity', 'Male × Asian').impactRatio).toBeCloseTo(1, 9);
    expect(rowOf(report, 'sex × race/ethnicity', 'Female × White').impactRatio).toBeCloseTo(0.666667, 6);
    expect(rowOf(report, 'sex × race/ethnicity', 'Female × Asian').impactRatio).toBeCloseTo(0.666667, 6);
    expect(rowOf(report, 'sex × race/ethnicity', 'Female × Black or African American').impactRatio).toBeCloseTo(0.833333, 6);
    expect(rowOf(report, 'sex × race/ethnicity', `Male × ${NHPI}`).status).toBe('excluded-small');
    expect(rowOf(report, 'sex × race/ethnicity', UNKNOWN)).toMatchObject({ applicants: 11, selected: 5 });
    expect(report.flagged).toEqual(['sex: Female', 'sex × race/ethnicity: Female × White', 'sex × race/ethnicity: Female × Asian']);
  });

  it('keeps a category of exactly 2 % in the ratios', () => {
    const rows: ScreeningOutcomeRow[] = Array.from({ length: 50 }, (_, i) => ({ applicationId: i + 1, selected: i % 2 === 0 }));
    const two = new Map<number, SelfIdentification>(rows.map((r) => [r.applicationId, { sex: r.applicationId === 1 ? 'Female' : 'Male', raceEthnicity: 'Asian' }]));
    // Female: 1 of 50 = 2 %: included; selected 1/1 = 1.0, the reference; Male 24/49.
    const result = impactRatios(rows, two);
    expect(rowOf(result, 'sex', 'Female')).toMatchObject({ status: 'included', impactRatio: 1 });
    expect(rowOf(result, 'sex', 'Male').impactRatio).toBeCloseTo(24 / 49, 9);
  });

  it('writes the method out', () => {
    expect(report.method.join('\n')).toMatch(/four-fifths/);
    expect(report.method.join('\n')).toMatch(/fewer than 2 %/);
    expect(report.method.join('\n')).toMatch(/threshold \(60\)/);
  });
});

describe('the report', () => {
  const { outcomes, answers } = population();
  const report = fairnessReport({ from: '2026-11-01', to: '2026-11-30' }, 60, { applications: 104, notScreened: 4, outcomes, answers });

  it('prints a table per dimension with flags and the excluded category, and no application id', () => {
    const text = formatFairnessText(report);
    expect(text).toContain('104 applications; 100 screened (50 selected at or above 60); 4 without a screening score');
    expect(text).toMatch(/Female +43 +18 +41\.9 % +0\.713 +FLAG: under 0\.80/);
    expect(text).toMatch(/Native Hawaiian or Other Pacific Islander +1 +0 +0\.0 % +— +excluded \(under 2 %\)/);
    expect(text).not.toMatch(/10\d\d/);
    const html = formatFairnessHtml(report);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<tr class="flag"><td>Female</td>');
    expect(html).not.toMatch(/<script|https?:\/\//);
  });
});

describe('reading helpers', () => {
  it('takes the newest screening score, ignoring other workflows and entries without one', () => {
    const at = (day: number) => `2026-11-${String(day).padStart(2, '0')}T10:00:00.000Z`;
    const entries: AuditEntry[] = [
      { kind: 'ai-inference' as const, entityKey: 'k', summary: '', detail: { workflow: 'screening', score: 40 }, at: at(2) },
      { kind: 'ai-reused' as const, entityKey: 'k', summary: '', detail: { workflow: 'screening', score: 70 }, at: at(5) },
      { kind: 'ai-inference' as const, entityKey: 'k', summary: '', detail: { workflow: 'feedback', score: 10 }, at: at(9) },
      { kind: 'ai-not-screenable' as const, entityKey: 'k', summary: '', detail: { workflow: 'screening' }, at: at(8) },
    ];
    expect(latestScreeningScore(entries)).toBe(70);
    expect(latestScreeningScore(entries.slice(2))).toBeUndefined();
  });

  it('reads a window of whole days and refuses a reversed or malformed one', () => {
    expect(windowBounds({ from: '2026-11-01', to: '2026-11-30' })).toEqual({ gte: Date.parse('2026-11-01T00:00:00Z'), lt: Date.parse('2026-12-01T00:00:00Z') });
    expect(() => windowBounds({ from: '2026-11-30', to: '2026-11-01' })).toThrow(/before it starts/);
    expect(() => windowBounds({ from: '2026-11', to: '2026-11-01' })).toThrow(/YYYY-MM-DD/);
  });

  it('reads nothing at all while ai.fairness.readDemographics is off', async () => {
    const touched: string[] = [];
    const greenhouse = {
      listApplications: () => (touched.push('applications'), (async function* () {})()),
      listEeoc: () => (touched.push('eeoc'), (async function* () {})()),
    };
    const audit = { list: async () => (touched.push('audit'), []) };
    const settings = { fairness: { readDemographics: false }, screening: { threshold: 50 } };
    await expect(readFairnessInputs({ from: '2026-11-01', to: '2026-11-30' }, { greenhouse, audit, settings })).rejects.toBeInstanceOf(DemographicsReadOff);
    expect(touched).toEqual([]);
  });
});
