import { describe, expect, it } from 'vitest';
import {
  MAX_LINE_WORDS,
  checkDraft,
  checkEeoStatement,
  checkGrounding,
  checkInclusiveLanguage,
  checkLength,
  checkPayRange,
  checkRequiredSections,
  checksSummary,
} from '#core/ai/jd/checks';
import type { JobDescriptionDraft } from '#core/ai/jd/draft';
import { EEO, sampleBrief } from './support.ts';
import { alexInclusiveLanguage } from '#adapters/ai/inclusive-language';

const brief = sampleBrief();

function draft(fields: Partial<JobDescriptionDraft> = {}): JobDescriptionDraft {
  return {
    title: 'Senior Backend Engineer',
    summary: [{ text: 'Role: Senior Backend Engineer.', source: 'job:name' }],
    responsibilities: [{ text: 'Design and run Go services for route forecasting', source: 'post:901' }],
    mustHave: [{ text: 'Go or Rust services in production', source: 'job-note:41' }],
    niceToHave: [{ text: 'Kafka or another event streaming platform', source: 'post:901' }],
    benefits: [{ text: '25 days of paid vacation plus public holidays', source: 'corpus:benefits.md' }],
    eeoStatement: EEO,
    payRange: { min: 140000, max: 175000, currency: 'USD' },
    ...fields,
  };
}

const messages = (result: { findings: readonly { message: string }[] }) => result.findings.map((f) => f.message);

describe('the draft checks', () => {
  it('pass a complete, grounded, inclusive draft within its limits', () => {
    const results = checkDraft(draft(), { brief, eeoStatement: EEO, payRangeRequiredIn: ['Colorado'], maxWords: 700, inclusiveLanguage: alexInclusiveLanguage });
    expect(results.map((r) => [r.check, r.passed, r.findings.length])).toEqual([
      ['required-sections', true, 0],
      ['inclusive-language', true, 0],
      ['grounding', true, 0],
      ['length', true, 0],
      ['eeo-statement', true, 0],
      ['pay-range', true, 0],
    ]);
    expect(checksSummary(results)).toEqual({ passed: 6, failed: 0, findings: {} });
  });

  it('required sections: an empty summary, responsibilities, must-have or benefits fails; nice-to-have may be empty', () => {
    expect(checkRequiredSections(draft({ niceToHave: [] })).passed).toBe(true);
    const missing = checkRequiredSections(draft({ responsibilities: [], benefits: [{ text: '  ', source: 'corpus:benefits.md' }] }));
    expect(missing.passed).toBe(false);
    expect(messages(missing)).toEqual(['Responsibilities is missing', 'Benefits is missing']);
  });

  it('inclusive language: alex flags gendered and exclusionary words, and the job-ad terms it does not know are flagged too', () => {
    const result = checkInclusiveLanguage(
      draft({ mustHave: [{ text: 'A rockstar who knows manpower planning', source: 'job-note:41' }], responsibilities: [{ text: 'He will own the build', source: 'post:901' }] }),
      alexInclusiveLanguage,
    );
    expect(result.passed).toBe(false);
    const found = messages(result);
    expect(found.some((m) => m.startsWith('Responsibilities 1: `He` may be insensitive') && m.includes('retext-equality/he-she'))).toBe(true);
    expect(found.some((m) => m.startsWith('Must have 1: `manpower` may be insensitive'))).toBe(true);
    expect(found).toContain('Must have 1: `rockstar` is job-ad jargon that puts people off, use `skilled, experienced` instead (job-ad terms)');
  });

  it('inclusive language does not read the configured EEO statement (alex calls "sexual orientation" profane)', () => {
    expect(checkInclusiveLanguage(draft({ eeoStatement: 'We do not discriminate on sexual orientation or gender identity.' }), alexInclusiveLanguage).passed).toBe(true);
  });

  it('grounding: a claim whose words are not in the brief fails, one from a different source than named only warns', () => {
    const result = checkGrounding(
      draft({
        mustHave: [
          { text: 'Certified Kubernetes administrator with Terraform', source: 'post:901' },
          { text: 'Own PostgreSQL schemas and their migrations', source: 'job-note:41' },
        ],
      }),
      brief,
    );
    expect(result.passed).toBe(false);
    expect(result.findings).toEqual([
      { severity: 'fail', message: expect.stringMatching(/^Must have 1: ungrounded, not found in the job.*"Certified Kubernetes administrator with Terraform" \(missing: certified, kubernetes, administrator, terraform\)$/) },
      { severity: 'warn', message: 'Must have 2: found in post:901, not in its named source job-note:41' },
    ]);
  });

  it('grounding: a benefit stated only in a past post, not in the company corpus, is ungrounded', () => {
    const result = checkGrounding(draft({ benefits: [{ text: 'Free lunch every day and a company car', source: 'post:901' }] }), brief);
    expect(result.passed).toBe(false);
    expect(messages(result)[0]).toMatch(/^Benefits 1: ungrounded, benefit not stated in the company corpus/);
  });

  it('length: over the word budget, or one line over the line limit, fails', () => {
    expect(checkLength(draft(), 700).passed).toBe(true);
    expect(messages(checkLength(draft(), 20))).toEqual([expect.stringMatching(/^\d+ words, more than the 20 allowed$/)]);
    const long = Array.from({ length: MAX_LINE_WORDS + 1 }, () => 'word').join(' ');
    expect(messages(checkLength(draft({ responsibilities: [{ text: long, source: 'post:901' }] }), 3000))).toEqual([`Responsibilities 1: ${MAX_LINE_WORDS + 1} words, more than ${MAX_LINE_WORDS} in one line`]);
  });

  it('EEO statement: none configured, missing from the draft, or changed, each fails', () => {
    expect(checkEeoStatement(draft(), EEO).passed).toBe(true);
    expect(messages(checkEeoStatement(draft({ eeoStatement: null }), undefined))[0]).toMatch(/^No EEO statement is configured.*none was invented$/);
    expect(messages(checkEeoStatement(draft({ eeoStatement: null }), EEO))).toEqual(['The EEO statement is missing from the draft']);
    expect(messages(checkEeoStatement(draft({ eeoStatement: `${EEO} We love diversity.` }), EEO))).toEqual(['The EEO statement differs from the configured one']);
  });

  it('pay range: required by a jurisdiction and unknown fails; known, or not required, passes', () => {
    expect(checkPayRange(draft({ payRange: null }), []).passed).toBe(true);
    expect(checkPayRange(draft(), ['Colorado']).passed).toBe(true);
    const unknown = checkPayRange(draft({ payRange: null }), ['Colorado', 'NYC']);
    expect(unknown.passed).toBe(false);
    expect(messages(unknown)).toEqual(["Pay range required (Colorado, NYC) but unknown: fill in the job's pay range field; none was estimated"]);
  });
});
