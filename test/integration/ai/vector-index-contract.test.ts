import { CreateIndexCommand, GetVectorsCommand, PutVectorsCommand, QueryVectorsCommand, S3VectorsClient } from '@aws-sdk/client-s3vectors';
import type { DocumentType } from '@smithy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExactVectorIndex } from '#adapters/ai/exact-vector-index';
import { NON_FILTERABLE_METADATA_KEYS, S3VectorsIndex } from '#adapters/ai/s3-vectors-index';
import { classifyOutcome } from '#adapters/queue/message-outcome';
import { MAX_TOP_K, vectorKey, type VectorIndex, type VectorItem } from '#core/ai/rediscovery/ports';
import { RateLimited } from '#core/api-errors';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/defaults';
import { startS3VectorsSimulator, type S3VectorsSimulator } from '#local/simulators/s3vectors/server';

/**
 * The VectorIndex port's contract, run on both indexes the bridge has: the exact in-memory index (the
 * tests' and the eval's) and the S3 Vectors adapter talking over HTTP to the S3 Vectors simulator (a
 * deployment's, and the local stack's). Vectors use values float32 holds exactly, since S3 Vectors
 * stores float32; scores are compared to six places for the same reason.
 */

const OLD = '2025-01-01T00:00:00Z';
const RECENT = '2026-11-01T00:00:00Z';

const item = (candidateId: number, vector: number[], lastActivityAt: string | null = OLD, hash = `h${candidateId}`): VectorItem => ({
  key: vectorKey(candidateId),
  vector,
  metadata: { candidateId, lastActivityAt, hash },
});

/** A fresh, empty index holding vectors of `dimension` numbers, and what the backend saw of it. */
type Fresh = (dimension: number) => Promise<{ index: VectorIndex; batches?: (operation: 'PutVectors' | 'GetVectors' | 'DeleteVectors') => number[] }>;

async function seeded(fresh: Fresh) {
  const { index } = await fresh(3);
  await index.put([item(1, [1, 0, 0]), item(2, [0.75, 0.5, 0]), item(3, [0, 1, 0], RECENT), item(4, [0, 0, 4], null)]);
  return index;
}

const keys = (matches: readonly { key: string }[]) => matches.map((m) => m.key);

function vectorIndexContract(name: string, fresh: Fresh): void {
  describe(`VectorIndex contract: ${name}`, () => {
    it('gets what was put, in the order asked, leaving out keys with nothing stored; a second put replaces', async () => {
      const index = await seeded(fresh);
      expect(await index.get([vectorKey(4), vectorKey(99), vectorKey(1)])).toEqual([
        { key: 'candidate#4', vector: [0, 0, 4], metadata: { candidateId: 4, lastActivityAt: null, hash: 'h4' } },
        { key: 'candidate#1', vector: [1, 0, 0], metadata: { candidateId: 1, lastActivityAt: OLD, hash: 'h1' } },
      ]);
      await index.put([item(1, [0, 0, 1], null, 'new')]);
      expect(await index.get([vectorKey(1)])).toEqual([{ key: 'candidate#1', vector: [0, 0, 1], metadata: { candidateId: 1, lastActivityAt: null, hash: 'new' } }]);
      const all = await index.query([0, 0, 1], MAX_TOP_K);
      expect(all.filter((m) => m.key === 'candidate#1')).toHaveLength(1);
      expect(all).toHaveLength(4);
    });

    it('deletes a vector with its metadata: get returns nothing, no query finds it, a missing key is no error', async () => {
      const index = await seeded(fresh);
      await index.delete([vectorKey(2), vectorKey(99)]);
      expect(await index.get([vectorKey(2)])).toEqual([]);
      for (const query of [[0.75, 0.5, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]]) {
        expect(keys(await index.query(query, MAX_TOP_K))).not.toContain('candidate#2');
      }
      expect(keys(await index.get([vectorKey(1), vectorKey(2), vectorKey(3)]))).toEqual(['candidate#1', 'candidate#3']);
    });

    it('answers the closest by cosine similarity, closest first, at most topK, with the metadata', async () => {
      const index = await seeded(fresh);
      const matches = await index.query([2, 0, 0], 3);
      expect(keys(matches)).toEqual(['candidate#1', 'candidate#2', 'candidate#3']);
      const cosine = 0.75 / Math.hypot(0.75, 0.5);
      [1, cosine, 0].forEach((expected, i) => expect(matches[i]!.score).toBeCloseTo(expected, 6));
      expect(matches[1]!.metadata).toEqual({ candidateId: 2, lastActivityAt: OLD, hash: 'h2' });
      expect(keys(await index.query([-1, 0, 0], 1))).toEqual(['candidate#3']);
    });

    it('filters by candidate and by last activity; an unknown activity never passes a date filter', async () => {
      const index = await seeded(fresh);
      const ids = async (filter: Parameters<VectorIndex['query']>[2]) => (await index.query([1, 1, 1], MAX_TOP_K, filter)).map((m) => m.metadata.candidateId).sort();
      expect(await ids({ excludeCandidateIds: [1, 2] })).toEqual([3, 4]);
      expect(await ids({ excludeCandidateIds: [] })).toEqual([1, 2, 3, 4]);
      expect(await ids({ lastActivityBefore: '2026-06-01T00:00:00Z' })).toEqual([1, 2]);
      expect(await ids({ lastActivityBefore: '2026-06-01T00:00:00Z', excludeCandidateIds: [1] })).toEqual([2]);
      expect(await ids({ lastActivityBefore: OLD })).toEqual([]);
    });

    it('refuses a topK outside 1..MAX_TOP_K and takes MAX_TOP_K', async () => {
      const index = await seeded(fresh);
      for (const topK of [0, -1, MAX_TOP_K + 1, 1.5]) await expect(index.query([1, 0, 0], topK)).rejects.toThrow(/topK/);
      expect(await index.query([1, 0, 0], MAX_TOP_K)).toHaveLength(4);
    });

    it('refuses vectors and queries of another dimension, and such a put changes nothing', async () => {
      const index = await seeded(fresh);
      await expect(index.put([item(5, [1, 0, 0]), item(6, [1, 0, 0, 0])])).rejects.toThrow(/dimension/);
      expect(await index.get([vectorKey(5), vectorKey(6)])).toEqual([]);
      await expect(index.query([1, 0], 1)).rejects.toThrow(/dimension/);
    });

    it('puts, gets and deletes more than one call of S3 Vectors takes (500 a put or delete, 100 a get)', async () => {
      const { index, batches } = await fresh(4);
      const many = Array.from({ length: 1_201 }, (_, i) => item(i + 1, [1, (i % 7) + 1, (i % 5) + 1, i % 2]));
      await index.put(many);
      const wanted = many.slice(0, 250).map((m) => m.key);
      const got = await index.get(wanted);
      expect(keys(got)).toEqual(wanted);
      expect(got[249]).toEqual(many[249]);
      await index.delete(many.slice(0, 1_101).map((m) => m.key));
      expect((await index.query([1, 1, 1, 1], MAX_TOP_K)).map((m) => m.metadata.candidateId).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 100 }, (_, i) => 1_102 + i),
      );
      if (batches) {
        expect(batches('PutVectors')).toEqual([500, 500, 201]);
        expect(batches('GetVectors')).toEqual([100, 100, 50]);
        expect(batches('DeleteVectors')).toEqual([500, 500, 101]);
      }
    });
  });
}

vectorIndexContract('ExactVectorIndex', async () => ({ index: new ExactVectorIndex() }));

let simulator: S3VectorsSimulator;
let client: S3VectorsClient;
let indexes = 0;
const BUCKET = 'contract-vectors';

beforeAll(async () => {
  simulator = await startS3VectorsSimulator({ indexes: [{ vectorBucketName: BUCKET, indexName: 'seed', dimension: 3 }] });
  client = new S3VectorsClient({ endpoint: simulator.url, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
});
afterAll(async () => {
  client?.destroy();
  await simulator?.close();
});

/** A new index in the simulator, made with CreateIndex as the stack's CfnIndex makes it. */
async function createIndex(dimension: number): Promise<S3VectorsIndex & { readonly indexName: string }> {
  const indexName = `index-${++indexes}`;
  await client.send(
    new CreateIndexCommand({
      vectorBucketName: BUCKET,
      indexName,
      dataType: 'float32',
      dimension,
      distanceMetric: 'cosine',
      metadataConfiguration: { nonFilterableMetadataKeys: [...NON_FILTERABLE_METADATA_KEYS] },
    }),
  );
  return Object.assign(new S3VectorsIndex(client, { vectorBucketName: BUCKET, indexName }), { indexName });
}

vectorIndexContract('S3VectorsIndex over HTTP to the S3 Vectors simulator', async (dimension) => {
  const before = simulator.requests().length;
  const index = await createIndex(dimension);
  return {
    index,
    batches: (operation) =>
      simulator
        .requests()
        .slice(before)
        .filter((r) => r.operation === operation && r.status === 200)
        .map((r) => r.count),
  };
});

describe('S3VectorsIndex on the wire', () => {
  it('stores the port\'s fields only, the last activity also as epoch milliseconds for the date filter', async () => {
    const index = await createIndex(3);
    await index.put([item(7, [1, 0, 0], '2025-02-03T04:05:06Z'), item(8, [0, 1, 0], null)]);
    const { vectors } = await client.send(
      new GetVectorsCommand({ vectorBucketName: BUCKET, indexName: index.indexName, keys: [vectorKey(7), vectorKey(8)], returnMetadata: true }),
    );
    expect(vectors?.map((v) => v.metadata)).toEqual([
      { candidateId: 7, hash: 'h7', lastActivityAt: '2025-02-03T04:05:06Z', lastActivityMs: Date.parse('2025-02-03T04:05:06Z') },
      { candidateId: 8, hash: 'h8' },
    ]);
  });

  it('turns throttling and unavailability into RateLimited, which a consumer waits out instead of dead-lettering', async () => {
    const index = await createIndex(3);
    simulator.throttleNext(1);
    const throttled = await index.query([1, 0, 0], 1).catch((error: unknown) => error);
    expect(throttled).toBeInstanceOf(RateLimited);
    expect(throttled).toMatchObject({ system: 's3vectors', operation: 'POST /QueryVectors', source: 'server' });
    expect(classifyOutcome(throttled)).toMatchObject({ kind: 'transient', pausesBatch: true });
    simulator.failNext(1);
    await expect(index.put([item(1, [1, 0, 0])])).rejects.toBeInstanceOf(RateLimited);
    // A rejected request is not transient: it stays S3 Vectors' own error.
    const invalid = await index.put([item(1, [1, 0])]).catch((error: unknown) => error);
    expect(invalid).toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    expect(classifyOutcome(invalid)).toMatchObject({ kind: 'failure' });
  });
});

describe('the S3 Vectors simulator', () => {
  const seed = { vectorBucketName: BUCKET, indexName: 'seed' };
  const vector = (key: string, metadata?: Record<string, DocumentType>) => ({ key, data: { float32: [1, 2, 3] }, ...(metadata ? { metadata } : {}) });
  const rejection = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as { name: string; message: string; $metadata: { httpStatusCode?: number } });

  it('answers the documented limits with 400 ValidationException', async () => {
    const tooMany = await rejection(client.send(new PutVectorsCommand({ ...seed, vectors: Array.from({ length: 501 }, (_, i) => vector(`k${i}`)) })));
    expect(tooMany).toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    const tooManyKeys = await rejection(client.send(new GetVectorsCommand({ ...seed, keys: Array.from({ length: 101 }, (_, i) => `k${i}`) })));
    expect(tooManyKeys).toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    const topK = await rejection(client.send(new QueryVectorsCommand({ ...seed, topK: 101, queryVector: { float32: [1, 2, 3] } })));
    expect(topK).toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    const bigMetadata = await rejection(client.send(new PutVectorsCommand({ ...seed, vectors: [vector('big', { note: 'x'.repeat(2_100) })] })));
    expect(bigMetadata).toMatchObject({ name: 'ValidationException' });
    expect(simulator.size(BUCKET, 'seed')).toBe(0);
  });

  it('compares numbers only with $lt, and refuses a filter on a non-filterable key', async () => {
    const index = await createIndex(3);
    const named = { vectorBucketName: BUCKET, indexName: index.indexName };
    await client.send(new PutVectorsCommand({ ...named, vectors: [vector('a', { at: 5, hash: 'x' })] }));
    const query = (filter: DocumentType) => client.send(new QueryVectorsCommand({ ...named, topK: 1, queryVector: { float32: [1, 2, 3] }, filter }));
    expect(await rejection(query({ at: { $lt: '2026' } }))).toMatchObject({ name: 'ValidationException' });
    expect(await rejection(query({ hash: 'x' }))).toMatchObject({ name: 'ValidationException' });
    expect((await query({ at: { $lt: 6 } })).vectors?.map((v) => v.key)).toEqual(['a']);
    expect((await query({ at: { $lt: 5 } })).vectors).toEqual([]);
  });

  it('answers 404 NotFoundException for an index that does not exist', async () => {
    const missing = await rejection(client.send(new GetVectorsCommand({ vectorBucketName: BUCKET, indexName: 'absent', keys: ['a'] })));
    expect(missing).toMatchObject({ name: 'NotFoundException', $metadata: { httpStatusCode: 404 } });
  });

  it('is reached through AWS_ENDPOINT_URL_S3VECTORS, as the local stack\'s functions reach it', async () => {
    const saved = process.env['AWS_ENDPOINT_URL_S3VECTORS'];
    process.env['AWS_ENDPOINT_URL_S3VECTORS'] = simulator.url;
    try {
      const fromEnvironment = new S3VectorsClient({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
      const before = simulator.requests().length;
      await fromEnvironment.send(new GetVectorsCommand({ ...seed, keys: ['nothing'] }));
      expect(simulator.requests().slice(before)).toEqual([{ operation: 'GetVectors', count: 1, status: 200 }]);
      fromEnvironment.destroy();
    } finally {
      if (saved === undefined) delete process.env['AWS_ENDPOINT_URL_S3VECTORS'];
      else process.env['AWS_ENDPOINT_URL_S3VECTORS'] = saved;
    }
  });
});
