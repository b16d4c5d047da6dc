import { beforeEach, describe, expect, it } from 'vitest';
import { InMemoryAiMemory } from '#adapters/store/ai-memory';
import { InMemoryAudit } from '#adapters/store/in-memory';
import { entityKey } from '#core/envelope';
import { ModelAnswerInvalid } from '#core/ai/model';
import { isAiNote } from '#core/ai/ai-notes';
import { draftWords } from '#core/ai/jd/draft';
import { offlineJobDescriptionDrafter } from '#core/ai/jd/offline-drafter';
import type { JobBrief, JobDescriptionDrafter } from '#core/ai/jd/ports';
import { draftJobDescription, type JobDescriptionDependencies, type JobDescriptionOutcome } from '#core/ai/jd/workflow';
import { offlineEmbedder } from '#core/ai/rediscovery/offline-embedder';
import { jobDescriptionSettingsSchema, payTransparencySchema } from '#core/ai/settings';
import { CORPUS, DRAFT_POST, EEO, FakeGreenhouse, JOB_ID, LIVE_POST } from './support.ts';
import { loadInclusiveLanguage } from '#adapters/ai/inclusive-language-loader';

/**
 * The job-description workflow against an in-memory Greenhouse (support.ts), the offline drafter and
 * embedder, and the in-memory AI memory and Audit: what it reads, what it sends the drafter, and what
 * it writes in each mode.
 */

let greenhouse: FakeGreenhouse;
let audit: InMemoryAudit;
let memory: InMemoryAiMemory;
let briefs: JobBrief[];
const recordingDrafter: JobDescriptionDrafter = {
  provenance: offlineJobDescriptionDrafter.provenance,
  draft: async (brief) => {
    briefs.push(brief);
    return offlineJobDescriptionDrafter.draft(brief);
  },
};

beforeEach(() => {
  greenhouse = new FakeGreenhouse();
  audit = new InMemoryAudit();
  memory = new InMemoryAiMemory();
  briefs = [];
});

function deps(settings: Record<string, unknown> = {}, overrides: Partial<JobDescriptionDependencies> = {}): JobDescriptionDependencies {
  return {
    greenhouse,
    drafter: recordingDrafter,
    embedder: offlineEmbedder,
    corpus: { documents: async () => CORPUS },
    inclusiveLanguage: loadInclusiveLanguage,
    memory,
    audit,
    clock: { now: () => Date.parse('2026-12-04T12:00:00Z'), sleep: async () => undefined },
    settings: jobDescriptionSettingsSchema.parse({
      enabled: true,
      mode: 'assist',
      scope: { allJobs: true },
      eeoStatement: EEO,
      ...settings,
    }),
    payTransparency: payTransparencySchema.parse({ jobPayRangeField: 'salary_range', rules: [{ match: { officeNames: ['CO'] }, jurisdiction: 'Colorado' }] }),
    noteAuthorId: 77,
    ...overrides,
  };
}

const auditEntries = () => audit.list(entityKey('greenhouse', 'job', JOB_ID));
function drafted(outcome: JobDescriptionOutcome) {
  if (outcome.outcome !== 'drafted') throw new Error(`expected a draft, got ${JSON.stringify(outcome)}`);
  return outcome;
}

describe('draftJobDescription', () => {
  it('skips a job Greenhouse does not have, and one the gate leaves out, reading nothing more', async () => {
    expect(await draftJobDescription(999, deps())).toEqual({ outcome: 'skipped', reason: 'job-not-found' });
    expect(await draftJobDescription(JOB_ID, deps({ enabled: false }))).toEqual({ outcome: 'skipped', reason: 'disabled' });
    expect(await draftJobDescription(JOB_ID, deps({ scope: { allJobs: true, excludedJobIds: [JOB_ID] } }))).toEqual({ outcome: 'skipped', reason: 'excluded' });
    expect(briefs).toEqual([]);
    expect(await auditEntries()).toEqual([]);
  });

  it('sends the drafter the job minimised: no person\'s name, email or phone, the hiring team as roles and counts', async () => {
    await draftJobDescription(JOB_ID, deps({ mode: 'shadow' }));
    const [brief] = briefs;
    const sent = JSON.stringify(brief);
    expect(sent).not.toMatch(/Dana|Whitfield|Priya|Raman|Tomasz|fernleaf\.example|555 0142|Hiring lead|140000/);
    expect(brief!.hiringTeam).toEqual([
      { role: 'coordinator', count: 1 },
      { role: 'hiring manager', count: 1 },
      { role: 'recruiter', count: 1 },
    ]);
    expect(brief).toMatchObject({ name: 'Senior Backend Engineer', department: 'Platform Engineering', offices: ['Denver, CO'], customFields: [{ nameKey: 'employment_type', value: 'Full-time' }] });
    expect(brief!.notes[0]!.text).toContain('- Go or Rust services in production');
    // The most similar past post; the job's own posts and the unrelated nurse post are not among them.
    expect(brief!.similarPosts.map((p) => p.id)).toEqual([901]);
  });

  it('in shadow mode writes only the Audit', async () => {
    const outcome = drafted(await draftJobDescription(JOB_ID, deps({ mode: 'shadow', writeJobPost: true })));
    expect(outcome).toMatchObject({ mode: 'shadow', noteWritten: false, posts: { patched: [] } });
    expect(greenhouse.createdNotes).toEqual([]);
    expect(greenhouse.postWrites).toEqual([]);
    const entries = await auditEntries();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ kind: 'ai-inference', detail: { workflow: 'job-description', mode: 'shadow', provider: 'offline', isLanguageModel: false, checksPassed: 6, checksFailed: 0, noteToWrite: false } });
  });

  it('in assist mode writes one private job note with the draft and its checks; a redelivery writes none', async () => {
    const first = drafted(await draftJobDescription(JOB_ID, deps()));
    expect(first.noteWritten).toBe(true);
    expect(greenhouse.createdNotes).toHaveLength(1);
    const [note] = greenhouse.createdNotes;
    expect(note).toMatchObject({ job_id: JOB_ID, visibility: 'privately_visible', user_id: 77 });
    expect(isAiNote(note!.body)).toBe(true);
    expect(note!.body).toContain('checks 6 of 6 passed');
    expect(note!.body).not.toMatch(/Dana|Priya|fernleaf\.example/);

    expect(await draftJobDescription(JOB_ID, deps())).toEqual({ outcome: 'already-drafted', jobId: JOB_ID });
    expect(greenhouse.createdNotes).toHaveLength(1);
    expect(briefs).toHaveLength(1);
    expect(await auditEntries()).toHaveLength(1);
  });

  it('writes no job post unless writeJobPost is on', async () => {
    const outcome = drafted(await draftJobDescription(JOB_ID, deps()));
    expect(greenhouse.postWrites).toEqual([]);
    expect(outcome.posts).toMatchObject({ patched: [], untouched: [DRAFT_POST], live: [LIVE_POST] });
    expect(greenhouse.createdNotes[0]!.body).toContain('Job posts are not written (ai.jobDescriptions.writeJobPost is off)');
  });

  it('with writeJobPost, writes the draft into the post that is not live and never touches the live one', async () => {
    const outcome = drafted(await draftJobDescription(JOB_ID, deps({ writeJobPost: true })));
    expect(greenhouse.postWrites.map((w) => w.id)).toEqual([DRAFT_POST]);
    expect(greenhouse.postWrites[0]!.patch.content).toContain('<li>Go or Rust services in production</li>');
    expect(greenhouse.postWrites[0]!.patch).not.toHaveProperty('live');
    expect(greenhouse.posts.find((p) => p.id === LIVE_POST)!.content).toBe('<p>Published text applicants read.</p>');
    expect(outcome.posts).toMatchObject({ patched: [DRAFT_POST], live: [LIVE_POST] });
    const [entry] = await auditEntries();
    expect(entry!.detail).toMatchObject({ postsToPatch: `[${DRAFT_POST}]`, livePostsLeft: `[${LIVE_POST}]` });
    expect(greenhouse.createdNotes[0]!.body).toContain(`Job post ${LIVE_POST} is live (or not known to be unpublished): never changed.`);
  });

  it('records a post that went live after the read, refused by the client, and still writes the note', async () => {
    greenhouse.goesLiveBeforeWrite.add(DRAFT_POST);
    const outcome = drafted(await draftJobDescription(JOB_ID, deps({ writeJobPost: true })));
    expect(greenhouse.postWrites).toEqual([]);
    expect(outcome.posts).toMatchObject({ patched: [], live: [LIVE_POST, DRAFT_POST] });
    expect(outcome.noteWritten).toBe(true);
    const entries = await auditEntries();
    expect(entries.find((e) => e.kind === 'ai-not-screenable')).toMatchObject({ detail: { reason: 'job-post-live', postId: DRAFT_POST } });
  });

  it('flags a missing EEO statement, invents none, and then leaves the posts alone', async () => {
    const outcome = drafted(await draftJobDescription(JOB_ID, deps({ eeoStatement: undefined, writeJobPost: true })));
    expect(outcome.draft.eeoStatement).toBeNull();
    expect(outcome.checks.find((c) => c.check === 'eeo-statement')).toMatchObject({ passed: false });
    expect(greenhouse.postWrites).toEqual([]);
    expect(outcome.posts.untouched).toEqual([DRAFT_POST]);
    const body = greenhouse.createdNotes[0]!.body;
    expect(body).toContain('Missing: no EEO statement is configured, and none was invented.');
    expect(body).toContain('✗ EEO statement: 1 finding');
    expect(body).toContain(`Job post ${DRAFT_POST} left as it was: a check failed.`);
  });

  it('flags a pay range the office\'s jurisdiction requires but the job does not hold, with no number invented', async () => {
    greenhouse.jobs[0] = { ...greenhouse.jobs[0]!, custom_fields: { employment_type: { name: 'Employment type', type: 'short_text', value: 'Full-time' } } };
    const outcome = drafted(await draftJobDescription(JOB_ID, deps({ writeJobPost: true })));
    expect(outcome.draft.payRange).toBeNull();
    expect(outcome.checks.find((c) => c.check === 'pay-range')).toMatchObject({ passed: false, findings: [{ message: expect.stringContaining('Pay range required (Colorado) but unknown') }] });
    const body = greenhouse.createdNotes[0]!.body;
    expect(body).toContain('Required (Colorado) but unknown: none was estimated.');
    expect(body).not.toMatch(/USD|\$\s?\d/);
    expect(greenhouse.postWrites).toEqual([]);
  });

  it('copies the pay range from the job\'s own field when it holds one', async () => {
    const outcome = drafted(await draftJobDescription(JOB_ID, deps()));
    expect(outcome.draft.payRange).toEqual({ min: 140000, max: 175000, currency: 'USD' });
    expect(greenhouse.createdNotes[0]!.body).toContain('USD 140,000–175,000');
  });

  it('writes nothing on a tenant without job notes, and the Audit says so', async () => {
    greenhouse.jobNotesSupported = false;
    const outcome = drafted(await draftJobDescription(JOB_ID, deps({ writeJobPost: true })));
    expect(outcome).toMatchObject({ jobNotes: 'unsupported', noteWritten: false, posts: { patched: [] } });
    expect(greenhouse.postWrites).toEqual([]);
    const entries = await auditEntries();
    expect(entries).toHaveLength(1);
    expect(entries[0]!.summary).toContain('the tenant has no job notes, so nothing was written');
    expect(entries[0]!.detail).toMatchObject({ jobNotes: 'unsupported' });
  });

  it('records a drafter whose answer is unusable as a failure, and writes nothing', async () => {
    const failing: JobDescriptionDrafter = { provenance: { provider: 'bedrock', model: 'm', promptVersion: 'jd-v1', isLanguageModel: true }, draft: async () => { throw new ModelAnswerInvalid('job-description', 'no tool use'); } };
    expect(await draftJobDescription(JOB_ID, deps({}, { drafter: failing }))).toEqual({ outcome: 'failed', jobId: JOB_ID, reason: 'ModelAnswerInvalid' });
    expect(greenhouse.createdNotes).toEqual([]);
    expect(await auditEntries()).toEqual([expect.objectContaining({ kind: 'ai-failed', detail: expect.objectContaining({ error: 'ModelAnswerInvalid', provider: 'bedrock' }) })]);
  });

  it('gives the drafter what the title, EEO statement and pay range leave of maxWords, so the whole draft fits', async () => {
    const outcome = drafted(await draftJobDescription(JOB_ID, deps({ maxWords: 100 })));
    expect(briefs[0]!.maxWords).toBe(100 - draftWords({ ...outcome.draft, summary: [], responsibilities: [], mustHave: [], niceToHave: [], benefits: [] }));
    expect(draftWords(outcome.draft)).toBeLessThanOrEqual(100);
    expect(outcome.checks.find((c) => c.check === 'length')!.passed).toBe(true);
    expect(outcome.draft.benefits.length).toBeLessThan(3);
  });

  it('leaves its own earlier draft notes out of the next brief', async () => {
    await draftJobDescription(JOB_ID, deps());
    greenhouse.jobs[0] = { ...greenhouse.jobs[0]!, name: 'Staff Backend Engineer' };
    await draftJobDescription(JOB_ID, deps());
    expect(greenhouse.createdNotes).toHaveLength(2);
    expect(briefs[1]!.notes.map((n) => n.id)).toEqual([41]);
  });
});
