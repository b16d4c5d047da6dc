import { beforeEach, describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { ExactVectorIndex } from '#adapters/ai/exact-vector-index';
import { extractResumeText } from '#adapters/resume-text';
import { collect } from '#core/async-iterables';
import { entityKey } from '#core/envelope';
import { syncCandidateIndex, type IndexSyncDependencies } from '#core/ai/rediscovery/index-sync';
import { anonymizedBy, removeFromIndex } from '#core/ai/rediscovery/index-removal';
import type { IndexRemovalReason } from '#core/ai/route-task';
import { offlineEmbedder } from '#core/ai/rediscovery/offline-embedder';
import { vectorKey } from '#core/ai/rediscovery/ports';
import { rediscoverForJob, type RediscoveryDependencies, type RediscoveryOutcome } from '#core/ai/rediscovery/workflow';
import { optOutSettingsSchema, rediscoverySettingsSchema } from '#core/ai/settings';
import { useAiHarness } from '../../support/ai-harness.ts';
import { DISABLED_JOB, ENABLED_JOB } from '../../support/ai-scenario.ts';
import { CONSENT, PAST, TAG, rediscoveryScenario } from '../../support/rediscovery-scenario.ts';

/**
 * Candidate rediscovery end to end below the queue: the real Greenhouse client against the
 * simulator, the real resume text extraction, the offline embedder and the exact index, the
 * in-memory AI memory and Audit. Past candidates are added to the AI scenario; job 801's post asks
 * for Kubernetes, Go or TypeScript, PostgreSQL and on-call ownership.
 */

const h = useAiHarness(rediscoveryScenario);

type SettingsInput = z.input<typeof rediscoverySettingsSchema>;
const ASSIST: SettingsInput = { enabled: true, mode: 'assist', scope: { jobIds: [ENABLED_JOB] }, consentField: CONSENT, minScore: 0.05 };

let index: ExactVectorIndex;

function deps(settings: SettingsInput = ASSIST): RediscoveryDependencies & IndexSyncDependencies {
  return {
    greenhouse: h.client,
    extractText: extractResumeText,
    embedder: offlineEmbedder,
    index,
    memory: h.memory,
    audit: h.audit,
    clock: h.clock,
    settings: rediscoverySettingsSchema.parse(settings),
    optOut: optOutSettingsSchema.parse({}),
  };
}

/** Every candidate Greenhouse lists, synced into the index. */
async function syncAll(settings?: SettingsInput) {
  return syncCandidateIndex(await collect(h.client.listCandidates()), deps(settings));
}
const rediscover = (settings?: SettingsInput): Promise<RediscoveryOutcome> => rediscoverForJob(ENABLED_JOB, deps(settings));

const table = <T>(name: string) => h.admin<T[]>('GET', `/state?table=${name}`);
const jobNotes = async () => (await table<{ job_id: number; body: string; visibility: string }>('job_notes')).filter((n) => n.job_id === ENABLED_JOB);
async function taggedIds(): Promise<number[]> {
  const tag = (await table<{ id: number; name: string }>('candidate_tags')).find((t) => t.name === TAG);
  if (!tag) return [];
  return (await table<{ candidate_id: number; candidate_tag_id: number }>('applied_candidate_tags')).filter((a) => a.candidate_tag_id === tag.id).map((a) => a.candidate_id).sort();
}
/** Every request the bridge made to Greenhouse that was not a read (token requests aside). */
const writes = () => Object.keys(h.sim.counts.snapshot()).filter((route) => !route.startsWith('GET ') && route !== 'POST /token');
const auditOfJob = () => h.audit.list(entityKey('greenhouse', 'job', ENABLED_JOB));
const suggestedIds = (outcome: RediscoveryOutcome) => (outcome.outcome === 'suggested' ? outcome.suggestions.map((s) => s.candidateId) : []);
const WITHHELD = [PAST.private, PAST.anonymized, PAST.onThisJob, PAST.noConsent];

beforeEach(async () => {
  index = new ExactVectorIndex();
  const synced = await syncAll();
  expect(synced.embedded).toEqual(expect.arrayContaining([PAST.fit, PAST.fitToo, PAST.onThisJob, PAST.weak]));
  h.sim.counts.reset();
});

describe('the index', () => {
  it('holds no private, anonymized or non-consenting candidate', async () => {
    const held = await index.get(WITHHELD.map(vectorKey));
    expect(held.map((i) => i.metadata.candidateId)).toEqual([PAST.onThisJob]);
  });

  it('forgets a candidate anonymized after indexing at the next sync: no vector, no metadata, no match, no suggestion', async () => {
    const [before] = await index.get([vectorKey(PAST.fitToo)]);
    expect(before).toBeDefined();
    await h.client.anonymizeCandidate(PAST.fitToo, ['full_name', 'attachments']);

    const synced = await syncAll();
    expect(synced.removed).toContainEqual({ candidateId: PAST.fitToo, reason: 'anonymized' });
    expect(await index.get([vectorKey(PAST.fitToo)])).toEqual([]);
    expect((await index.query(before!.vector, 100)).map((m) => m.metadata.candidateId)).not.toContain(PAST.fitToo);
    expect(suggestedIds(await rediscover())).not.toContain(PAST.fitToo);
  });
});

describe('a candidate who opted out of AI review', () => {
  it('leaves the index at the next sync and is never suggested', async () => {
    await h.client.addTag(PAST.fit, 'AI review: opt out');
    const synced = await syncAll();
    expect(synced.removed).toContainEqual({ candidateId: PAST.fit, reason: 'opted-out' });
    expect(await index.get([vectorKey(PAST.fit)])).toEqual([]);
    expect(suggestedIds(await rediscover())).not.toContain(PAST.fit);
  });
});

describe('assist mode', () => {
  it('writes one private job note naming the fitting past candidates with evidence, and tags them; never the withheld ones', async () => {
    const outcome = await rediscover();
    expect(outcome).toMatchObject({ outcome: 'suggested', mode: 'assist', noteWritten: true, alreadySuggested: false, provenance: offlineEmbedder.provenance });
    const ids = suggestedIds(outcome);
    expect(ids.slice(0, 2).sort()).toEqual([PAST.fit, PAST.fitToo]);
    for (const id of WITHHELD) expect(ids).not.toContain(id);

    const notes = await jobNotes();
    expect(notes).toHaveLength(1);
    const [note] = notes;
    expect(note!.visibility).toBe('privately_visible');
    expect(note!.body).toMatch(/^AI candidate rediscovery for /);
    expect(note!.body).toContain(`Candidate ${PAST.fit} — `);
    expect(note!.body).toContain('• Production experience with Kubernetes');
    expect(note!.body).toContain('• PostgreSQL schema design');
    expect(note!.body).toContain('not a language model');
    for (const id of WITHHELD) expect(note!.body).not.toContain(`Candidate ${id}`);
    // No name, email or resume line in the note.
    expect(note!.body).not.toMatch(/Morgan|Past95|morgan\.vale|Harbor Logistics/);

    expect(await taggedIds()).toEqual([...ids].sort());
    expect(writes().every((route) => route === 'POST /v3/job_notes' || route.includes('candidate_tags'))).toBe(true);

    const [audit, ...more] = await auditOfJob();
    expect(more).toEqual([]);
    expect(audit).toMatchObject({
      kind: 'ai-inference',
      detail: { workflow: 'rediscovery', jobId: ENABLED_JOB, mode: 'assist', provider: 'offline', isLanguageModel: false, suggested: ids.length, noteWritten: true },
    });
    // Ids, counts and scores only: no profile text, no name.
    expect(JSON.stringify(audit)).not.toMatch(/Morgan|Past95|Kubernetes clusters|Harbor/);
  });

  it('writes no second note when a second run has nothing new', async () => {
    const first = await rediscover();
    const second = await rediscover();
    expect(suggestedIds(second)).toEqual(suggestedIds(first));
    expect(second).toMatchObject({ outcome: 'suggested', noteWritten: false, alreadySuggested: true });
    expect(await jobNotes()).toHaveLength(1);
    expect((await auditOfJob()).map((a) => a.detail?.['noteWritten'])).toEqual([false, true]);
  });

  it('checks eligibility on fresh records: a candidate made private or anonymized since the sync is not suggested and leaves the index', async () => {
    await h.client.updateCandidate(PAST.fit, { is_private: true });
    await h.client.anonymizeCandidate(PAST.fitToo, ['full_name']);
    const ids = suggestedIds(await rediscover());
    expect(ids).not.toContain(PAST.fit);
    expect(ids).not.toContain(PAST.fitToo);
    expect(await index.get([vectorKey(PAST.fit), vectorKey(PAST.fitToo)])).toEqual([]);
    const body = (await jobNotes()).map((n) => n.body).join('\n');
    expect(body).not.toContain(`Candidate ${PAST.fit}`);
    expect(body).not.toContain(`Candidate ${PAST.fitToo}`);
  });
});

describe('shadow mode and the gate', () => {
  it('shadow mode writes only the Audit: no note, no tag, no Greenhouse write', async () => {
    const outcome = await rediscover({ ...ASSIST, mode: 'shadow' });
    expect(outcome).toMatchObject({ outcome: 'suggested', mode: 'shadow', noteWritten: false });
    expect(suggestedIds(outcome)).toContain(PAST.fit);
    expect(writes()).toEqual([]);
    expect(await jobNotes()).toEqual([]);
    expect(await taggedIds()).toEqual([]);
    expect(await auditOfJob()).toEqual([expect.objectContaining({ kind: 'ai-inference', detail: expect.objectContaining({ mode: 'shadow', noteWritten: false }) })]);
  });

  it('a shadow run does not stop the first assist run from writing its note', async () => {
    await rediscover({ ...ASSIST, mode: 'shadow' });
    expect(await rediscover()).toMatchObject({ noteWritten: true });
    expect(await jobNotes()).toHaveLength(1);
  });

  it.each<[string, SettingsInput, string]>([
    ['the default settings (off)', {}, 'disabled'],
    ['another job in scope', { ...ASSIST, scope: { jobIds: [DISABLED_JOB] } }, 'out-of-scope'],
    ['the job’s department but the job excluded', { ...ASSIST, scope: { departmentIds: [101], excludedJobIds: [ENABLED_JOB] } }, 'excluded'],
    ['a 0% rollout', { ...ASSIST, rolloutPercent: 0 }, 'not-in-rollout'],
  ])('%s → skipped, nothing audited or written', async (_, settings, reason) => {
    expect(await rediscover(settings)).toEqual({ outcome: 'skipped', reason });
    expect(await auditOfJob()).toEqual([]);
    expect(writes()).toEqual([]);
  });

  it('scoped by the job’s office → runs', async () => {
    expect(await rediscover({ ...ASSIST, scope: { officeIds: [203] } })).toMatchObject({ outcome: 'suggested' });
  });
});

describe('when it runs', () => {
  const rediscoverOn = (trigger: 'opened' | 'post' | 'schedule') => rediscoverForJob(ENABLED_JOB, deps(), trigger);

  it('a post change runs only once the job has a live post, and only the first time', async () => {
    const posts = await collect(h.client.listJobPosts({ job_ids: [ENABLED_JOB] }));
    const live = posts.filter((p) => p.live === true);
    expect(live.length).toBeGreaterThan(0);
    expect(await rediscoverOn('post')).toMatchObject({ outcome: 'suggested', noteWritten: true });
    expect(await rediscoverOn('post')).toEqual({ outcome: 'skipped', reason: 'post-already-live' });
    // The daily run still runs (and finds nothing new to write).
    expect(await rediscoverOn('schedule')).toMatchObject({ outcome: 'suggested', noteWritten: false, alreadySuggested: true });
  });

  it('a post change on a job without a live post runs nothing', async () => {
    for (const post of await collect(h.client.listJobPosts({ job_ids: [ENABLED_JOB] }))) {
      await h.admin('PATCH', `/job_posts/${post.id}`, { live: false });
    }
    expect(await rediscoverOn('post')).toEqual({ outcome: 'skipped', reason: 'no-live-post' });
    expect(await auditOfJob()).toEqual([]);
  });
});

describe('a tenant without job notes (ASSUMED jobNotes: absent)', () => {
  it('writes the same private note on each suggested candidate instead, and says where', async () => {
    await h.admin('PUT', '/settings', { apiContract: { jobNotes: 'absent' } });
    try {
      const outcome = await rediscover();
      expect(outcome).toMatchObject({ outcome: 'suggested', noteWritten: true, notedOn: 'candidates' });
      const ids = suggestedIds(outcome);
      const notes = (await table<{ candidate_id: number; body: string; visibility: string }>('notes')).filter((n) => n.body.startsWith('AI candidate rediscovery for '));
      expect(notes.map((n) => n.candidate_id).sort()).toEqual([...ids].sort());
      expect(notes.every((n) => n.visibility !== 'public' && n.visibility !== 'publicly_visible')).toBe(true);
      expect(await jobNotes()).toEqual([]);
    } finally {
      await h.admin('PUT', '/settings', { apiContract: { jobNotes: 'available' } });
    }
  });
});

describe('lifecycle removal (the message that handles the event)', () => {
  const removalDeps = () => ({ ...deps(), isAnonymized: anonymizedBy(h.memory) });

  it.each<[IndexRemovalReason, number | undefined]>([
    ['deleted', undefined],
    ['anonymized', undefined],
    ['merged', PAST.fit],
  ])('%s: no vector or metadata of theirs remains, no query finds them, and the Audit records it', async (reason, survivorId) => {
    const [before] = await index.get([vectorKey(PAST.fitToo)]);
    expect(before).toBeDefined();
    const result = await removeFromIndex({ candidateId: PAST.fitToo, reason, ...(survivorId ? { survivorId } : {}) }, removalDeps());
    expect(await index.get([vectorKey(PAST.fitToo)])).toEqual([]);
    expect((await index.query(before!.vector, 100)).map((m) => m.metadata.candidateId)).not.toContain(PAST.fitToo);
    expect(await h.audit.list(entityKey('greenhouse', 'candidate', PAST.fitToo))).toEqual([
      expect.objectContaining({ kind: 'ai-index-removal', detail: expect.objectContaining({ candidateId: PAST.fitToo, reason }) }),
    ]);
    if (survivorId) expect(result.survivor).toMatchObject({ unchanged: 1 });
  });

  it('an anonymization the record does not show is remembered: a later profile sync does not index them again', async () => {
    await removeFromIndex({ candidateId: PAST.fitToo, reason: 'anonymized' }, removalDeps());
    const synced = await syncCandidateIndex([PAST.fitToo], removalDeps());
    expect(synced.removed).toEqual([{ candidateId: PAST.fitToo, reason: 'anonymized' }]);
    expect(await index.get([vectorKey(PAST.fitToo)])).toEqual([]);
  });
});
