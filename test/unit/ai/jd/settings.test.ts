import { describe, expect, it } from 'vitest';
import { jobDescriptionSettingsSchema, parseAiSettings, payTransparencySchema } from '#core/ai/settings';

describe('job-description settings', () => {
  it('are off by default, in shadow mode, with no EEO statement, no pay-range rules and no post writes', () => {
    expect(parseAiSettings({}).jobDescriptions).toEqual({
      enabled: false,
      mode: 'shadow',
      rolloutPercent: 100,
      scope: { allJobs: false, jobIds: [], departmentIds: [], officeIds: [], excludedJobIds: [] },
      writeJobPost: false,
      maxWords: 700,
      similarPosts: 3,
      corpus: {},
    });
    expect(parseAiSettings({}).payTransparency).toEqual({ rules: [] });
  });

  it('take pay-range rules (ai.payTransparency) by office id or office name, required unless said otherwise', () => {
    const parsed = jobDescriptionSettingsSchema.parse({
      eeoStatement: 'We are an equal opportunity employer.',
      corpus: { s3Prefix: 's3://fernleaf-company-texts/corpus/' },
    });
    const transparency = payTransparencySchema.parse({
      jobPayRangeField: 'salary_range',
      rules: [
        { match: { officeNames: ['Denver', ', CO'] }, jurisdiction: 'Colorado' },
        { match: { officeIds: [42] }, jurisdiction: 'NYC', required: false },
      ],
    });
    expect(transparency.rules).toEqual([
      { match: { officeNames: ['Denver', ', CO'] }, jurisdiction: 'Colorado', required: true },
      { match: { officeIds: [42] }, jurisdiction: 'NYC', required: false },
    ]);
    expect(parsed.corpus.s3Prefix).toBe('s3://fernleaf-company-texts/corpus/');
  });

  it('refuse a rule that matches nothing, an empty EEO statement, a corpus that is not an S3 URI, and a budget out of range', () => {
    for (const bad of [{ rules: [{ match: {}, jurisdiction: 'Colorado' }] }, { rules: [{ match: { officeNames: [] }, jurisdiction: 'Colorado' }] }]) {
      expect(payTransparencySchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    for (const bad of [
      { eeoStatement: '' },
      { corpus: { s3Prefix: 'fernleaf-company-texts/corpus' } },
      { maxWords: 50 },
      { similarPosts: 11 },
      { unknownKey: true },
    ]) {
      expect(jobDescriptionSettingsSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
