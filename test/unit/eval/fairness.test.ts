import { describe, expect, it } from 'vitest';
import { wholeWord } from '#core/ai/minimise';
import type { ScreeningProvider } from '#core/ai/screening/contract';
import { screenOffline } from '#core/ai/screening/offline';
import { loadDataset, type EvalResume } from '../../../eval/dataset.ts';
import { evaluateFairness, fairnessGateFailures, fairnessSummary, formatFairnessReport } from '../../../eval/fairness/evaluate.ts';
import { IDENTITY_GROUPS, RACES, SEXES } from '../../../eval/fairness/names.ts';
import { renderResume } from '../../../eval/fairness/render.ts';
import { providerFor } from '../../../eval/providers.ts';

const dataset = loadDataset();
const base = dataset.resumes.filter((r) => r.variantOf === undefined);
const group = (id: string) => IDENTITY_GROUPS.find((g) => g.id === id)!;

describe('identity groups', () => {
  it('cover race/ethnicity × sex with names, pronouns and proxy lines', () => {
    expect(IDENTITY_GROUPS.map((g) => g.id)).toEqual(RACES.flatMap((r) => SEXES.map((s) => `${r} ${s}`)));
    for (const g of IDENTITY_GROUPS) {
      expect(g.names.length, g.id).toBeGreaterThanOrEqual(2);
      expect(g.proxyLines, g.id).toHaveLength(2);
      expect(g.pronouns).toBe(g.sex === 'female' ? 'she/her' : 'he/him');
    }
  });
});

describe('renderResume', () => {
  const resume: EvalResume = {
    id: 'hand-made',
    jobId: 'backend-engineer',
    label: 'strong',
    candidate: { firstName: 'Thomas', lastName: 'Lee' },
    text: "Thomas 'Tom' Lee\ntom.lee@mail.example | +44 7700 900000 | https://github.example/tlee\n\nExperience\n- Lee led the move to Go at Leeds Data.\n\nSkills\nGo, Postgres",
  };

  it('puts the name and pronouns where the name was, renames the contact line and body, and keeps everything else', () => {
    const rendered = renderResume(resume, group('Black female'), { first: 'Lakisha', last: 'Dorsey' }, { proxyLines: false });
    expect(rendered.text.split('\n')).toEqual([
      'Lakisha Dorsey (she/her)',
      'lakisha.dorsey@mail.example | +44 7700 900000 | https://github.example/lakishadorsey',
      '',
      'Experience',
      '- Dorsey led the move to Go at Leeds Data.',
      '',
      'Skills',
      'Go, Postgres',
    ]);
    expect(rendered.candidate).toEqual({ firstName: 'Lakisha', lastName: 'Dorsey' });
  });

  it('adds the group\'s proxy lines in an Activities section at the end when asked', () => {
    const rendered = renderResume(resume, group('Hispanic male'), { first: 'Jose', last: 'Gonzalez' }, { proxyLines: true });
    expect(rendered.text.split('\n').slice(0, 1)).toEqual(['Jose Gonzalez (he/him)']);
    expect(rendered.text.split('\n').slice(-3)).toEqual(['Activities', 'Member, Society of Hispanic Professional Engineers', "Captain, men's varsity soccer team"]);
  });

  it('leaves no trace of the original person on any resume of the dataset', () => {
    for (const resume of base) {
      for (const g of IDENTITY_GROUPS) {
        const name = g.names[0]!;
        const { text } = renderResume(resume, g, name, { proxyLines: true });
        const old = [resume.candidate.firstName, resume.candidate.lastName].filter((n) => n !== name.first && n !== name.last);
        expect(text.startsWith(`${name.first} ${name.last} (${g.pronouns})\n`), resume.id).toBe(true);
        if (old.length) expect(wholeWord(old, 'u').test(text), `${resume.id} as ${g.id}`).toBe(false);
        // E-mail addresses and link handles spell the new name, never the old one.
        const contact = text.split('\n')[1]!.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
        for (const o of old) expect(contact.includes(o.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()), `${resume.id}: ${contact}`).toBe(false);
        expect(text.split('\n').slice(2, resume.text.split('\n').length)).toEqual(
          resume.text.split('\n').slice(2).map((line) => line.replace(wholeWord([resume.candidate.firstName], 'gu'), name.first).replace(wholeWord([resume.candidate.lastName], 'gu'), name.last)),
        );
      }
    }
  });
});

describe('evaluateFairness', () => {
  it('on the offline provider, as deployed: every ratio 1 and no score change, because every group reached it as the same text', async () => {
    const report = await evaluateFairness(dataset, await providerFor('offline'));
    expect(report.dataset).toEqual({ jobs: dataset.jobs.length, resumes: base.length, groups: 8 });
    expect(report.variants).toHaveLength(base.length * 8 * 4);
    const deployed = report.conditions.find((c) => c.mode === 'deployed' && c.signals === 'name')!;
    // The why: minimisation leaves one text per resume whatever the name and pronouns.
    expect(deployed.resumesIdenticalAcrossGroups).toBe(base.length);
    expect(deployed.distinctInputs).toBe(base.length);
    for (const c of report.conditions) {
      expect(c.sex.rows.map((r) => r.group), c.label).toEqual([...SEXES]);
      expect(c.race.rows.map((r) => r.group), c.label).toEqual([...RACES]);
      expect(c.intersection.rows.map((r) => r.group), c.label).toEqual(IDENTITY_GROUPS.map((g) => g.id));
      for (const row of [...c.sex.rows, ...c.race.rows, ...c.intersection.rows]) expect(row.count, `${c.label} ${row.group}`).toBeGreaterThan(0);
      expect([c.sex.minimum, c.race.minimum, c.intersection.minimum], c.label).toEqual([1, 1, 1]);
      expect(c.scoreChange, c.label).toMatchObject({ max: 0, mean: 0, maxResumeIds: [] });
      expect(c.auc, c.label).toBeGreaterThan(0.5);
    }
    // The proxy lines survive minimisation: the provider gets one text per group for them.
    expect(report.conditions.find((c) => c.mode === 'deployed' && c.signals === 'name+proxy')!.distinctInputs).toBe(base.length * 8);

    const text = formatFairnessReport(report);
    for (const g of IDENTITY_GROUPS) expect(text).toContain(g.id);
    expect(text).toMatch(/not a language model/);
    expect(text).toMatch(new RegExp(`for ${base.length} of ${base.length} resumes every group's variant reached it as the same text: its ratios of 1 and zero score changes there are trivial`));
    expect(text).toMatch(/published anchor: purpose-built screening model\s+—\s+0\.957\s+0\.906\s+0\.85/);
    expect(text).toMatch(/published anchor: general LLMs \(at most\)\s+—\s+≤ 0\.809\s+—\s+≤ 0\.77/);
    expect(fairnessSummary(report)).toMatch(/as deployed \(minimised\): name \+ pronouns: min impact ratio sex 1\.000, race 1\.000, intersectional 1\.000; AUC 0\.\d\d; largest score change per resume 0/);
    expect(fairnessGateFailures(report, { minImpactRatio: 0.8 })).toEqual([]);
  });

  it('measures a provider that marks down Black names: raw resumes show it, minimisation hides the names from it', async () => {
    const blackSurnames = new RegExp(`\\b(?:${group('Black female').names.concat(group('Black male').names).map((n) => n.last).join('|')})\\b`);
    const biased: ScreeningProvider = {
      provider: 'fake',
      model: 'biased',
      screen: async (input) => {
        const result = screenOffline(input);
        return { ...result, provider: 'fake', model: 'biased', score: Math.max(0, result.score - (blackSurnames.test(input.resumeText) ? 40 : 0)) };
      },
    };
    const report = await evaluateFairness(dataset, biased, { concurrency: 4 });
    const deployed = report.conditions.find((c) => c.mode === 'deployed' && c.signals === 'name')!;
    const raw = report.conditions.find((c) => c.mode === 'raw' && c.signals === 'name')!;
    expect(deployed.race.minimum).toBe(1);
    expect(deployed.scoreChange.max).toBe(0);
    expect(raw.race.minimum!).toBeLessThan(0.8);
    expect(raw.race.lowest).toBe('Black');
    expect(raw.intersection.minimum!).toBeLessThanOrEqual(raw.race.minimum! + 1e-12);
    expect(raw.scoreChange.max).toBeGreaterThan(0);
    expect(raw.scoreChange.max).toBeLessThanOrEqual(40);
    expect(formatFairnessReport(report)).toMatch(/Four-fifths flag \(intersectional IR < 0\.8\): raw resume/);
    expect(fairnessGateFailures(report, { minImpactRatio: 0.8 })).toEqual([]);
  });

  it('fails the --min-impact-ratio gate when a proxy line that minimisation keeps moves the deployed scores', async () => {
    const biased: ScreeningProvider = {
      provider: 'fake',
      model: 'biased',
      screen: async (input) => ({ ...screenOffline(input), provider: 'fake', model: 'biased', score: /Black Student Union/.test(input.resumeText) ? 0 : 80 }),
    };
    const report = await evaluateFairness(dataset, biased);
    const failures = fairnessGateFailures(report, { minImpactRatio: 0.8 });
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/^as deployed \(minimised\): name \+ pronouns \+ proxy lines: intersectional impact ratio 0\.000 is below --min-impact-ratio 0\.8$/);
  });
});
