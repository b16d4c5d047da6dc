import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { extractResumeText } from '#adapters/resume-text';
import { entityKey } from '#core/envelope';
import { offlineScreeningProvider } from '#core/ai/screening/offline';
import { screenApplication } from '#core/ai/screening/workflow';
import { checkOverrides, type OverrideDependencies } from '#core/ai/overrides/workflow';
import { optOutSettingsSchema, screeningSettingsSchema } from '#core/ai/settings';
import { recorded, useAiHarness } from '../../support/ai-harness.ts';
import { APPLICATIONS, CANDIDATES, ENABLED_JOB, aiScenario } from '../../support/ai-scenario.ts';

/**
 * Reviewer overrides against the Greenhouse simulator: the application is screened for real (offline
 * provider, assist mode), a person then acts in Greenhouse through the admin API, and checkOverrides
 * reads what Greenhouse shows and records what changed in the (in-memory) Audit.
 */

const provider = recorded(offlineScreeningProvider, 'screen');
const h = useAiHarness(aiScenario, provider);

const ASSIST: z.input<typeof screeningSettingsSchema> = { enabled: true, mode: 'assist', scope: { jobIds: [ENABLED_JOB] }, threshold: 50, reviewSamplePercent: 0 };
const settings = screeningSettingsSchema.parse(ASSIST);
const optOut = optOutSettingsSchema.parse({});

async function screen(applicationId: number): Promise<number> {
  const outcome = await screenApplication(applicationId, { greenhouse: h.client, provider, extractText: extractResumeText, memory: h.memory, audit: h.audit, clock: h.clock, settings, optOut });
  if (outcome.outcome !== 'screened') throw new Error(`not screened: ${outcome.outcome}`);
  return outcome.score;
}
const deps = (): OverrideDependencies => ({ greenhouse: h.client, memory: h.memory, audit: h.audit, clock: h.clock, settings, optOut });
const check = (applicationId: number) => checkOverrides(applicationId, deps());
const overridesOf = async (applicationId: number) => (await h.audit.list(entityKey('greenhouse', 'application', applicationId))).filter((e) => e.kind === 'ai-override');
const setScore = (applicationId: number, value: unknown) => h.admin('PATCH', `/applications/${applicationId}`, { custom_fields: [{ name_key: 'ai_fit_score', value }] });

describe('reviewer overrides of screening', () => {
  it('nothing changed since the AI wrote its score and tag → no override', async () => {
    await screen(APPLICATIONS.weak);
    expect(await check(APPLICATIONS.weak)).toEqual({ outcome: 'checked', overrides: [] });
    expect(await overridesOf(APPLICATIONS.weak)).toEqual([]);
  });

  it('a person changes the score field → one ai-override score-changed with the AI score and the new value; the same event again → nothing new', async () => {
    const aiScore = await screen(APPLICATIONS.strong);
    await setScore(APPLICATIONS.strong, 40);
    expect(await check(APPLICATIONS.strong)).toMatchObject({ outcome: 'checked', overrides: [{ kind: 'score-changed', aiScore, newValue: 40 }] });
    const [entry, ...more] = await overridesOf(APPLICATIONS.strong);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      kind: 'ai-override',
      entityKey: entityKey('greenhouse', 'application', APPLICATIONS.strong),
      detail: { workflow: 'overrides', applicationId: APPLICATIONS.strong, candidateId: CANDIDATES.strong, jobId: ENABLED_JOB, override: 'score-changed', aiScore, threshold: 50, newValue: 40 },
    });
    // No name of anyone in it: ids, kinds and numbers.
    expect(JSON.stringify(entry)).not.toMatch(/Avery|Quinn/);

    expect(await check(APPLICATIONS.strong)).toEqual({ outcome: 'checked', overrides: [] });
    await setScore(APPLICATIONS.strong, 55);
    expect(await check(APPLICATIONS.strong)).toEqual({ outcome: 'checked', overrides: [] });
    expect(await overridesOf(APPLICATIONS.strong)).toHaveLength(1);
  });

  it('a person removes the needs-review tag and moves the low-scored application forward → both kinds, once', async () => {
    const aiScore = await screen(APPLICATIONS.weak);
    expect(aiScore).toBeLessThan(50);
    await h.client.removeTag(CANDIDATES.weak, 'AI screening: needs review');
    await h.admin('POST', `/applications/${APPLICATIONS.weak}/move`, {});
    const outcome = await check(APPLICATIONS.weak);
    expect(outcome.outcome === 'checked' ? outcome.overrides.map((o) => o.kind) : outcome).toEqual(['needs-review-removed', 'advanced-below-threshold']);
    expect((await overridesOf(APPLICATIONS.weak)).map((e) => e.detail?.['override']).sort()).toEqual(['advanced-below-threshold', 'needs-review-removed']);

    await h.admin('POST', `/applications/${APPLICATIONS.weak}/move`, {});
    expect(await check(APPLICATIONS.weak)).toEqual({ outcome: 'checked', overrides: [] });
    expect(await overridesOf(APPLICATIONS.weak)).toHaveLength(2);
  });

  it('an application the bridge never screened → skipped after the memory check, nothing read from Greenhouse', async () => {
    h.sim.counts.reset();
    expect(await check(APPLICATIONS.weak)).toEqual({ outcome: 'skipped', reason: 'not-screened' });
    expect(h.sim.counts.snapshot()).toEqual({});
    expect(await overridesOf(APPLICATIONS.weak)).toEqual([]);
  });

  it('shadow mode wrote nothing a person could override → skipped', async () => {
    await screen(APPLICATIONS.strong);
    await setScore(APPLICATIONS.strong, 10);
    expect(await checkOverrides(APPLICATIONS.strong, { ...deps(), settings: screeningSettingsSchema.parse({ ...ASSIST, mode: 'shadow' }) })).toEqual({ outcome: 'skipped', reason: 'shadow' });
    expect(await overridesOf(APPLICATIONS.strong)).toEqual([]);
  });
});
