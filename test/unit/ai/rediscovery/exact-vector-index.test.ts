import { describe, expect, it } from 'vitest';
import { ExactVectorIndex } from '#adapters/ai/exact-vector-index';
import { vectorKey, type VectorItem } from '#core/ai/rediscovery/ports';

const item = (candidateId: number, vector: number[], lastActivityAt: string | null = '2025-01-01T00:00:00Z'): VectorItem => ({
  key: vectorKey(candidateId),
  vector,
  metadata: { candidateId, lastActivityAt, hash: `h${candidateId}` },
});

async function seeded() {
  const index = new ExactVectorIndex();
  await index.put([item(1, [1, 0, 0]), item(2, [0.8, 0.6, 0]), item(3, [0, 1, 0], '2026-11-01T00:00:00Z'), item(4, [0, 0, 5], null)]);
  return index;
}

describe('ExactVectorIndex', () => {
  it('answers the closest vectors by cosine, closest first, at most topK', async () => {
    const index = await seeded();
    const matches = await index.query([2, 0, 0], 3);
    expect(matches.map((m) => m.key)).toEqual(['candidate#1', 'candidate#2', 'candidate#3']);
    expect(matches.map((m) => m.score)).toEqual([1, 0.8, 0]);
    expect(matches[1]!.metadata).toEqual({ candidateId: 2, lastActivityAt: '2025-01-01T00:00:00Z', hash: 'h2' });
  });

  it('filters by candidate and by last activity (unknown activity never passes a date filter)', async () => {
    const index = await seeded();
    expect((await index.query([1, 1, 1], 10, { excludeCandidateIds: [1, 2] })).map((m) => m.metadata.candidateId)).toEqual([3, 4]);
    expect((await index.query([1, 1, 1], 10, { lastActivityBefore: '2026-06-01T00:00:00Z' })).map((m) => m.metadata.candidateId).sort()).toEqual([1, 2]);
  });

  it('replaces the vector and metadata under a key that is put again', async () => {
    const index = await seeded();
    await index.put([{ ...item(1, [0, 0, 1]), metadata: { candidateId: 1, lastActivityAt: null, hash: 'new' } }]);
    expect(await index.get([vectorKey(1)])).toEqual([{ key: 'candidate#1', vector: [0, 0, 1], metadata: { candidateId: 1, lastActivityAt: null, hash: 'new' } }]);
    expect((await index.query([0, 0, 1], 100)).filter((m) => m.key === 'candidate#1')).toHaveLength(1);
  });

  it('deletes a vector with its metadata: get returns nothing and no query finds it', async () => {
    const index = await seeded();
    await index.delete([vectorKey(2), vectorKey(99)]);
    expect(await index.get([vectorKey(2)])).toEqual([]);
    for (const query of [[0.8, 0.6, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]]) {
      expect((await index.query(query, 100)).map((m) => m.key)).not.toContain('candidate#2');
    }
    expect((await index.get([vectorKey(1), vectorKey(2), vectorKey(3)])).map((i) => i.key)).toEqual(['candidate#1', 'candidate#3']);
  });

  it('keeps its own copies: changing what was put or got does not change the index', async () => {
    const index = new ExactVectorIndex();
    const original = item(5, [1, 0, 0]);
    await index.put([original]);
    (original.vector as number[])[0] = -1;
    const [got] = await index.get([vectorKey(5)]);
    (got!.vector as number[])[1] = 7;
    expect((await index.get([vectorKey(5)]))[0]!.vector).toEqual([1, 0, 0]);
  });

  it('refuses vectors of another dimension and a topK out of range', async () => {
    const index = await seeded();
    await expect(index.put([item(9, [1, 0])])).rejects.toThrow(/2 dimensions; the index holds 3/);
    const empty = new ExactVectorIndex();
    await expect(empty.put([item(1, [1, 0]), item(2, [1, 0, 0])])).rejects.toThrow(/3 dimensions; the index holds 2/);
    expect(await empty.get([vectorKey(1)])).toEqual([]);
    await empty.put([item(2, [1, 0, 0])]);
    expect(await empty.get([vectorKey(2)])).toHaveLength(1);
    await expect(index.query([1, 0], 5)).rejects.toThrow(/dimensions/);
    await expect(index.query([1, 0, 0], 0)).rejects.toThrow(/topK/);
    await expect(index.query([1, 0, 0], 101)).rejects.toThrow(/topK/);
  });
});
