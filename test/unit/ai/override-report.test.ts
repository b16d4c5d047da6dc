import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '#core/sync/ports';
import { formatOverrideReport, overrideReport, overrideWindowBounds, type ApplicationAudit } from '#core/ai/overrides/report';
import { overridesWindow } from '../../../bin/commands/overrides.ts';

const AT = '2026-11-02T10:00:00Z';
const screening = (mode: 'assist' | 'shadow', kind: 'ai-inference' | 'ai-reused' = 'ai-inference'): AuditEntry => ({ kind, entityKey: 'k', summary: '', detail: { workflow: 'screening', mode, score: 40 }, at: AT });
const override = (kind: string): AuditEntry => ({ kind: 'ai-override', entityKey: 'k', summary: '', detail: { workflow: 'overrides', override: kind, aiScore: 40 }, at: AT });
const app = (applicationId: number, jobId: number, ...entries: AuditEntry[]): ApplicationAudit => ({ applicationId, jobId, entries });
const WINDOW = { from: '2026-11-01', to: '2026-11-30' };

describe('overrideReport', () => {
  it('rates overridden ÷ screened in assist mode, per job and per kind; shadow and unscreened applications count nowhere', () => {
    const report = overrideReport(WINDOW, [
      app(1, 801, screening('assist'), override('score-changed'), override('needs-review-removed')),
      app(2, 801, screening('assist', 'ai-reused')),
      app(3, 801, screening('assist'), override('advanced-below-threshold')),
      app(4, 801, screening('assist')),
      app(5, 802, screening('assist'), override('score-changed')),
      app(6, 802, screening('shadow')),
      app(7, 803),
    ]);
    expect(report).toMatchObject({
      screened: 5,
      overridden: 3,
      rate: 0.6,
      byKind: { 'score-changed': 2, 'needs-review-removed': 1, 'advanced-below-threshold': 1 },
      reviewerRole: 'not recorded',
    });
    expect(report.jobs).toEqual([
      { jobId: 801, screened: 4, overridden: 2, rate: 0.5, byKind: { 'score-changed': 1, 'needs-review-removed': 1, 'advanced-below-threshold': 1 } },
      { jobId: 802, screened: 1, overridden: 1, rate: 1, byKind: { 'score-changed': 1, 'needs-review-removed': 0, 'advanced-below-threshold': 0 } },
    ]);
    const text = formatOverrideReport(report);
    expect(text).toContain('All jobs: 3 of 5 screened applications overridden (60.0 %)');
    expect(text).toContain('job 801: 2 of 4 (50.0 %); score-changed 1, needs-review-removed 1, advanced-below-threshold 1');
  });

  it('nothing screened: no rate, and says so', () => {
    const report = overrideReport(WINDOW, [app(7, 803)]);
    expect(report).toMatchObject({ screened: 0, overridden: 0, rate: null, jobs: [] });
    expect(formatOverrideReport(report)).toContain('No application in the window was screened in assist mode');
  });
});

describe('the window', () => {
  it('whole UTC days, the last one included; malformed or reversed refused', () => {
    expect(overrideWindowBounds(WINDOW)).toEqual({ gte: '2026-11-01T00:00:00Z', lt: '2026-12-01T00:00:00.000Z' });
    expect(() => overrideWindowBounds({ from: '2026-11-31x', to: '2026-12-01' })).toThrow('not a YYYY-MM-DD date');
    expect(() => overrideWindowBounds({ from: '2026-12-02', to: '2026-12-01' })).toThrow('after');
  });

  it('the command defaults to the 30 days up to today, and turns a bad window into a usage error', () => {
    expect(overridesWindow({}, new Date('2026-12-04T18:00:00Z'))).toEqual({ from: '2026-11-05', to: '2026-12-04' });
    expect(overridesWindow({ to: '2026-11-30' })).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(() => overridesWindow({ from: 'yesterday' })).toThrow(expect.objectContaining({ name: 'UsageError' }));
  });
});
