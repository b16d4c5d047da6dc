import { createHash } from 'node:crypto';
import { OFFLINE_EMBEDDING_DIMENSIONS, type Embedder, type EmbedderProvenance } from './ports.ts';
import { PLACEHOLDER } from './profile.ts';

/**
 * The offline embedder: a deterministic hashed bag of words and word pairs, for the local stack, the
 * tests and `npm run eval -- rediscovery`. Nothing leaves the process, and it is not a language model
 * (its provenance says so): "Java" the coffee and Java the language are one feature to it, and
 * "Golang" and "Go" are two. It is the plumbing's stand-in and the eval's baseline, not a matcher to
 * deploy.
 *
 * How: the text is lower-cased, stripped of accents and of minimisation's placeholders, split into
 * words (keeping the characters technology names use: C++, C#, Node.js, CI/CD), common English words
 * dropped; every word and every pair of neighbouring words is hashed (sha-256) to one of DIMENSIONS
 * slots with a sign (feature hashing: collisions cancel out on average instead of piling up); counts
 * are damped (1 + ln tf) so a repeated word cannot dominate; the vector is L2-normalised so that the
 * dot product is the cosine.
 */
export const OFFLINE_EMBEDDER_PROVIDER = 'offline';
export const OFFLINE_EMBEDDER_MODEL = 'hashed-terms-512-v1';
export const DIMENSIONS = OFFLINE_EMBEDDING_DIMENSIONS;

export const offlineEmbedderProvenance: EmbedderProvenance = {
  provider: OFFLINE_EMBEDDER_PROVIDER,
  model: OFFLINE_EMBEDDER_MODEL,
  isLanguageModel: false,
  dimensions: DIMENSIONS,
};

const STOPWORDS = new Set(
  `a about after all also an and any are as at be been but by can could did do does for from had has have he her his how i if in
  into is it its me my no not of on or our she so than that the their them then there these they this to too us was we were what
  when where which while who will with would you your`.split(/\s+/),
);

/** The words of a text that count, in order. */
export function terms(text: string): string[] {
  const plain = text.replace(PLACEHOLDER, ' ').normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  const words = plain.match(/[\p{L}\p{N}]+(?:[+#]+|(?:[./-][\p{L}\p{N}]+)*)/gu) ?? [];
  return words.filter((w) => !STOPWORDS.has(w) && (w.length > 1 || /[\p{N}+#]/u.test(w) || w === 'c' || w === 'r'));
}

function slot(feature: string): { index: number; sign: number } {
  const digest = createHash('sha256').update(feature).digest();
  return { index: digest.readUInt32BE(0) % DIMENSIONS, sign: digest[4]! & 1 ? 1 : -1 };
}

export function embedOffline(text: string): number[] {
  const words = terms(text);
  const counts = new Map<string, number>();
  const add = (feature: string) => counts.set(feature, (counts.get(feature) ?? 0) + 1);
  words.forEach((word, i) => {
    add(word);
    if (i > 0) add(`${words[i - 1]} ${word}`);
  });
  const vector = new Array<number>(DIMENSIONS).fill(0);
  for (const [feature, count] of counts) {
    const { index, sign } = slot(feature);
    vector[index]! += sign * (1 + Math.log(count));
  }
  const norm = Math.hypot(...vector);
  // An empty text gives the zero vector: similar to nothing, rather than NaN.
  return norm === 0 ? vector : vector.map((v) => v / norm);
}

export const offlineEmbedder: Embedder = {
  provenance: offlineEmbedderProvenance,
  // The same vector for documents and queries: word counts have no notion of a query.
  embed: async (texts) => ({ vectors: texts.map(embedOffline), provenance: offlineEmbedderProvenance }),
};
