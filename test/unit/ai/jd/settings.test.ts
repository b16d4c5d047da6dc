import { describe, expect, it } from 'vitest';
import { jobDescriptionSettingsSchema, parseAiSettings } from '#core/ai/settings';

describe('job-description settings', () => {
  it('are off by default, in shadow mode, with no EEO statement, no pay-range rules and no post writes', () => {
    expect(parseAiSettings({}).jobDescriptions).toEqual({
      enabled: false,
      mode: 'shadow',
      rolloutPercent: 100,
      scope: { allJobs: false, jobIds: [], departmentIds: [], officeIds: [], excludedJobIds: [] },
      payRangeRules: [],
      writeJobPost: false,
      maxWords: 700,
      similarPosts: 3,
      corpus: {},
    });
  });

  it('take pay-range rules by office id or office name, required unless said otherwise', () => {
    const parsed = jobDescriptionSettingsSchema.parse({
      eeoStatement: 'We are an equal opportunity employer.',
      payRangeField: 'salary_range',
      payRangeRules: [
        { match: { officeNames: ['Denver', ', CO'] }, jurisdiction: 'Colorado' },
        { match: { officeIds: [42] }, jurisdiction: 'NYC', required: false },
      ],
      corpus: { s3Prefix: 's3://fernleaf-company-texts/corpus/' },
    });
    expect(parsed.payRangeRules).toEqual([
      { match: { officeNames: ['Denver', ', CO'] }, jurisdiction: 'Colorado', required: true },
      { match: { officeIds: [42] }, jurisdiction: 'NYC', required: false },
    ]);
    expect(parsed.corpus.s3Prefix).toBe('s3://fernleaf-company-texts/corpus/');
  });

  it('refuse a rule that matches nothing, an empty EEO statement, a corpus that is not an S3 URI, and a budget out of range', () => {
    for (const bad of [
      { payRangeRules: [{ match: {}, jurisdiction: 'Colorado' }] },
      { payRangeRules: [{ match: { officeNames: [] }, jurisdiction: 'Colorado' }] },
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
