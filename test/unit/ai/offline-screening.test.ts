import { describe, expect, it } from 'vitest';
import { keywordsOf, offlineScreeningProvider, screenOffline } from '#core/ai/screening/offline';
import { screeningAnswerSchema, SCREENING_PROMPT_VERSION } from '#core/ai/screening/contract';

const requirements = [
  '5+ years of experience with Python and SQL',
  'Hands-on experience with Apache Spark',
  'Experience with AWS (S3, Glue, Lambda)',
  'Kubernetes in production',
  'Excellent communication skills',
  'A passion for great work',
];
const strong = ['Senior Data Engineer, Kestrel Labs', '- Python and SQL daily for six years', '- Spark pipelines on AWS S3 and Glue, Lambda triggers', '- Ran Kubernetes clusters in production', '- Communication with stakeholders'].join('\n');
const weak = ['Office Manager, Contoso', '- Scheduling and vendor communication', '- Some SQL reporting'].join('\n');

describe('offline screening provider', () => {
  it('names itself as the offline matcher, never as a model, and answers the shared schema', async () => {
    const result = await offlineScreeningProvider.screen({ jobTitle: 'Data Engineer', requirements, resumeText: strong });
    expect(result).toMatchObject({ provider: 'offline', model: 'keyword-matcher-v1', promptVersion: SCREENING_PROMPT_VERSION });
    expect(result.summary).toMatch(/not a language model/);
    const { provider: _p, model: _m, promptVersion: _v, usage, latencyMs: _l, ...answer } = result;
    expect(usage).toEqual({ inputTokens: 0, outputTokens: 0 });
    expect(screeningAnswerSchema.parse(answer)).toEqual(answer);
  });

  it('scores a strong fit above a weak one, with evidence from the resume and the gaps named', () => {
    const good = screenOffline({ jobTitle: 'Data Engineer', requirements, resumeText: strong });
    const poor = screenOffline({ jobTitle: 'Data Engineer', requirements, resumeText: weak });
    expect(good.score).toBe(100);
    // Two of five: SQL (half of "Python and SQL") and communication.
    expect(poor.score).toBe(40);
    expect(good.strengths.find((s) => s.point.includes('Spark'))?.evidence).toBe('- Spark pipelines on AWS S3 and Glue, Lambda triggers');
    expect(poor.gaps.find((g) => g.point.includes('Kubernetes'))?.evidence).toMatch(/kubernetes/);
  });

  it('reports a requirement without a judgeable keyword as not judged, outside the score', () => {
    const result = screenOffline({ jobTitle: 'Data Engineer', requirements, resumeText: strong });
    expect(result.notJudged).toEqual(['A passion for great work']);
    expect(result.strengths.length + result.gaps.length).toBe(5);
  });

  it('is deterministic: the same input gives the same result', () => {
    const input = { jobTitle: 'Data Engineer', requirements, resumeText: weak };
    expect(screenOffline(input)).toEqual(screenOffline(input));
  });

  it('keeps technology names whole', () => {
    expect(keywordsOf('Node.js, C++ and C#; CI/CD with GitHub Actions')).toEqual(['node.js', 'c++', 'c#', 'ci/cd', 'github', 'actions']);
  });
});
