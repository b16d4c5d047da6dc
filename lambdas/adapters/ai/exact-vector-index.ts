import { MAX_TOP_K, type VectorFilter, type VectorIndex, type VectorItem, type VectorMatch } from '#core/ai/rediscovery/ports';

/**
 * The embedded vector index of the local stack, the tests and the rediscovery eval: every vector in
 * memory, and a query compares the query with all of them (cosine) and keeps the best.
 *
 * Exact rather than approximate search, and no library: one tenant's past candidates are thousands,
 * not millions, so scoring every vector takes milliseconds (a few thousand dot products of 512 or
 * 1,024 numbers), gives the true nearest neighbours (an eval figure then measures the embedder, not an
 * ANN's recall), and needs no native build or index tuning. A deployment uses S3 Vectors instead.
 */
export class ExactVectorIndex implements VectorIndex {
  readonly #items = new Map<string, { item: VectorItem; unit: Float64Array }>();
  #dimensions: number | undefined;

  async put(items: readonly VectorItem[]): Promise<void> {
    // All or nothing: a batch with one vector of the wrong size changes nothing, not even the size.
    const dimensions = this.#dimensions ?? items[0]?.vector.length;
    for (const item of items) {
      if (item.vector.length !== dimensions) {
        throw new Error(`vector for ${item.key} has ${item.vector.length} dimensions; the index holds ${dimensions}`);
      }
    }
    this.#dimensions = dimensions;
    for (const item of items) {
      this.#items.set(item.key, { item: { key: item.key, vector: [...item.vector], metadata: { ...item.metadata } }, unit: unit(item.vector) });
    }
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.#items.delete(key);
  }

  async get(keys: readonly string[]): Promise<VectorItem[]> {
    return keys.flatMap((key) => {
      const stored = this.#items.get(key);
      return stored ? [{ ...stored.item, vector: [...stored.item.vector], metadata: { ...stored.item.metadata } }] : [];
    });
  }

  async query(vector: readonly number[], topK: number, filter: VectorFilter = {}): Promise<VectorMatch[]> {
    if (!Number.isInteger(topK) || topK < 1 || topK > MAX_TOP_K) throw new Error(`topK must be an integer from 1 to ${MAX_TOP_K}`);
    if (this.#dimensions !== undefined && vector.length !== this.#dimensions) {
      throw new Error(`query vector has ${vector.length} dimensions; the index holds ${this.#dimensions}`);
    }
    const query = unit(vector);
    const excluded = new Set(filter.excludeCandidateIds ?? []);
    const before = filter.lastActivityBefore === undefined ? undefined : Date.parse(filter.lastActivityBefore);
    const matches: VectorMatch[] = [];
    for (const { item, unit: stored } of this.#items.values()) {
      const { metadata } = item;
      if (excluded.has(metadata.candidateId)) continue;
      if (before !== undefined && !(metadata.lastActivityAt !== null && Date.parse(metadata.lastActivityAt) < before)) continue;
      matches.push({ key: item.key, score: dot(query, stored), metadata: { ...metadata } });
    }
    return matches.sort(closestFirst).slice(0, topK);
  }
}

/** Highest score first; ties by key, so two runs over the same index always answer in the same order. */
export function closestFirst(a: { key: string; score: number }, b: { key: string; score: number }): number {
  return b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/** The vector scaled to length 1 (all zeros stays zeros), so a dot product of two is their cosine. */
export function unit(vector: readonly number[]): Float64Array {
  const norm = Math.hypot(...vector);
  return Float64Array.from(vector, (v) => (norm === 0 ? 0 : v / norm));
}

export function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}
