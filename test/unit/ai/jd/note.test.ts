import { describe, expect, it } from 'vitest';
import { isAiNote } from '#core/ai/ai-notes';
import { checkDraft } from '#core/ai/jd/checks';
import type { JobDescriptionDraft } from '#core/ai/jd/draft';
import { JD_NOTE_PREFIX, jobDescriptionNote } from '#core/ai/jd/note';
import { offlineJobDescriptionDrafter } from '#core/ai/jd/offline-drafter';
import { EEO, sampleBrief } from './support.ts';
import { alexInclusiveLanguage } from '#adapters/ai/inclusive-language';

const brief = sampleBrief();
const draft: JobDescriptionDraft = {
  title: 'Senior Backend Engineer',
  summary: [{ text: 'Role: Senior Backend Engineer.', source: 'job:name' }],
  responsibilities: [{ text: 'Design and run Go services for route forecasting', source: 'post:901' }],
  mustHave: [{ text: 'A rockstar with Go or Rust services in production', source: 'job-note:41' }],
  niceToHave: [],
  benefits: [{ text: 'Free lunch every day and a company car', source: 'post:901' }],
  eeoStatement: null,
  payRange: null,
};
const checks = checkDraft(draft, { brief, eeoStatement: undefined, payRangeRequiredIn: ['Colorado'], maxWords: 700, inclusiveLanguage: alexInclusiveLanguage });
const note = jobDescriptionNote(draft, {
  checks,
  provenance: offlineJobDescriptionDrafter.provenance,
  payRangeRequiredIn: ['Colorado'],
  posts: { patched: [], live: [801], untouched: [802], writeJobPost: true },
});

describe('jobDescriptionNote', () => {
  it('starts like the other AI notes and says it is a draft for review, not published', () => {
    expect(note.split('\n')[0]).toBe(`${JD_NOTE_PREFIX}Senior Backend Engineer · draft for review, not published · checks 2 of 6 passed`);
    expect(isAiNote(note)).toBe(true);
  });

  it('shows every section, each line with its source, and an empty section as none', () => {
    expect(note).toContain('Responsibilities\n   • Design and run Go services for route forecasting [post 901]');
    expect(note).toContain('Must have\n   • A rockstar with Go or Rust services in production [job-note 41]');
    expect(note).toContain('Nice to have\n   (none)');
    expect(note).toContain('Summary\n   • Role: Senior Backend Engineer. [job name]');
  });

  it('says a required pay range and the EEO statement are missing rather than filling them in', () => {
    expect(note).toContain('Pay range\n   Required (Colorado) but unknown: none was estimated.');
    expect(note).toContain('EEO statement\n   Missing: no EEO statement is configured, and none was invented.');
  });

  it('lists each check with pass or fail and its findings', () => {
    expect(note).toContain('✓ Required sections');
    expect(note).toMatch(/✗ Inclusive language: 1 finding\n {3}• Must have 1: `rockstar` is job-ad jargon/);
    expect(note).toMatch(/✗ Grounded in the job, similar posts or company texts: 1 finding\n {3}• Benefits 1: ungrounded, benefit not stated in the company corpus/);
    expect(note).toContain('✓ Length');
    expect(note).toContain('✗ EEO statement: 1 finding');
    expect(note).toContain('✗ Pay range: 1 finding');
  });

  it('says what happened to the job posts and, at the foot, that the drafter is not a language model', () => {
    expect(note).toContain('Job post 801 is live (or not known to be unpublished): never changed.');
    expect(note).toContain('Job post 802 left as it was: a check failed.');
    expect(note.split('\n').at(-1)).toMatch(/^Drafter offline · model jd-assembler-v1 \(not a language model: copies and arranges the sources' own lines\)/);
  });

  it('shows a pay range and the configured statement when there are some', () => {
    const full = jobDescriptionNote(
      { ...draft, payRange: { min: 90000, max: 120000, currency: 'EUR' }, eeoStatement: EEO },
      { checks, provenance: offlineJobDescriptionDrafter.provenance, payRangeRequiredIn: [], posts: { patched: [802], live: [], untouched: [], writeJobPost: true } },
    );
    expect(full).toContain('Pay range\n   EUR 90,000–120,000');
    expect(full).toContain(`EEO statement\n   ${EEO}`);
    expect(full).toContain('Job post 802 (not live) now holds this draft; publishing is up to you.');
  });
});
