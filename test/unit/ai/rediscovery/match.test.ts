import { describe, expect, it } from 'vitest';
import type { Application, Candidate } from '#core/greenhouse/records';
import { eligibility, evidenceFor, jobQueryText, lastActivityOf, selectSuggestions, type PastCandidate } from '#core/ai/rediscovery/match';
import type { VectorMatch } from '#core/ai/rediscovery/ports';

const JOB = 77;
const now = new Date('2026-12-01T00:00:00Z');
const rules = { minInactiveDays: 180 };

const application = (fields: Partial<Application>): Application => ({ id: 900, candidate_id: 10, job_id: 12, status: 'rejected', last_activity_at: '2025-03-01T00:00:00Z', ...fields }) as Application;

const past = (fields: Partial<PastCandidate> = {}, candidate: Partial<Candidate> = {}): PastCandidate => ({
  candidate: { id: 10, first_name: 'Ada', last_name: 'Lind', private: false, last_activity_at: '2025-03-01T00:00:00Z', ...candidate } as Candidate,
  applications: [application({})],
  anonymized: false,
  consentToRediscovery: true,
  ...fields,
});

describe('eligibility', () => {
  it('lets an inactive, public, consenting past candidate be suggested', () => {
    expect(eligibility(past(), JOB, now, rules)).toEqual({ eligible: true });
  });

  it('excludes a candidate active on this job, as applicant or prospect, but not one rejected from it long ago', () => {
    expect(eligibility(past({ applications: [application({ job_id: JOB, status: 'in_process' })] }), JOB, now, rules)).toEqual({ eligible: false, reasons: ['on-this-job'] });
    expect(eligibility(past({ applications: [application({ job_id: JOB, status: 'hired' })] }), JOB, now, rules)).toEqual({ eligible: false, reasons: ['on-this-job'] });
    expect(eligibility(past({ applications: [application({ job_id: null, prospect: true, prospective_job_ids: [5, JOB], status: 'in_process' })] }), JOB, now, rules)).toEqual({ eligible: false, reasons: ['on-this-job'] });
    expect(eligibility(past({ applications: [application({ job_id: JOB, status: 'rejected' })] }), JOB, now, rules)).toEqual({ eligible: true });
  });

  it('excludes a candidate active more recently than the configured age, on the candidate or any application', () => {
    expect(eligibility(past({}, { last_activity_at: '2026-10-01T00:00:00Z' }), JOB, now, rules)).toEqual({ eligible: false, reasons: ['recently-active'] });
    expect(eligibility(past({ applications: [application({ last_activity_at: '2026-11-30T00:00:00Z' })] }), JOB, now, rules)).toEqual({ eligible: false, reasons: ['recently-active'] });
    expect(eligibility(past({}, { last_activity_at: '2026-10-01T00:00:00Z' }), JOB, now, { minInactiveDays: 30 })).toEqual({ eligible: true });
    // Exactly the age is old enough; a day less is not.
    expect(eligibility(past({ applications: [] }, { last_activity_at: '2026-06-04T00:00:00Z' }), JOB, now, rules)).toEqual({ eligible: true });
    expect(eligibility(past({ applications: [] }, { last_activity_at: '2026-06-05T00:00:00Z' }), JOB, now, rules).eligible).toBe(false);
  });

  it('excludes a candidate whose last activity is unknown', () => {
    expect(eligibility(past({ applications: [] }, { last_activity_at: null }), JOB, now, rules)).toEqual({ eligible: false, reasons: ['activity-unknown'] });
    expect(lastActivityOf(past({ applications: [application({ last_activity_at: '2024-01-01T00:00:00Z' })] }, { last_activity_at: null }))).toBe('2024-01-01T00:00:00Z');
  });

  it('never suggests a private candidate', () => {
    expect(eligibility(past({}, { private: true }), JOB, now, rules)).toEqual({ eligible: false, reasons: ['private'] });
  });

  it('never suggests an anonymized candidate, by the flag or by the name Greenhouse leaves', () => {
    expect(eligibility(past({ anonymized: true }), JOB, now, rules)).toEqual({ eligible: false, reasons: ['anonymized'] });
    expect(eligibility(past({}, { first_name: 'Anonymized', last_name: '10' }), JOB, now, rules)).toEqual({ eligible: false, reasons: ['anonymized'] });
  });

  it('respects consent', () => {
    expect(eligibility(past({ consentToRediscovery: false }), JOB, now, rules)).toEqual({ eligible: false, reasons: ['no-consent'] });
  });

  it('gives every reason at once', () => {
    const all = past({ anonymized: true, consentToRediscovery: false, applications: [application({ job_id: JOB, status: 'in_process' })] }, { private: true, last_activity_at: '2026-11-20T00:00:00Z' });
    expect(eligibility(all, JOB, now, rules)).toEqual({ eligible: false, reasons: ['on-this-job', 'recently-active', 'private', 'anonymized', 'no-consent'] });
  });
});

const requirements = ['5+ years building services in Java and Spring Boot', 'PostgreSQL schema design', 'Kafka or another event streaming platform', 'A can-do attitude'];

describe('evidenceFor', () => {
  it("lists the requirements the profile meets, with the requirement's own words it found", () => {
    // "PostgreSQL" alone is one of three keywords of its requirement: not enough; the schema line is.
    const profile = 'Backend engineer, 7 years\n- Java and Spring Boot services\n- PostgreSQL schema design for billing';
    const evidence = evidenceFor(requirements, profile);
    expect(evidence.matched).toEqual([
      { requirement: requirements[0], matchedTerms: ['services', 'java', 'spring', 'boot'] },
      { requirement: requirements[1], matchedTerms: ['postgresql', 'schema', 'design'] },
    ]);
    expect(evidence.judged).toBe(4);
    expect(evidenceFor(requirements, 'Java and Spring Boot; tuned PostgreSQL queries').matched.map((m) => m.requirement)).toEqual([requirements[0]]);
  });

  it('finds nothing in a profile that shares no requirement words', () => {
    expect(evidenceFor(requirements, 'Barista: espresso, latte art, opening shifts').matched).toEqual([]);
  });
});

describe('selectSuggestions', () => {
  const match = (candidateId: number, score: number): VectorMatch => ({ key: `candidate#${candidateId}`, score, metadata: { candidateId, lastActivityAt: null, hash: 'h' } });

  it('keeps eligible candidates, closest first with ties by id, each once, at most topN, above minScore', () => {
    const selected = selectSuggestions([match(3, 0.5), match(1, 0.9), match(2, 0.7), match(5, 0.7), match(4, 0.95), match(1, 0.6), match(6, 0.8), match(7, 0.1)], {
      isEligible: (id) => id !== 4 && id !== 6,
      rules: { topN: 3, minScore: 0.2 },
    });
    expect(selected).toEqual([{ candidateId: 1, score: 0.9 }, { candidateId: 2, score: 0.7 }, { candidateId: 5, score: 0.7 }]);
    expect(selectSuggestions([match(7, 0.1)], { isEligible: () => true, rules: { topN: 3, minScore: 0.2 } })).toEqual([]);
  });

  it('builds the query from the title and the requirements', () => {
    expect(jobQueryText('Java Engineer', ['Java', 'Kafka'])).toBe('Java Engineer\nJava\nKafka');
  });
});
