import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ValidationFailed } from '#core/api-errors';
import type { BeamerySimulator } from '#local/simulators/beamery/server';
import { readScenarioFile } from '#local/simulators/beamery/scenario';
import { DEFAULT_BEAMERY_SCENARIO_PATH } from '#local/simulators/beamery/paths';
import { clientFor, resetSimulator, startSimulator } from './harness.ts';

/**
 * The seed names the profile tags `tags`; no public source confirms the API name. The simulator can
 * call them `profileTags` instead (`fields.profileTags`), refusing the other name; the client follows
 * BEAMERY_PROFILE_TAGS_FIELD.
 */
const NEW_CONTACT = { firstName: 'Fictional', lastName: 'Tagged', primaryEmail: 'fictional.tagged@example.com' };

describe('where the profile tags live on a Beamery contact', () => {
  let sim: BeamerySimulator;

  beforeAll(async () => {
    sim = await startSimulator({ scenario: await readScenarioFile(DEFAULT_BEAMERY_SCENARIO_PATH) });
  });
  afterAll(() => sim.close());
  beforeEach(() => resetSimulator(sim));

  it('`tags` (the seed\'s name, simulator default): written, replaced and read apart from the global tags', async () => {
    const client = clientFor(sim);
    const { id } = await client.createContact({ ...NEW_CONTACT, profileTags: ['SRE', 'Referral'], tags: [{ id: 'g1', label: 'Talent Pool' }] });
    expect(await client.getContact(id)).toMatchObject({ profileTags: ['SRE', 'Referral'], tags: [{ id: 'g1', label: 'Talent Pool' }] });
    await client.updateContact(id, { profileTags: ['Kotlin'] });
    expect((await client.getContact(id))?.profileTags).toEqual(['Kotlin']);
  });

  it('`profileTags` on the tenant: today\'s default name is refused, the configured one works', async () => {
    sim.settings.update({ fields: { profileTags: 'profileTags' } });
    await expect(clientFor(sim).createContact({ ...NEW_CONTACT, profileTags: ['SRE'] })).rejects.toBeInstanceOf(ValidationFailed);
    const client = clientFor(sim, { profileTagsField: 'profileTags' });
    const { id } = await client.createContact({ ...NEW_CONTACT, profileTags: ['SRE'] });
    expect((await client.getContact(id))?.profileTags).toEqual(['SRE']);
  });
});
