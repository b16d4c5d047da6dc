import { describe, expect, it } from 'vitest';
import { offlineFeedbackProvider, synthesizeOffline } from '#core/ai/feedback/offline';
import { FEEDBACK_PROMPT_VERSION, feedbackAnswerSchema, type FeedbackInput } from '#core/ai/feedback/contract';

const input: FeedbackInput = {
  jobTitle: 'Data Engineer',
  stageName: 'Onsite',
  scorecards: [
    {
      label: 'Interviewer A',
      interview: 'System design',
      rating: 'strong_yes',
      notes: 'Excellent system design depth, with clear sharding trade-offs. [name] asked sharp questions about on-call. Would she want to lead the migration?',
    },
    {
      label: 'Interviewer B',
      interview: 'Coding',
      rating: 'no',
      notes: 'Code quality in the exercise was weak. System design answers were shallow on failure modes.\nDid anyone probe testing habits?',
    },
    { label: 'Interviewer C', interview: 'Values', rating: 'no_decision', notes: '' },
    { label: 'Interviewer D', interview: 'Pairing', rating: 'yes', notes: '- Pleasant pairing session; code quality was fine.' },
  ],
};

describe('offline feedback provider', () => {
  it('names itself, says it is not a language model, and answers the shared schema', async () => {
    const result = await offlineFeedbackProvider.synthesize(input);
    expect(result).toMatchObject({ provider: 'offline', model: 'feedback-tally-v1', promptVersion: FEEDBACK_PROMPT_VERSION, usage: { inputTokens: 0, outputTokens: 0 } });
    expect(result.consensus.ratingSummary).toBe('Offline tally (not a language model): 4 scorecards: 1 strong yes, 1 yes, 1 no decision, 1 no.');
    const { provider: _p, model: _m, promptVersion: _v, usage: _u, latencyMs: _l, ...answer } = result;
    expect(feedbackAnswerSchema.parse(answer)).toEqual(answer);
  });

  it('finds the strong yes against no, with who said what and their first sentence', () => {
    const { disagreements, consensus } = synthesizeOffline(input);
    expect(consensus.summary).toBe('Ratings are split: 2 positive, 1 negative, 1 without a decision.');
    expect(disagreements).toEqual([
      {
        about: 'Overall rating: positive against negative',
        positions: [
          { interviewer: 'Interviewer A', rating: 'strong_yes', view: 'Excellent system design depth, with clear sharding trade-offs.' },
          { interviewer: 'Interviewer D', rating: 'yes', view: 'Pleasant pairing session; code quality was fine.' },
          { interviewer: 'Interviewer B', rating: 'no', view: 'Code quality in the exercise was weak.' },
        ],
      },
    ]);
  });

  it('reports no disagreement when nobody rated negatively', () => {
    const agreeing = { ...input, scorecards: input.scorecards.filter((s) => s.rating !== 'no') };
    expect(synthesizeOffline(agreeing).disagreements).toEqual([]);
  });

  it('takes as themes the phrases two or more interviewers used, most widely shared first, without repeating a phrase as its words', () => {
    const { themes } = synthesizeOffline(input);
    expect(themes).toEqual([
      { theme: 'code quality', mentionedBy: ['Interviewer B', 'Interviewer D'] },
      { theme: 'system design', mentionedBy: ['Interviewer A', 'Interviewer B'] },
    ]);
  });

  it('lists the questions in the notes and the scorecards without notes as open questions', () => {
    expect(synthesizeOffline(input).openQuestions).toEqual([
      'Interviewer A asks: Would she want to lead the migration?',
      'Interviewer B asks: Did anyone probe testing habits?',
      'Interviewer C left no notes: what is behind their rating?',
    ]);
  });

  it('does not count placeholders or labels as themes', () => {
    const echo: FeedbackInput = {
      ...input,
      scorecards: [
        { label: 'Interviewer A', interview: 'X', rating: 'yes', notes: 'Agree with Interviewer B; [name] emailed [email].' },
        { label: 'Interviewer B', interview: 'X', rating: 'yes', notes: 'Agree with Interviewer A; [name] emailed [email].' },
      ],
    };
    expect(synthesizeOffline(echo).themes.map((t) => t.theme)).toEqual(['agree', 'emailed']);
  });

  it('is deterministic', () => {
    expect(synthesizeOffline(input)).toEqual(synthesizeOffline(structuredClone(input)));
  });
});
