import { beforeEach, describe, expect, it } from 'vitest';
import { ExactVectorIndex } from '#adapters/ai/exact-vector-index';
import type { Application, Attachment, Candidate } from '#core/greenhouse/records';
import type { ExtractResumeText } from '#core/ai/ports';
import { consentToRediscovery, syncCandidateIndex, type IndexSyncDependencies, type PastCandidateReads } from '#core/ai/rediscovery/index-sync';
import { embedOffline, offlineEmbedder } from '#core/ai/rediscovery/offline-embedder';
import { vectorKey, type Embedder } from '#core/ai/rediscovery/ports';
import { rediscoverySettingsSchema } from '#core/ai/settings';

/**
 * syncCandidateIndex over an in-memory Greenhouse, the offline embedder (behind a counter) and the
 * exact index: what is embedded, what is only refreshed, and that a withheld candidate leaves no
 * vector and no metadata behind.
 */

const NOW = Date.parse('2026-12-01T00:00:00Z');
const OLD = '2025-02-01T00:00:00Z';
const CONSENT = 'open_to_other_roles';

class MemoryGreenhouse implements PastCandidateReads {
  readonly candidates = new Map<number, Candidate>();
  applications: Application[] = [];
  attachments: Attachment[] = [];
  readonly files = new Map<string, string>();

  add(id: number, fields: Partial<Candidate> = {}, resume?: string): void {
    this.candidates.set(id, {
      id,
      first_name: 'Robin',
      last_name: `Person${id}`,
      title: 'Backend Engineer',
      last_activity_at: OLD,
      private: false,
      custom_fields: { [CONSENT]: { name: 'Open to other roles', type: 'yes_no', value: true } },
      ...fields,
    } as Candidate);
    this.applications.push({ id: id * 10, candidate_id: id, job_id: 5, status: 'rejected', last_activity_at: OLD } as Application);
    if (resume !== undefined) {
      const url = `https://files.example.test/${id}`;
      this.attachments.push({ id: id * 100, candidate_id: id, application_id: id * 10, type: 'resume', filename: 'cv.txt', url, created_at: OLD } as Attachment);
      this.files.set(url, resume);
    }
  }

  update(id: number, fields: Partial<Candidate>): void {
    this.candidates.set(id, { ...this.candidates.get(id)!, ...fields });
  }

  async getCandidate(id: number) {
    return this.candidates.get(id);
  }
  async *listApplications(query: { candidate_ids?: readonly number[] } = {}) {
    yield* this.applications.filter((a) => query.candidate_ids?.includes(a.candidate_id));
  }
  async *listAttachments(query: { candidate_ids?: readonly number[]; type?: string } = {}) {
    yield* this.attachments.filter((a) => a.candidate_id != null && query.candidate_ids?.includes(a.candidate_id) && (!query.type || a.type === query.type));
  }
  async downloadAttachment(attachment: Pick<Attachment, 'url'>) {
    return { bytes: new TextEncoder().encode(this.files.get(attachment.url)), contentType: 'text/plain' };
  }
}

const extractText: ExtractResumeText = async ({ bytes }) => ({ kind: 'text', format: 'text', text: new TextDecoder().decode(bytes) });

/** The offline embedder, remembering every text it was given. */
function countingEmbedder(): Embedder & { texts: string[] } {
  const texts: string[] = [];
  return {
    provenance: offlineEmbedder.provenance,
    texts,
    embed: (batch, purpose) => {
      texts.push(...batch);
      return offlineEmbedder.embed(batch, purpose);
    },
  };
}

let greenhouse: MemoryGreenhouse;
let index: ExactVectorIndex;
let embedder: ReturnType<typeof countingEmbedder>;
let anonymizedIds: Set<number>;

const deps = (settings: object = { consentField: CONSENT }): IndexSyncDependencies => ({
  greenhouse,
  extractText,
  embedder,
  index,
  clock: { now: () => NOW },
  settings: rediscoverySettingsSchema.parse(settings),
  isAnonymized: async (id) => anonymizedIds.has(id),
  profileOptions: { excludedTags: ['AI screening: needs review'] },
});

beforeEach(() => {
  greenhouse = new MemoryGreenhouse();
  index = new ExactVectorIndex();
  embedder = countingEmbedder();
  anonymizedIds = new Set();
});

describe('syncCandidateIndex', () => {
  it('embeds each new profile once, with its resume, and keeps only id, activity and hash beside the vector', async () => {
    greenhouse.add(1, {}, 'Robin Person1\nrobin@example.test\nBuilt Kafka pipelines in Scala');
    greenhouse.add(2, { title: 'Data Analyst' });
    const result = await syncCandidateIndex([1, 2], deps());
    expect(result).toMatchObject({ embedded: [1, 2], refreshed: [], unchanged: 0, removed: [], provenance: offlineEmbedder.provenance });
    expect(embedder.texts).toHaveLength(2);
    expect(embedder.texts[0]).toContain('Kafka pipelines in Scala');
    // Minimised before embedding: no name or email reaches the embedder.
    expect(embedder.texts.join('\n')).not.toMatch(/Robin|Person1|robin@example/);
    const [stored] = await index.get([vectorKey(1)]);
    expect(Object.keys(stored!.metadata).sort()).toEqual(['candidateId', 'hash', 'lastActivityAt']);
    expect(stored!.metadata).toMatchObject({ candidateId: 1, lastActivityAt: OLD });
  });

  it('embeds nothing again for unchanged profiles, only the changed one, and refreshes a moved activity date without embedding', async () => {
    greenhouse.add(1);
    greenhouse.add(2);
    greenhouse.add(3);
    await syncCandidateIndex([1, 2, 3], deps());
    embedder.texts.length = 0;

    greenhouse.update(2, { title: 'Platform Engineer' });
    greenhouse.update(3, { last_activity_at: '2025-06-01T00:00:00Z' });
    // Tags the bridge writes are judgements, not skills: adding them changes no profile.
    greenhouse.update(1, { tags: ['rediscovered', 'AI screening: needs review'] });
    const result = await syncCandidateIndex([1, 2, 3], deps());
    expect(result).toMatchObject({ embedded: [2], refreshed: [3], unchanged: 1, removed: [] });
    expect(embedder.texts).toEqual([expect.stringContaining('Platform Engineer')]);
    expect((await index.get([vectorKey(3)]))[0]!.metadata.lastActivityAt).toBe('2025-06-01T00:00:00Z');
  });

  it('accepts candidate records already read, without reading them again', async () => {
    greenhouse.add(1);
    const record = greenhouse.candidates.get(1)!;
    greenhouse.candidates.delete(1);
    expect((await syncCandidateIndex([record], deps())).embedded).toEqual([1]);
  });

  it.each<[string, (id: number) => void, string]>([
    ['made private', (id) => greenhouse.update(id, { private: true }), 'private'],
    ['anonymized (name replaced)', (id) => greenhouse.update(id, { first_name: 'Anonymized', last_name: String(id) }), 'anonymized'],
    ['anonymized (known to the bridge only)', (id) => anonymizedIds.add(id), 'anonymized'],
    ['no longer consenting', (id) => greenhouse.update(id, { custom_fields: { [CONSENT]: { name: 'Open to other roles', type: 'yes_no', value: false } } }), 'no-consent'],
    ['deleted or merged away', (id) => greenhouse.candidates.delete(id), 'gone'],
  ])('a candidate %s is deleted from the index: no vector, no metadata, never in a query', async (_, change, reason) => {
    greenhouse.add(1, { title: 'Kubernetes Platform Engineer' }, 'Ran Kubernetes clusters and Go services');
    greenhouse.add(2, { title: 'Pastry Chef' });
    await syncCandidateIndex([1, 2], deps());
    const [own] = await index.get([vectorKey(1)]);
    expect(own).toBeDefined();

    change(1);
    const result = await syncCandidateIndex([1, 2], deps());
    expect(result.removed).toEqual([{ candidateId: 1, reason }]);
    expect(await index.get([vectorKey(1)])).toEqual([]);
    // Even the removed candidate's own vector, the best query there could be, finds only the others.
    const matches = await index.query(own!.vector, 100);
    expect(matches.map((m) => m.metadata.candidateId)).toEqual([2]);
    expect(embedder.texts).toHaveLength(2);
  });

  it('indexes no one without a configured consent field, and removes those indexed before', async () => {
    greenhouse.add(1);
    await syncCandidateIndex([1], deps());
    const result = await syncCandidateIndex([1], deps({}));
    expect(result.removed).toEqual([{ candidateId: 1, reason: 'no-consent' }]);
    expect(await index.query(embedOffline('Backend Engineer'), 10)).toEqual([]);
  });

  it('keeps out a candidate with nothing to embed', async () => {
    greenhouse.add(1, { title: null });
    expect((await syncCandidateIndex([1], deps())).removed).toEqual([{ candidateId: 1, reason: 'empty-profile' }]);
    expect(embedder.texts).toEqual([]);
  });
});

describe('consentToRediscovery', () => {
  const candidate = (value: unknown) => ({ id: 1, custom_fields: { [CONSENT]: { name: 'x', type: 'yes_no', value } } }) as Candidate;
  it.each<[unknown, boolean]>([
    [true, true],
    ['Yes', true],
    [{ name: 'yes' }, true],
    [false, false],
    ['No', false],
    [null, false],
    ['maybe', false],
  ])('%j → %s', (value, consents) => {
    expect(consentToRediscovery(candidate(value), CONSENT)).toBe(consents);
  });

  it('is never assumed without a configured field', () => {
    expect(consentToRediscovery(candidate(true), undefined)).toBe(false);
  });
});
