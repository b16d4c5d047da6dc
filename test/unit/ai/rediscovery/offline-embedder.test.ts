import { describe, expect, it } from 'vitest';
import { DIMENSIONS, embedOffline, offlineEmbedder, terms } from '#core/ai/rediscovery/offline-embedder';

const cosine = (a: readonly number[], b: readonly number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);

describe('offline embedder', () => {
  it('says it is not a language model', () => {
    expect(offlineEmbedder.provenance).toEqual({ provider: 'offline', model: 'hashed-terms-512-v1', isLanguageModel: false, dimensions: DIMENSIONS });
  });

  it('gives one L2-normalised vector of 512 numbers per text, the same every time', async () => {
    const { vectors, provenance } = await offlineEmbedder.embed(['Java backend engineer, Spring Boot', 'Registered nurse, ICU'], 'document');
    expect(provenance.isLanguageModel).toBe(false);
    expect(vectors).toHaveLength(2);
    for (const v of vectors) {
      expect(v).toHaveLength(512);
      expect(Math.hypot(...v)).toBeCloseTo(1, 12);
    }
    expect(embedOffline('Java backend engineer, Spring Boot')).toEqual(vectors[0]);
    expect((await offlineEmbedder.embed(['Java backend engineer, Spring Boot'], 'query')).vectors[0]).toEqual(vectors[0]);
  });

  it('puts texts that share words closer than texts that do not', () => {
    const job = embedOffline('Senior Java engineer: Spring Boot microservices, PostgreSQL, Kafka');
    const engineer = embedOffline('Built Spring Boot microservices in Java with Kafka and PostgreSQL');
    const nurse = embedOffline('Registered nurse on a cardiac intensive care unit');
    expect(cosine(job, engineer)).toBeGreaterThan(0.4);
    expect(cosine(job, engineer)).toBeGreaterThan(cosine(job, nurse) + 0.3);
  });

  it("ignores case, accents, common words and minimisation's placeholders", () => {
    expect(embedOffline('[name] — the Café ENGINEER [email] [link]')).toEqual(embedOffline('cafe engineer'));
    expect(terms('C++ and C# on Node.js, CI/CD; R and Go 2')).toEqual(['c++', 'c#', 'node.js', 'ci/cd', 'r', 'go', '2']);
  });

  it('embeds an empty text as the zero vector rather than NaN', () => {
    const v = embedOffline('[name] and the');
    expect(v.every((x) => x === 0)).toBe(true);
  });
});
