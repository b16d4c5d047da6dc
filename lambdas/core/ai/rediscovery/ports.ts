/**
 * Candidate rediscovery's ports: an embedder that turns minimised profiles and job queries into
 * vectors, and a vector index that keeps one vector per past candidate. The core owns them; the local
 * stack and the tests use the offline embedder (offline-embedder.ts) and the exact in-memory index
 * (lambdas/adapters/ai/exact-vector-index.ts), a deployment a hosted embedding model and S3 Vectors.
 */

/** Some embedding models embed a search query differently from the documents it searches. */
export type EmbedPurpose = 'document' | 'query';

/** The offline embedder's one size (offline-embedder.ts); here so settings can check it without loading that module. */
export const OFFLINE_EMBEDDING_DIMENSIONS = 512;

/**
 * Where vectors came from: recorded with every rediscovery run and printed at the foot of its note, so
 * no one mistakes the offline embedder's hashed word counts for a language model's judgement.
 */
export interface EmbedderProvenance {
  readonly provider: string;
  readonly model: string;
  /** False for the offline embedder: it counts words, it does not read. */
  readonly isLanguageModel: boolean;
  readonly dimensions: number;
}

export interface Embeddings {
  /** One vector per text, in the order given, each `provenance.dimensions` long. */
  readonly vectors: readonly (readonly number[])[];
  readonly provenance: EmbedderProvenance;
  /** What a hosted model billed (input tokens only: an embedding has no output); absent for the offline embedder. */
  readonly usage?: { readonly inputTokens: number };
  /** The dashboard's estimate for `usage` at the model's known price (lambdas/core/ai/pricing.ts). */
  readonly estimatedCostUsd?: number;
}

export interface Embedder {
  readonly provenance: EmbedderProvenance;
  embed(texts: readonly string[], purpose: EmbedPurpose): Promise<Embeddings>;
}

/**
 * All an index keeps beside the vector: no name, no contact detail, no profile text. The hash says
 * whether the stored vector is still the candidate's current profile; the activity date lets a query
 * skip recently active candidates before the core checks eligibility on fresh Greenhouse records.
 */
export interface VectorMetadata {
  readonly candidateId: number;
  /** ISO 8601, as Greenhouse gives `last_activity_at`; null when Greenhouse gave none. */
  readonly lastActivityAt: string | null;
  /** The profile's hash (profile.ts). */
  readonly hash: string;
}

export interface VectorItem {
  readonly key: string;
  readonly vector: readonly number[];
  readonly metadata: VectorMetadata;
}

export interface VectorFilter {
  readonly excludeCandidateIds?: readonly number[];
  /** Only candidates whose last activity is known and earlier than this instant (ISO 8601). */
  readonly lastActivityBefore?: string;
}

export interface VectorMatch {
  readonly key: string;
  /** Cosine similarity, higher is closer. */
  readonly score: number;
  readonly metadata: VectorMetadata;
}

/** S3 Vectors answers at most 100 results per query; every index is held to the same bound. */
export const MAX_TOP_K = 100;

export interface VectorIndex {
  /** Adds or replaces the vectors under these keys. */
  put(items: readonly VectorItem[]): Promise<void>;
  /** Removes the vectors and their metadata; a missing key is not an error (deletion is retried). */
  delete(keys: readonly string[]): Promise<void>;
  /** The closest `topK` (at most MAX_TOP_K) vectors passing the filter, closest first. */
  query(vector: readonly number[], topK: number, filter?: VectorFilter): Promise<VectorMatch[]>;
  /** The stored items under these keys; a key with nothing stored is absent from the answer. */
  get(keys: readonly string[]): Promise<VectorItem[]>;
}

/** One vector per candidate: a merged or re-embedded candidate replaces, never duplicates. */
export function vectorKey(candidateId: number): string {
  return `candidate#${candidateId}`;
}
