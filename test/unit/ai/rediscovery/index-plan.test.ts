import { describe, expect, it } from 'vitest';
import { indexPlan } from '#core/ai/rediscovery/index-plan';
import type { CandidateProfile } from '#core/ai/rediscovery/profile';

const profile = (candidateId: number, hash: string): CandidateProfile => ({
  candidateId,
  text: `profile ${candidateId}`,
  hash,
  removed: { email: 0, phone: 0, link: 0, 'proxy-line': 0, name: 0 },
});

describe('indexPlan', () => {
  const stored = new Map([
    [1, { candidateId: 1, lastActivityAt: '2025-01-01T00:00:00Z', hash: 'a' }],
    [2, { candidateId: 2, lastActivityAt: '2025-01-01T00:00:00Z', hash: 'b' }],
    [3, { candidateId: 3, lastActivityAt: null, hash: 'c' }],
  ]);

  it('embeds new candidates and changed profiles only; refreshes the metadata of an unchanged profile whose activity moved', () => {
    const plan = indexPlan(
      [
        { profile: profile(1, 'a'), lastActivityAt: '2025-01-01T00:00:00Z' },
        { profile: profile(2, 'b2'), lastActivityAt: '2025-01-01T00:00:00Z' },
        { profile: profile(3, 'c'), lastActivityAt: '2025-06-01T00:00:00Z' },
        { profile: profile(4, 'd'), lastActivityAt: null },
      ],
      stored,
    );
    expect(plan.embed.map((p) => p.candidateId)).toEqual([2, 4]);
    expect(plan.refreshMetadata).toEqual([{ candidateId: 3, lastActivityAt: '2025-06-01T00:00:00Z', hash: 'c' }]);
    expect(plan.unchanged).toBe(1);
  });
});
