import { describe, expect, it } from 'vitest';
import { checkDraft } from '#core/ai/jd/checks';
import { draftOffline, offlineJobDescriptionDrafter } from '#core/ai/jd/offline-drafter';
import { postSections } from '#core/ai/jd/similar-posts';
import { BACKEND_POST_HTML, EEO, sampleBrief } from './support.ts';
import { alexInclusiveLanguage } from '#adapters/ai/inclusive-language';

const texts = (claims: readonly { text: string }[]) => claims.map((c) => c.text);

describe('the offline drafter', () => {
  it('says it is not a language model and spends no tokens', async () => {
    expect(offlineJobDescriptionDrafter.provenance).toMatchObject({ provider: 'offline', isLanguageModel: false });
    const answer = await offlineJobDescriptionDrafter.draft(sampleBrief());
    expect(answer.usage).toEqual({ inputTokens: 0, outputTokens: 0 });
    expect(answer.draft).toEqual(draftOffline(sampleBrief()));
  });

  it('states the job\'s own facts as the summary, each with its source, then a line of the values document', () => {
    expect(draftOffline(sampleBrief()).summary).toEqual([
      { text: 'Role: Senior Backend Engineer.', source: 'job:name' },
      { text: 'Team: Platform Engineering.', source: 'job:department' },
      { text: 'Location: Denver, CO.', source: 'job:offices' },
      { text: 'Openings: 2.', source: 'job:openings' },
      { text: 'Employment type: Full-time.', source: 'job:field:employment_type' },
      { text: 'Fernleaf Analytics builds forecasting software for regional food distributors.', source: 'corpus:values.md' },
    ]);
  });

  it('takes requirements from the notes first, then the similar posts\' sections by their headings', () => {
    const draft = draftOffline(sampleBrief());
    expect(draft.mustHave).toEqual([
      { text: 'Go or Rust services in production', source: 'job-note:41' },
      { text: 'Production experience with PostgreSQL', source: 'post:901' },
    ]);
    expect(draft.niceToHave).toEqual([
      { text: 'Kafka is a nice to have', source: 'job-note:41' },
      { text: 'Kafka or another event streaming platform', source: 'post:901' },
    ]);
    expect(texts(draft.responsibilities)).toEqual(['Design and run Go services for route forecasting', 'Own PostgreSQL schemas and their migrations']);
  });

  it('takes benefits from the company corpus only, never a past post\'s', () => {
    const draft = draftOffline(sampleBrief());
    expect(draft.benefits.every((b) => b.source === 'corpus:benefits.md')).toBe(true);
    expect(texts(draft.benefits)).not.toContain('Free lunch every day and a company car');
    expect(draftOffline(sampleBrief({ corpus: [] })).benefits).toEqual([]);
  });

  it('passes all checks on a clean brief', () => {
    const brief = sampleBrief();
    const draft = { title: brief.name, ...draftOffline(brief), eeoStatement: EEO, payRange: null };
    expect(checkDraft(draft, { brief, eeoStatement: EEO, payRangeRequiredIn: [], maxWords: 700, inclusiveLanguage: alexInclusiveLanguage }).filter((c) => !c.passed)).toEqual([]);
  });

  it('copies a source\'s wording as it is, so the inclusive-language check is what catches it', () => {
    const brief = sampleBrief({ notes: [{ id: 41, text: '- A rockstar who owns manpower planning' }] });
    const draft = { title: brief.name, ...draftOffline(brief), eeoStatement: EEO, payRange: null };
    expect(texts(draft.mustHave)).toContain('A rockstar who owns manpower planning');
    const inclusive = checkDraft(draft, { brief, eeoStatement: EEO, payRangeRequiredIn: [], maxWords: 700, inclusiveLanguage: alexInclusiveLanguage }).find((c) => c.check === 'inclusive-language')!;
    expect(inclusive.passed).toBe(false);
    expect(inclusive.findings).toHaveLength(2);
  });

  it('stops adding lines when the word budget is spent', () => {
    const small = draftOffline(sampleBrief({ maxWords: 30 }));
    const words = [...small.summary, ...small.mustHave, ...small.responsibilities, ...small.benefits, ...small.niceToHave].reduce((n, c) => n + c.text.split(/\s+/).length, 0);
    expect(words).toBeLessThanOrEqual(30);
    expect(small.mustHave.length).toBeGreaterThan(0);
  });
});

describe('postSections', () => {
  it('splits a post at its headings and bold paragraphs, each with its list items or sentences', () => {
    expect(postSections(BACKEND_POST_HTML)).toEqual([
      { heading: 'About the role', items: ['Join a small team.'] },
      { heading: 'What you will do', items: ['Design and run Go services for route forecasting', 'Own PostgreSQL schemas and their migrations', 'Share the on-call rotation with your team'] },
      { heading: 'Requirements', items: ['Five years building backend services in Go or Rust', 'Production experience with PostgreSQL'] },
      { heading: 'Nice to have', items: ['Kafka or another event streaming platform'] },
      { heading: 'Benefits', items: ['Free lunch every day and a company car'] },
    ]);
  });
});
