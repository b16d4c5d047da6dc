import { JobPostLive } from '#adapters/greenhouse/client';
import { Unsupported } from '#core/api-errors';
import type { JobBrief } from '#core/ai/jd/ports';
import type { Department, Job, JobHiringManager, JobNote, JobOwner, JobPost, Office, User } from '#core/greenhouse/records';
import type { JobNoteCreate, JobPostWrite } from '#core/ports/greenhouse-api';

/**
 * What the job-description unit tests share: an in-memory Greenhouse holding the few endpoints the
 * workflow reads and writes (its write methods refuse what the real client refuses: a post not read
 * as unpublished, job notes on a tenant without them), a made-up job with notes that name people, a
 * few past posts and a small company corpus.
 */

export const JOB_ID = 701;
export const LIVE_POST = 801;
export const DRAFT_POST = 802;
export const EEO = 'Fernleaf Analytics is an equal opportunity employer and welcomes applicants of every background.';

export const BACKEND_POST_HTML = [
  '<p><strong>About the role</strong></p><p>Join a small team.</p>',
  '<h3>What you will do</h3><ul><li>Design and run Go services for route forecasting</li><li>Own PostgreSQL schemas and their migrations</li><li>Share the on-call rotation with your team</li></ul>',
  '<h3>Requirements</h3><ul><li>Five years building backend services in Go or Rust</li><li>Production experience with PostgreSQL</li></ul>',
  '<h3>Nice to have</h3><ul><li>Kafka or another event streaming platform</li></ul>',
  '<h3>Benefits</h3><ul><li>Free lunch every day and a company car</li></ul>',
].join('');

export const NURSE_POST_HTML = '<h3>Responsibilities</h3><ul><li>Care for patients on a busy surgical ward</li></ul><h3>Requirements</h3><ul><li>Registered nurse licence</li></ul>';

export const CORPUS = [
  { name: 'benefits.md', text: '# Benefits\n\n- Comprehensive medical, dental and vision insurance\n- 25 days of paid vacation plus public holidays\n- Annual learning budget for courses and conferences\n' },
  { name: 'values.md', text: '# Our values\n\nFernleaf Analytics builds forecasting software for regional food distributors.\n\n- Clear over clever\n' },
];

const job = (fields: Partial<Job> = {}): Job => ({
  id: JOB_ID,
  name: 'Senior Backend Engineer',
  department_id: 11,
  office_ids: [21],
  status: 'open',
  custom_fields: {
    employment_type: { name: 'Employment type', type: 'short_text', value: 'Full-time' },
    salary_range: { name: 'Salary range', type: 'currency_range', value: { min_value: '140000', max_value: '175000', unit: 'USD' } },
    hiring_lead: { name: 'Hiring lead', type: 'user', value: { first_name: 'Dana', last_name: 'Whitfield' } },
  },
  ...fields,
});

export class FakeGreenhouse {
  jobs: Job[] = [job()];
  posts: JobPost[] = [
    { id: LIVE_POST, job_id: JOB_ID, title: 'Senior Backend Engineer', live: true, content: '<p>Published text applicants read.</p>' },
    { id: DRAFT_POST, job_id: JOB_ID, title: 'Senior Backend Engineer', live: false, content: '' },
    { id: 901, job_id: 702, title: 'Backend Engineer', live: false, content: BACKEND_POST_HTML },
    { id: 902, job_id: 703, title: 'Registered Nurse', live: true, content: NURSE_POST_HTML },
  ];
  departments: Department[] = [{ id: 11, name: 'Platform Engineering' }];
  offices: Office[] = [{ id: 21, name: 'Denver, CO' }, { id: 22, name: 'Lisbon' }];
  owners: JobOwner[] = [
    { id: 1, job_id: JOB_ID, user_id: 31, type: 'recruiter' },
    { id: 2, job_id: JOB_ID, user_id: 32, type: 'coordinator' },
  ];
  managers: JobHiringManager[] = [{ id: 3, job_id: JOB_ID, user_id: 33 }];
  users: User[] = [
    { id: 31, first_name: 'Priya', last_name: 'Raman', name: 'Priya Raman' },
    { id: 32, first_name: 'Tomasz', last_name: 'Ek', name: 'Tomasz Ek' },
    { id: 33, first_name: 'Dana', last_name: 'Whitfield', name: 'Dana Whitfield' },
  ];
  jobNotes: JobNote[] = [
    {
      id: 41,
      job_id: JOB_ID,
      user_id: 33,
      visibility: 'privately_visible',
      body: 'Dana here, with Priya: we need\n- Go or Rust services in production\n- PostgreSQL performance tuning\n- Kafka is a nice to have\nCall me at +1 303 555 0142 or dana.whitfield@fernleaf.example',
    },
  ];
  jobNotesSupported = true;
  /** Posts that go live after the workflow read them (the client then refuses the write). */
  goesLiveBeforeWrite = new Set<number>();

  readonly createdNotes: JobNoteCreate[] = [];
  readonly postWrites: { id: number; patch: JobPostWrite }[] = [];

  async *listJobs(query: { ids?: readonly number[] } = {}) {
    yield* this.jobs.filter((j) => !query.ids || query.ids.includes(j.id));
  }
  async *listJobPosts(query: { ids?: readonly number[]; job_ids?: readonly number[] } = {}) {
    yield* this.posts.filter((p) => (!query.ids || query.ids.includes(p.id)) && (!query.job_ids || query.job_ids.includes(p.job_id ?? -1))).map((p) => ({ ...p }));
  }
  async *listDepartments() {
    yield* this.departments;
  }
  async *listOffices() {
    yield* this.offices;
  }
  async *listJobOwners(jobIds: readonly number[]) {
    yield* this.owners.filter((o) => jobIds.includes(o.job_id));
  }
  async *listJobHiringManagers(jobIds: readonly number[]) {
    yield* this.managers.filter((m) => jobIds.includes(m.job_id));
  }
  async *listUsers(query: { ids?: readonly number[] } = {}) {
    yield* this.users.filter((u) => !query.ids || query.ids.includes(u.id));
  }
  async *listJobNotes(query: { job_ids?: readonly number[] } = {}) {
    if (!this.jobNotesSupported) throw new Unsupported('greenhouse', 'GET /v3/job_notes', 'jobNotes');
    yield* this.jobNotes.filter((n) => !query.job_ids || query.job_ids.includes(n.job_id));
  }
  async createJobNote(input: JobNoteCreate): Promise<JobNote> {
    if (!this.jobNotesSupported) throw new Unsupported('greenhouse', 'POST /v3/job_notes', 'jobNotes');
    this.createdNotes.push(input);
    const note = { id: 5000 + this.createdNotes.length, job_id: input.job_id, user_id: input.user_id ?? null, body: input.body, visibility: input.visibility };
    this.jobNotes.push(note);
    return note;
  }
  /** As the real client: a post not read as unpublished is refused before anything is sent. */
  async updateJobPost(id: number, patch: JobPostWrite, current: JobPost): Promise<JobPost> {
    if (current.live !== false || this.goesLiveBeforeWrite.has(id)) throw new JobPostLive(`PATCH /v3/job_posts/${id}`, 'live');
    const post = this.posts.find((p) => p.id === id)!;
    Object.assign(post, patch);
    this.postWrites.push({ id, patch });
    return { ...post };
  }
}

/** A brief made by hand for the pure modules' tests. */
export function sampleBrief(fields: Partial<JobBrief> = {}): JobBrief {
  return {
    jobId: JOB_ID,
    name: 'Senior Backend Engineer',
    department: 'Platform Engineering',
    offices: ['Denver, CO'],
    openings: 2,
    customFields: [{ nameKey: 'employment_type', name: 'Employment type', value: 'Full-time' }],
    notes: [{ id: 41, text: '[name] here: we need\n- Go or Rust services in production\n- Kafka is a nice to have' }],
    hiringTeam: [{ role: 'hiring manager', count: 1 }],
    similarPosts: [
      {
        id: 901,
        title: 'Backend Engineer',
        score: 0.8,
        sections: [
          { heading: 'What you will do', items: ['Design and run Go services for route forecasting', 'Own PostgreSQL schemas and their migrations'] },
          { heading: 'Requirements', items: ['Production experience with PostgreSQL'] },
          { heading: 'Nice to have', items: ['Kafka or another event streaming platform'] },
          { heading: 'Benefits', items: ['Free lunch every day and a company car'] },
        ],
      },
    ],
    corpus: CORPUS,
    maxWords: 700,
    ...fields,
  };
}
