import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ConverseCall } from '#local/simulators/bedrock/server';
import { resumePdf } from '#local/resume-files';

/**
 * The Greenhouse world of the AI end-to-end tests: the default scenario plus a job post with real
 * requirements, three applicants with PDF resumes (a strong and a weak fit on job 801, one on job 802),
 * and a "Technical Interview" job interview with its kit for feedback synthesis. Also a Bedrock
 * simulator responder that answers like a model would: from what the prompt says.
 */
export const ENABLED_JOB = 801;
export const DISABLED_JOB = 802;
export const TECHNICAL_STAGE = 813;
export const TECHNICAL_JOB_INTERVIEW = 8130;
export const APPLICATIONS = { strong: 9201, weak: 9202, otherJob: 9203 } as const;
export const CANDIDATES = { strong: 9101, weak: 9102, otherJob: 9103 } as const;
export const INTERVIEWERS = { mira: 302, tobias: 303 } as const;

const POST = `<p>Join the platform team that runs our event pipeline.</p>
<ul><li>Production experience with Kubernetes</li><li>Go or TypeScript services at scale</li><li>PostgreSQL schema design</li><li>On-call ownership of distributed systems</li></ul>`;

const STRONG = [
  'Avery Quinn',
  'avery.quinn@example.test · +44 20 7946 0101 · https://avery.example.test',
  'Date of birth: 4 May 1991',
  'Staff Engineer, Lumen Freight (2019–2026)',
  '- Ran Kubernetes clusters for 40 Go and TypeScript services at scale',
  '- Designed the PostgreSQL schema for billing',
  '- Led the on-call rotation for the distributed ingest systems',
];
const WEAK = ['Blake Harrow', 'blake@example.test', 'Barista, Corner Cafe (2021–2026)', '- Trained new staff and ran the morning shift'];
const OTHER = ['Casey Lund', 'Analyst, Northwind (2020–2026)', '- Built SQL dashboards'];

export async function aiScenario(): Promise<Record<string, unknown>> {
  const path = fileURLToPath(new URL('../../scenarios/greenhouse/default.json', import.meta.url));
  const base = JSON.parse(readFileSync(path, 'utf8')) as Record<string, Record<string, unknown>[]>;
  const created = '2026-11-01T09:00:00Z';
  const pdf = async (lines: string[]) => Buffer.from(await resumePdf(lines)).toString('base64');
  const candidate = (id: number, first: string, last: string) => ({ id, first_name: first, last_name: last, email_addresses: [{ value: `${first.toLowerCase()}@example.test`, type: 'personal' }], created_at: created });
  const application = (id: number, candidateId: number, jobId: number, postId: number, stage: number) => ({
    id,
    candidate_id: candidateId,
    job_id: jobId,
    job_post_id: postId,
    job_interview_stage_id: stage,
    stage_name: 'Application Review',
    created_at: created,
  });
  const resume = async (id: number, applicationId: number, candidateId: number, lines: string[]) => ({
    id,
    application_id: applicationId,
    candidate_id: candidateId,
    type: 'resume',
    filename: `resume-${applicationId}.pdf`,
    content_type: 'application/pdf',
    content: await pdf(lines),
    created_at: created,
  });
  return {
    ...base,
    name: 'ai-workflows',
    job_posts: (base['job_posts'] ?? []).map((p) => (p['id'] === 871 ? { ...p, content: POST } : p)),
    candidates: [...(base['candidates'] ?? []), candidate(CANDIDATES.strong, 'Avery', 'Quinn'), candidate(CANDIDATES.weak, 'Blake', 'Harrow'), candidate(CANDIDATES.otherJob, 'Casey', 'Lund')],
    applications: [
      ...(base['applications'] ?? []),
      application(APPLICATIONS.strong, CANDIDATES.strong, ENABLED_JOB, 871, TECHNICAL_STAGE),
      application(APPLICATIONS.weak, CANDIDATES.weak, ENABLED_JOB, 871, 811),
      application(APPLICATIONS.otherJob, CANDIDATES.otherJob, DISABLED_JOB, 872, 821),
    ],
    attachments: [
      ...(base['attachments'] ?? []),
      await resume(9301, APPLICATIONS.strong, CANDIDATES.strong, STRONG),
      await resume(9302, APPLICATIONS.weak, CANDIDATES.weak, WEAK),
      await resume(9303, APPLICATIONS.otherJob, CANDIDATES.otherJob, OTHER),
    ],
    job_interviews: [{ id: TECHNICAL_JOB_INTERVIEW, job_id: ENABLED_JOB, job_interview_stage_id: TECHNICAL_STAGE, name: 'Technical Interview', created_at: created }],
    interview_kits: [{ id: 8131, job_id: ENABLED_JOB, job_interview_id: TECHNICAL_JOB_INTERVIEW, created_at: created }],
  };
}

const RATING_KEYS: Record<string, string> = { 'strong no': 'strong_no', no: 'no', yes: 'yes', 'strong yes': 'strong_yes', 'no decision': 'no_decision' };

/** What the simulated model answers: a score from what the resume shows, and feedback from the scorecards it was given. */
export function modelAnswer(call: ConverseCall): unknown {
  if (call.toolName === 'record_screening') {
    const strong = /Kubernetes/.test(call.prompt.split('<resume>')[1] ?? '');
    return strong
      ? {
          score: 86,
          summary: 'Runs Kubernetes and Go services at scale and designed PostgreSQL schemas.',
          strengths: [{ point: 'Production experience with Kubernetes', evidence: 'Ran Kubernetes clusters for 40 Go and TypeScript services at scale' }],
          gaps: [],
          notJudged: [],
        }
      : {
          score: 18,
          summary: 'The resume shows no software engineering experience.',
          strengths: [],
          gaps: [{ point: 'Production experience with Kubernetes', evidence: 'No infrastructure work is mentioned.' }],
          notJudged: ['On-call ownership of distributed systems'],
        };
  }
  if (call.toolName === 'record_feedback_synthesis') {
    const cards = [...call.prompt.matchAll(/<scorecard interviewer="([^"]+)" interview="[^"]*" rating="([^"]+)">/g)].map((m) => ({ label: m[1]!, rating: RATING_KEYS[m[2]!]! }));
    return {
      consensus: { summary: 'Both interviewers found the candidate a clear communicator.', ratingSummary: cards.map((c) => c.rating).join(', ') },
      disagreements: cards.length >= 2 ? [{ about: 'Depth in system design', positions: cards.map((c) => ({ interviewer: c.label, rating: c.rating, view: `Rated ${c.rating}.` })) }] : [],
      themes: [{ theme: 'communication', mentionedBy: cards.map((c) => c.label) }],
      openQuestions: ['Can the candidate lead an incident review?'],
    };
  }
  throw new Error(`unexpected tool ${call.toolName}`);
}
