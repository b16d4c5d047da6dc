import { DeleteVectorsCommand, GetVectorsCommand, PutVectorsCommand, QueryVectorsCommand, type S3VectorsClient } from '@aws-sdk/client-s3vectors';
import type { DocumentType } from '@smithy/types';
import { MAX_TOP_K, type VectorFilter, type VectorIndex, type VectorItem, type VectorMatch, type VectorMetadata } from '#core/ai/rediscovery/ports';
import { RateLimited } from '#core/api-errors';
import { isOutOfCapacity } from '#adapters/bedrock/capacity';
import { chunk } from '#adapters/greenhouse/query';

/**
 * Candidate rediscovery's VectorIndex on Amazon S3 Vectors (PutVectors, GetVectors, DeleteVectors,
 * QueryVectors on one index of one vector bucket; the stack creates both, cosine, float32).
 *
 * - Batches: S3 Vectors takes at most 500 vectors a Put or Delete and 100 keys a Get, so longer lists
 *   go in consecutive calls of that size. A failed call leaves the earlier ones done: a put or delete
 *   retried whole is idempotent, as the port requires.
 * - Scores: S3 Vectors answers cosine *distance*, the port cosine similarity, so score = 1 - distance.
 * - Metadata: the port's three fields and nothing else (no name, no text). The filter language
 *   compares numbers only with `$lt`, so the last activity is also stored as epoch milliseconds
 *   (`lastActivityMs`), the key a `lastActivityBefore` filter reads; the ISO text is kept as Greenhouse
 *   gave it, so a get answers exactly what was put. A null activity stores neither key, and a vector
 *   without the key never passes `$lt`, as the exact index never lets an unknown activity pass.
 * - Throttling and unavailability that outlast the SDK's retries become RateLimited, by the rule the
 *   Bedrock adapters use (capacity.ts: 429, 503, ThrottlingException, ServiceUnavailableException):
 *   the queue consumer hands the message back rather than counting it toward the dead-letter queue.
 */
export interface S3VectorsIndexLocation {
  readonly vectorBucketName: string;
  readonly indexName: string;
}

/** Documented per-call limits (S3 Vectors user guide, "Limitations and restrictions"). */
export const S3_VECTORS_MAX_PUT_OR_DELETE = 500;
export const S3_VECTORS_MAX_GET = 100;

/**
 * The metadata keys no query filters on: stored and returned, but kept out of the 2 KB of filterable
 * metadata. The stack declares them at index creation (they cannot change after).
 */
export const NON_FILTERABLE_METADATA_KEYS = ['hash', 'lastActivityAt'] as const;

/** S3 Vectors' limits are per second: a throttled message may be tried again soon. */
export const S3_VECTORS_RETRY_AFTER_SECONDS = 5;

/** What is stored beside each vector; `lastActivityMs` stands in for `lastActivityAt` in filters. */
type WireMetadata = {
  candidateId: number;
  hash: string;
  lastActivityAt?: string;
  lastActivityMs?: number;
};

export class S3VectorsIndex implements VectorIndex {
  readonly #client: S3VectorsClient;
  readonly #location: S3VectorsIndexLocation;

  constructor(client: S3VectorsClient, location: S3VectorsIndexLocation) {
    this.#client = client;
    this.#location = { vectorBucketName: location.vectorBucketName, indexName: location.indexName };
  }

  async put(items: readonly VectorItem[]): Promise<void> {
    for (const batch of chunk(items, S3_VECTORS_MAX_PUT_OR_DELETE)) {
      const vectors = batch.map((item) => ({ key: item.key, data: { float32: [...item.vector] }, metadata: toWire(item.metadata) }));
      await this.#send('PutVectors', () => this.#client.send(new PutVectorsCommand({ ...this.#location, vectors })));
    }
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const batch of chunk(keys, S3_VECTORS_MAX_PUT_OR_DELETE)) {
      await this.#send('DeleteVectors', () => this.#client.send(new DeleteVectorsCommand({ ...this.#location, keys: batch })));
    }
  }

  async get(keys: readonly string[]): Promise<VectorItem[]> {
    const found = new Map<string, VectorItem>();
    for (const batch of chunk(keys, S3_VECTORS_MAX_GET)) {
      const { vectors = [] } = await this.#send('GetVectors', () =>
        this.#client.send(new GetVectorsCommand({ ...this.#location, keys: batch, returnData: true, returnMetadata: true })),
      );
      for (const vector of vectors) {
        const data = vector.data?.float32;
        if (!vector.key || !data) throw new Error('S3 Vectors answered a vector without its key or data');
        found.set(vector.key, { key: vector.key, vector: data, metadata: fromWire(vector.key, vector.metadata) });
      }
    }
    // In the order asked, as the exact index answers; a key with nothing stored is left out.
    return keys.flatMap((key) => {
      const item = found.get(key);
      return item ? [item] : [];
    });
  }

  async query(vector: readonly number[], topK: number, filter: VectorFilter = {}): Promise<VectorMatch[]> {
    if (!Number.isInteger(topK) || topK < 1 || topK > MAX_TOP_K) throw new Error(`topK must be an integer from 1 to ${MAX_TOP_K}`);
    const wireFilter = toWireFilter(filter);
    const { vectors = [] } = await this.#send('QueryVectors', () =>
      this.#client.send(
        new QueryVectorsCommand({
          ...this.#location,
          topK,
          queryVector: { float32: [...vector] },
          ...(wireFilter ? { filter: wireFilter } : {}),
          returnDistance: true,
          returnMetadata: true,
        }),
      ),
    );
    return vectors.map((match) => {
      if (!match.key || match.distance === undefined) throw new Error('S3 Vectors answered a match without its key or distance');
      return { key: match.key, score: 1 - match.distance, metadata: fromWire(match.key, match.metadata) };
    });
  }

  async #send<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (isOutOfCapacity(error)) throw new RateLimited('s3vectors', `POST /${operation}`, S3_VECTORS_RETRY_AFTER_SECONDS, 'server');
      throw error;
    }
  }
}

function toWire(metadata: VectorMetadata): WireMetadata {
  const wire: WireMetadata = { candidateId: metadata.candidateId, hash: metadata.hash };
  if (metadata.lastActivityAt !== null) {
    wire.lastActivityAt = metadata.lastActivityAt;
    const ms = Date.parse(metadata.lastActivityAt);
    // An unreadable date is kept as text but never passes a date filter (the exact index's rule too).
    if (Number.isFinite(ms)) wire.lastActivityMs = ms;
  }
  return wire;
}

function fromWire(key: string, raw: unknown): VectorMetadata {
  const wire = (raw ?? {}) as Partial<Record<keyof WireMetadata, unknown>>;
  if (typeof wire.candidateId !== 'number' || typeof wire.hash !== 'string') {
    throw new Error(`S3 Vectors answered ${key} without the metadata this index stores`);
  }
  return { candidateId: wire.candidateId, lastActivityAt: typeof wire.lastActivityAt === 'string' ? wire.lastActivityAt : null, hash: wire.hash };
}

/** The port's filter in S3 Vectors' filter language (`$nin`, `$lt`, `$and`), or none. */
export function toWireFilter(filter: VectorFilter): DocumentType | undefined {
  const conditions: DocumentType[] = [];
  // `$nin` takes a non-empty array only.
  if (filter.excludeCandidateIds?.length) conditions.push({ candidateId: { $nin: [...filter.excludeCandidateIds] } });
  if (filter.lastActivityBefore !== undefined) {
    const before = Date.parse(filter.lastActivityBefore);
    if (!Number.isFinite(before)) throw new Error(`lastActivityBefore ${JSON.stringify(filter.lastActivityBefore)} is not a date`);
    conditions.push({ lastActivityMs: { $lt: before } });
  }
  if (conditions.length === 0) return undefined;
  return conditions.length === 1 ? conditions[0] : { $and: conditions };
}
