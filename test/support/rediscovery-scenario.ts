import { DISABLED_JOB, ENABLED_JOB, aiScenario } from './ai-scenario.ts';

/**
 * Past candidates for candidate rediscovery, added to the AI scenario (test/support/ai-scenario.ts):
 * two who fit job 801 (Kubernetes, Go or TypeScript, PostgreSQL, on-call), one each private,
 * anonymized, still in process on job 801 and without consent (each with the fitting resume, so only
 * eligibility keeps them out), and one who does not fit. All were rejected long ago.
 */
export const PAST = { fit: 9501, fitToo: 9502, private: 9503, anonymized: 9504, onThisJob: 9505, weak: 9506, noConsent: 9507 } as const;
export const CONSENT = 'open_to_other_roles';
const OLD = '2025-03-01T09:00:00Z';
export const TAG = 'rediscovered';
const FIT_RESUME = [
  'Morgan Vale',
  'morgan.vale@example.test',
  'Staff Engineer, Harbor Logistics (2018–2024)',
  '- Ran Kubernetes clusters in production for Go and TypeScript services at scale',
  '- Designed the PostgreSQL schema design for payments',
  '- On-call ownership of distributed systems',
].join('\n');

/**
 * The AI scenario with past candidates for job 801; `updatedAt` stamps their records (not their last
 * activity) so a poll window finds them, as the local stack's profiles poller must.
 */
export async function rediscoveryScenario(options: { readonly updatedAt?: string } = {}): Promise<Record<string, unknown>> {
  const base = (await aiScenario()) as Record<string, Record<string, unknown>[]>;
  const candidate = (id: number, fields: Record<string, unknown> = {}) => ({
    id,
    first_name: 'Morgan',
    last_name: `Past${id}`,
    title: 'Software Engineer',
    created_at: '2024-06-01T09:00:00Z',
    last_activity_at: OLD,
    custom_fields: { [CONSENT]: { name: 'Open to other roles', type: 'yes_no', value: true } },
    ...(options.updatedAt ? { updated_at: options.updatedAt } : {}),
    ...fields,
  });
  const application = (candidateId: number, fields: Record<string, unknown> = {}) => ({
    id: candidateId + 100,
    candidate_id: candidateId,
    job_id: DISABLED_JOB,
    status: 'rejected',
    rejected_at: OLD,
    created_at: '2024-06-01T09:00:00Z',
    last_activity_at: OLD,
    ...fields,
  });
  const resume = (candidateId: number, text: string) => ({
    id: candidateId + 200,
    application_id: candidateId + 100,
    candidate_id: candidateId,
    type: 'resume',
    filename: 'resume.txt',
    content_type: 'text/plain',
    text,
    created_at: '2024-06-01T09:00:00Z',
  });
  return {
    ...base,
    name: 'ai-rediscovery-integration',
    custom_fields: [
      ...base['custom_fields']!,
      { id: 503, name: 'Open to other roles', name_key: CONSENT, field_type: 'candidate', value_type: 'yes_no', created_at: '2025-01-06T09:00:00Z' },
    ],
    candidates: [
      ...base['candidates']!,
      candidate(PAST.fit),
      candidate(PAST.fitToo),
      candidate(PAST.private, { private: true }),
      candidate(PAST.anonymized, { first_name: 'Anonymized', last_name: String(PAST.anonymized) }),
      candidate(PAST.onThisJob),
      candidate(PAST.weak, { title: 'Barista' }),
      candidate(PAST.noConsent, { custom_fields: {} }),
    ],
    applications: [
      ...base['applications']!,
      application(PAST.fit),
      application(PAST.fitToo),
      application(PAST.private),
      application(PAST.anonymized),
      // Still in process on job 801, though nothing has happened for a long time.
      application(PAST.onThisJob, { job_id: ENABLED_JOB, status: 'in_process', rejected_at: null }),
      application(PAST.weak),
      application(PAST.noConsent),
    ],
    attachments: [
      ...base['attachments']!,
      ...[PAST.fit, PAST.fitToo, PAST.private, PAST.anonymized, PAST.onThisJob, PAST.noConsent].map((id) => resume(id, FIT_RESUME)),
      resume(PAST.weak, 'Barista, Corner Cafe (2019–2024)\n- Trained new staff and ran the morning shift'),
    ],
  };
}

