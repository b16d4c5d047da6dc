import type { Application, Attachment, Candidate, Job, JobInterviewStage, Note } from '#core/greenhouse/records';
import type { CandidateSnapshot } from '#core/mapping/contact';
import type { JobSnapshot } from '#core/mapping/vacancy';

/** Small literal Harvest v3 records for fictional people (example.test addresses). */

export const CANDIDATE_ID = 4401;

export function candidate(patch: Partial<Candidate> = {}): Candidate {
  return {
    id: CANDIDATE_ID,
    first_name: 'Noor',
    last_name: 'Vantongeren',
    company: 'Kestrel Labs',
    title: 'Data Engineer',
    private: false,
    tags: ['Python', 'Referral'],
    email_addresses: [
      { value: 'noor.v@example.test', type: 'personal' },
      { value: 'noor@kestrel.example.test', type: 'work' },
    ],
    phone_numbers: [{ value: '+44 20 7946 0001', type: 'mobile' }],
    addresses: [{ value: '12 Quay Street, Bristol', type: 'home' }],
    website_addresses: [{ value: 'https://noor.example.test', type: 'personal' }],
    social_media_addresses: [{ value: 'https://social.example.test/noorv' }],
    custom_fields: { consent_status: { name: 'Consent status', type: 'single_select', value: 'Given' } },
    updated_at: '2026-10-01T09:00:00Z',
    ...patch,
  };
}

export function application(patch: Partial<Application> & { id: number }): Application {
  return {
    candidate_id: CANDIDATE_ID,
    job_id: 71,
    status: 'in_process',
    prospect: false,
    job_interview_stage_id: 9002,
    stage_name: 'Phone Screen',
    rejection_reason_id: null,
    ...patch,
  };
}

export function attachment(patch: Partial<Attachment> & { id: number }): Attachment {
  return {
    application_id: 5001,
    candidate_id: CANDIDATE_ID,
    type: 'resume',
    filename: 'noor-vantongeren-cv.pdf',
    url: 'https://files.example.test/signed/cv.pdf',
    ...patch,
  };
}

export function note(patch: Partial<Note> & { id: number }): Note {
  return {
    candidate_id: CANDIDATE_ID,
    application_id: null,
    user_id: 301,
    body: 'Strong on streaming pipelines; open to relocating.',
    subject: null,
    type: 'NOTE',
    visibility: 'publicly_visible',
    created_at: '2026-09-14T15:20:00Z',
    ...patch,
  };
}

export function candidateSnapshot(patch: Partial<CandidateSnapshot> = {}): CandidateSnapshot {
  return {
    candidate: candidate(),
    applications: [application({ id: 5001 })],
    jobs: new Map([
      [71, { vacancyId: 'vac-71', confidential: false }],
      [72, { vacancyId: 'vac-72', confidential: true }],
      [73, {}],
    ]),
    stageNames: new Map([
      [9001, 'Application Review'],
      [9002, 'Phone Screen'],
      [9003, 'Onsite'],
      [9004, 'Offer'],
    ]),
    rejectionReasons: new Map([[61, 'Lacks skills or qualifications']]),
    attachments: [],
    ...patch,
  };
}

export const JOB_ID = 71;

export function job(patch: Partial<Job> = {}): Job {
  return {
    id: JOB_ID,
    name: 'Senior Data Engineer',
    requisition_id: 'REQ-118',
    notes: '<p>Owns the streaming platform.</p>',
    confidential: false,
    status: 'open',
    is_template: false,
    department_id: 21,
    office_ids: [31, 32],
    custom_fields: { salary: { name: 'Salary', type: 'number', value: 85000 } },
    ...patch,
  };
}

export function stage(id: number, name: string, sort_order: number, active = true): JobInterviewStage {
  return { id, job_id: JOB_ID, name, sort_order, active };
}

export function jobSnapshot(patch: Partial<JobSnapshot> = {}): JobSnapshot {
  return {
    job: job(),
    hiringManagers: [{ id: 1, job_id: JOB_ID, user_id: 301, responsible: true }],
    owners: [
      { id: 11, job_id: JOB_ID, user_id: 302, type: 'sourcer', responsible: true },
      { id: 12, job_id: JOB_ID, user_id: 303, type: 'recruiter', responsible: true },
    ],
    userNames: new Map([
      [301, 'Ines Okafor'],
      [302, 'Tomas Lindqvist'],
      [303, 'Priya Raman'],
    ]),
    departmentName: 'Data Platform',
    beameryDepartmentId: 'dep-data',
    officeNames: new Map([
      [31, 'Bristol'],
      [32, 'Lisbon'],
    ]),
    stages: [stage(9001, 'Application Review', 0), stage(9002, 'Phone Screen', 1), stage(9003, 'Onsite', 2), stage(9004, 'Offer', 3)],
    ...patch,
  };
}
