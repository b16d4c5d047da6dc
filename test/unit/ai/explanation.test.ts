import { describe, expect, it } from 'vitest';
import { explainApplication, hasAiEntries, readApplicationFacts, type FactsReader } from '#core/ai/explanation';
import type { Application } from '#core/greenhouse/records';
import type { AuditEntry } from '#core/sync/ports';

const KEY = 'greenhouse#application#4242';
const HASH = '9e'.repeat(32);

const answer = {
  score: 50,
  notJudged: ['Willing to travel monthly'],
  strengths: [{ point: 'Go services in production', evidence: 'Built the Go billing services at Northwind (2019–2024)' }],
  gaps: [{ point: 'Kafka experience', evidence: 'No message broker named in the resume' }],
  summary: 'Good Go; no Kafka.',
};

function screening(overrides: Record<string, string | number | boolean | null> = {}, output: unknown = answer): AuditEntry {
  return {
    kind: 'ai-inference',
    entityKey: KEY,
    summary: 'Screening score 50 by bedrock/anthropic.claude-test (screening-v1).',
    detail: {
      workflow: 'screening',
      applicationId: 4242,
      jobId: 77,
      mode: 'assist',
      inputHash: HASH,
      reused: false,
      requirements: 3,
      removed: JSON.stringify({ email: 1, phone: 0, link: 0, 'proxy-line': 1, name: 2 }),
      provider: 'bedrock',
      model: 'anthropic.claude-test',
      promptVersion: 'screening-v1',
      inputTokens: 1200,
      outputTokens: 310,
      latencyMs: 2345,
      score: 50,
      output: JSON.stringify(output),
      ...overrides,
    },
    at: '2026-11-23T10:00:00.000Z',
  };
}

describe('explainApplication', () => {
  it('explains a language model screening: its inputs, the requirements met and missed with the evidence, the model, prompt version and date', () => {
    const { text, outputs } = explainApplication(4242, [screening()]);
    expect(text).toContain('reference 4242');
    expect(text).toMatch(/only advise/);
    expect(text).toContain('23 November 2026: resume screening');
    expect(text).toContain('the 3 requirements listed in the job post');
    expect(text).toContain('Taken out of your resume text before the AI saw it: your name, email addresses and lines about personal characteristics.');
    expect(text).toContain('a large language model (anthropic.claude-test, from bedrock, instructions version screening-v1)');
    expect(text).toContain('Its fit score: 50 out of 100');
    expect(text).toMatch(/Requirements it found in your resume.*\n {2}- Go services in production \(from your resume: “Built the Go billing services at Northwind \(2019–2024\)”\)/);
    expect(text).toMatch(/Requirements it did not find in your resume:\n {2}- Kafka experience \(No message broker named in the resume\)/);
    expect(text).toMatch(/could not judge from a resume:\n {2}- Willing to travel monthly/);
    expect(text).toContain('How to ask for a human review');
    expect(outputs).toEqual([expect.objectContaining({ kind: 'screening', languageModel: true, score: 50, met: [expect.objectContaining({ requirement: 'Go services in production' })] })]);
    // Internal ids and hashes stay out: only the application's id.
    expect(text).not.toContain(HASH.slice(0, 12));
    expect(text).not.toMatch(/\b77\b/);
  });

  it('names the offline matcher as not a language model', () => {
    const { text, outputs } = explainApplication(4242, [screening({ provider: 'offline', model: 'keyword-matcher-v1' })]);
    expect(text).toContain('an automatic keyword matcher (keyword-matcher-v1, instructions version screening-v1). It is not a language model');
    expect(text).not.toContain('large language model');
    expect(outputs[0]).toMatchObject({ languageModel: false });
  });

  it('says when a shadow-mode result was never shown to the hiring team', () => {
    expect(explainApplication(4242, [screening({ mode: 'shadow' })]).text).toContain('was not shown to the hiring team');
    expect(explainApplication(4242, [screening()]).text).not.toContain('was not shown to the hiring team');
  });

  it('with no entries says no AI output is recorded, and hasAiEntries is false (also for entries that are not the AI’s)', () => {
    const { text, outputs } = explainApplication(4242, []);
    expect(outputs).toEqual([]);
    expect(text).toContain('No AI output is recorded for this application.');
    expect(hasAiEntries([])).toBe(false);
    expect(hasAiEntries([{ kind: 'offer-check', entityKey: KEY, summary: 'Offer checked', at: '2026-11-23T10:00:00.000Z' }])).toBe(false);
    expect(hasAiEntries([screening()])).toBe(true);
  });

  it('holds no name, email or phone, even when an entry holds them by mistake: only known fields are read, and model text is minimised', () => {
    const leaky = screening(
      { candidateName: 'Avery Quinn', email: 'avery.quinn@example.test', summaryForRecruiter: 'Avery is great' },
      {
        ...answer,
        summary: 'Avery Quinn is a strong fit.',
        strengths: [{ point: 'Go', evidence: 'Avery Quinn led Go work, avery.quinn@example.test, +44 20 7946 0101' }],
      },
    );
    const { text } = explainApplication(4242, [{ ...leaky, summary: 'Screening of Avery Quinn' }], { names: ['Avery', 'Quinn'] });
    expect(text).not.toMatch(/Avery|Quinn|avery\.quinn@|7946/);
    expect(text).toContain('[name] [name] led Go work, [email], [phone]');
  });

  it('leaves out a requirement or quote that is only a protected-attribute line', () => {
    const { text } = explainApplication(4242, [screening({}, { ...answer, strengths: [{ point: 'Availability', evidence: 'Date of birth: 4 May 1991' }] })]);
    expect(text).not.toContain('1991');
    expect(text).toContain('  - Availability\n');
  });

  it('explains a feedback summary without quoting interviewers, and not-run, failed and opted-out entries in words', () => {
    const entries: AuditEntry[] = [
      { kind: 'ai-not-screenable', entityKey: KEY, summary: 'x', detail: { workflow: 'screening', reason: 'resume scanned-image' }, at: '2026-11-20T09:00:00.000Z' },
      { kind: 'ai-failed', entityKey: KEY, summary: 'x', detail: { workflow: 'screening', provider: 'bedrock', model: 'm', error: 'GuardrailIntervened' }, at: '2026-11-21T09:00:00.000Z' },
      {
        kind: 'ai-inference',
        entityKey: KEY,
        summary: 'Feedback synthesis for stage 813',
        detail: {
          workflow: 'feedback-synthesis',
          stageId: 813,
          scorecards: 2,
          provider: 'bedrock',
          model: 'm',
          promptVersion: 'feedback-synthesis-v1',
          output: JSON.stringify({ consensus: { summary: 'Mira Jensen thinks the candidate is weak' }, disagreements: [], themes: [], openQuestions: [] }),
        },
        at: '2026-11-25T09:00:00.000Z',
      },
    ];
    const { text } = explainApplication(4242, entries);
    expect(text).toContain('20 November 2026: the AI resume screening did not run, because the resume file could not be read as text.');
    expect(text).toContain('21 November 2026: the AI resume screening was tried, but its answer could not be used.');
    expect(text).toContain('An AI tool summarised the 2 written interview scorecards for the hiring team.');
    expect(text).not.toMatch(/Mira|weak|813|GuardrailIntervened/);
    // Oldest first.
    expect(text.indexOf('20 November')).toBeLessThan(text.indexOf('25 November'));
  });

  it('describes the hiring team’s decisions after the AI: stage moves after it and a rejection, as people’s decision', () => {
    const { text, humanDecisions } = explainApplication(4242, [screening()], {
      status: 'rejected',
      currentStage: 'Phone Screen',
      rejectedAt: '2026-11-28T15:00:00.000Z',
      rejectionReason: 'Lacking skill(s)/qualification(s)',
      stageMoves: [
        { stage: 'Application Review', enteredAt: '2026-11-22T09:00:00.000Z' },
        { stage: 'Phone Screen', enteredAt: '2026-11-24T09:00:00.000Z' },
      ],
      names: ['Avery'],
    });
    expect(humanDecisions.stageMovesAfterAi).toEqual([{ stage: 'Phone Screen', enteredAt: '2026-11-24T09:00:00.000Z' }]);
    expect(text).toContain('The hiring team moved your application after the AI\'s review:\n  - to "Phone Screen" on 24 November 2026');
    expect(text).toContain('decided not to go ahead with your application on 28 November 2026. This was a decision by people on the hiring team, not by the AI.');
    expect(text).toContain('The reason they recorded: Lacking skill(s)/qualification(s).');
    expect(text).not.toContain('Application Review');
  });

  it('without Greenhouse facts says the decisions were not read', () => {
    const { text, humanDecisions } = explainApplication(4242, [screening()]);
    expect(humanDecisions.read).toBe(false);
    expect(text).toContain("The hiring team's decisions were not read for this explanation.");
    expect(explainApplication(4242, [screening()], { status: 'in_process', currentStage: 'Onsite' }).text).toContain('still being considered, at the "Onsite" stage');
  });
});

describe('readApplicationFacts', () => {
  const application = { id: 4242, candidate_id: 9, job_id: 77, status: 'rejected', stage_name: 'Phone Screen', rejected_at: '2026-11-28T15:00:00Z', rejection_reason_id: null } as Application;
  async function* items<T>(...values: T[]): AsyncIterable<T> {
    yield* values;
  }
  const reader = (overrides: Partial<FactsReader> = {}): FactsReader => ({
    listApplications: (query) => items(...(query?.ids?.includes(4242) ? [application] : [])),
    getCandidate: async () => ({ id: 9, first_name: 'Avery', last_name: 'Quinn' }),
    listRejectionDetails: () => items({ id: 1, application_id: 4242, rejection_reason_id: 5, rejected_at: '2026-11-28T15:00:00Z' }),
    listRejectionReasons: (query) => items(...(query?.includeDefaults ? [{ id: 5, name: 'Lacking skill(s)' }] : [])),
    listApplicationStages: () => items({ id: 1, application_id: 4242, job_interview_stage_id: 811, entered_at: '2026-11-24T09:00:00Z' }),
    listJobInterviewStages: (jobIds) => items(...(jobIds.includes(77) ? [{ id: 811, job_id: 77, name: 'Phone Screen' }] : [])),
    ...overrides,
  });

  it('reads the status, stage, rejection reason, stage history and the names to keep out', async () => {
    expect(await readApplicationFacts(reader(), 4242)).toEqual({
      status: 'rejected',
      currentStage: 'Phone Screen',
      rejectedAt: '2026-11-28T15:00:00Z',
      rejectionReason: 'Lacking skill(s)',
      stageMoves: [{ stage: 'Phone Screen', enteredAt: '2026-11-24T09:00:00Z' }],
      names: ['Avery', 'Quinn'],
    });
    expect(await readApplicationFacts(reader(), 1)).toBeUndefined();
  });

  it('still answers the status when the rejection details or stage history are refused', async () => {
    const refused = () => {
      throw new Error('forbidden');
    };
    const facts = await readApplicationFacts(reader({ listRejectionDetails: refused, listApplicationStages: refused }), 4242);
    expect(facts).toMatchObject({ status: 'rejected', rejectionReason: null });
    expect(facts?.stageMoves).toBeUndefined();
  });
});
