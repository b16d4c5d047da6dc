import { describe, expect, it } from 'vitest';
import { parseAiSettings, rediscoverySettingsSchema } from '#core/ai/settings';

describe('rediscovery settings', () => {
  it('are off by default, in shadow mode, with the documented rules and the offline embedder', () => {
    expect(parseAiSettings({}).rediscovery).toEqual({
      enabled: false,
      mode: 'shadow',
      rolloutPercent: 100,
      scope: { allJobs: false, jobIds: [], departmentIds: [], officeIds: [], excludedJobIds: [] },
      minInactiveDays: 180,
      topN: 10,
      minScore: 0,
      tag: 'rediscovered',
      embedding: { provider: 'offline', modelId: 'amazon.titan-embed-text-v2:0', dimensions: 512 },
    });
  });

  it('leave the other workflows as they were', () => {
    const settings = parseAiSettings({ rediscovery: { enabled: true, mode: 'assist' } });
    expect(settings.screening.enabled).toBe(false);
    expect(settings.feedback.enabled).toBe(false);
    expect(settings.rediscovery).toMatchObject({ enabled: true, mode: 'assist' });
  });

  it('take a consent field, a scope, a Bedrock embedder of a size it gives, and a trimmed tag', () => {
    const parsed = rediscoverySettingsSchema.parse({
      consentField: 'open_to_other_roles',
      scope: { departmentIds: [101], excludedJobIds: [802] },
      tag: '  rediscovered by AI ',
      embedding: { provider: 'bedrock', modelId: 'cohere.embed-english-v3', dimensions: 1024 },
    });
    expect(parsed).toMatchObject({
      consentField: 'open_to_other_roles',
      scope: { departmentIds: [101], excludedJobIds: [802] },
      tag: 'rediscovered by AI',
      embedding: { provider: 'bedrock', modelId: 'cohere.embed-english-v3', dimensions: 1024 },
    });
  });

  it.each<[string, unknown, string]>([
    ['an unknown mode', { mode: 'auto' }, 'mode'],
    ['a negative inactivity', { minInactiveDays: -1 }, 'minInactiveDays'],
    ['a fractional inactivity', { minInactiveDays: 1.5 }, 'minInactiveDays'],
    ['topN of 0', { topN: 0 }, 'topN'],
    ['topN above 50', { topN: 51 }, 'topN'],
    ['a similarity above 1', { minScore: 1.5 }, 'minScore'],
    ['a blank tag', { tag: '   ' }, 'tag'],
    ['an empty consent field', { consentField: '' }, 'consentField'],
    ['an unknown embedding provider', { embedding: { provider: 'openai' } }, 'embedding.provider'],
    ['a size no embedder gives', { embedding: { provider: 'bedrock', dimensions: 768 } }, 'embedding.dimensions'],
    ['the offline embedder at another size', { embedding: { provider: 'offline', dimensions: 1024 } }, 'embedding.dimensions'],
    ['an unknown key', { topK: 5 }, '"topK"'],
  ])('refuse %s, naming the key', (_, rediscovery, key) => {
    expect(() => parseAiSettings({ rediscovery })).toThrow(key.startsWith('"') ? key : `rediscovery.${key}`);
  });
});
