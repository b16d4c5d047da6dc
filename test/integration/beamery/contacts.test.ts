import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BeamerySimulator } from '#local/simulators/beamery/server';
import { readScenarioFile } from '#local/simulators/beamery/scenario';
import { DEFAULT_BEAMERY_SCENARIO_PATH } from '#local/simulators/beamery/paths';
import type { BeameryContact } from '#core/beamery/records';
import { calls, clientFor, collect, resetSimulator, startSimulator } from './harness.ts';

const AVERY = '0b7e1c9a-0000-4000-8000-000000000001';

/** Avery of the default scenario, as the bridge should see her whatever shape Beamery answers in. */
const AVERY_CANONICAL = {
  id: AVERY,
  firstName: 'Avery',
  lastName: 'Example',
  fullName: 'Avery Example',
  primaryEmail: 'avery.example@example.com',
  emails: ['avery.example@example.com'],
  primaryPhoneNumber: '+351 210 000 001',
  phoneNumbers: ['+351 210 000 001'],
  links: ['https://www.linkedin.com/in/avery-example-0001'],
  location: { city: 'Porto', country: 'Portugal', countryCode: 'PT' },
  currentRole: { title: 'Backend Engineer', company: 'Sample Systems' },
  experience: [{ company: 'Sample Systems', title: 'Backend Engineer', current: true }],
  tags: [{ id: '0f0e0d0c0b0a09080706050403020100', label: 'Talent Community' }],
  profileTags: [],
  customFields: [],
  assignedToUserId: 'b2c3d4e5f6a7b8c9d0e1',
  statusLabel: 'Engaged',
  creationSource: 'greenhouse',
  greenhouseCandidateId: '60300001',
  mergedFromIds: [],
  anonymized: false,
  createdAt: '2026-11-02T10:00:00.000Z',
  updatedAt: '2026-11-12T10:00:00.000Z',
};

describe('Beamery contacts against the simulator', () => {
  let sim: BeamerySimulator;

  beforeAll(async () => {
    sim = await startSimulator({ scenario: await readScenarioFile(DEFAULT_BEAMERY_SCENARIO_PATH) });
  });
  afterAll(() => sim.close());
  beforeEach(() => resetSimulator(sim));

  describe.each([
    ['documented', 'updatedAt', 'objects'],
    ['documented', 'updatedTime', 'strings'],
    ['documented', 'updatedAt', 'keyed'],
    ['code', 'updatedAt', 'objects'],
    ['code', 'updatedTime', 'objects'],
    ['code', 'updatedTime', 'strings'],
    ['code', 'updatedAt', 'keyed'],
  ] as const)('with the %s envelope, %s timestamps and identity lists as %s', (envelope, timestamps, listValues) => {
    beforeEach(() => {
      sim.settings.update({ wire: { envelope, timestamps, listValues } });
    });

    it('reads the same canonical contact by email search and by id', async () => {
      const client = clientFor(sim);
      const [found] = await client.findContactsByEmail('AVERY.EXAMPLE@example.com');
      expect(found).toEqual(AVERY_CANONICAL);
      expect(await client.getContact(AVERY)).toEqual(AVERY_CANONICAL);
    });

    it('pages through every updated contact exactly once', async () => {
      sim.state.clear();
      await sim.app.inject({ method: 'POST', url: '/_admin/seed', payload: { generate: { contacts: 250, seed: 3, spreadMinutes: 60 } } });
      const client = clientFor(sim);
      const since = new Date(sim.clock.now() - 2 * 3_600_000).toISOString();
      const contacts = await collect(client.contactsUpdatedSince(since));
      expect(new Set(contacts.map((c) => c.id)).size).toBe(250);
      expect(contacts).toHaveLength(250);
      // 100 per page (Beamery's maximum), so three list calls.
      expect(calls(sim, 'GET /v1/contacts')).toBe(3);
    });
  });

  it('keeps the raw payload for debugging but out of JSON', async () => {
    const contact = (await clientFor(sim).getContact(AVERY))!;
    expect((contact.raw as { firstName: string }).firstName).toBe('Avery');
    expect(JSON.stringify(contact)).not.toContain('"raw"');
  });

  it('answers null for a contact that does not exist', async () => {
    expect(await clientFor(sim).getContact('no-such-contact')).toBeNull();
  });

  it('polls only contacts changed at or after the watermark, including a recruiter edit in Beamery', async () => {
    const client = clientFor(sim);
    const watermark = new Date(sim.clock.now()).toISOString();
    expect(await collect(client.contactsUpdatedSince(watermark))).toEqual([]);

    await sim.app.inject({ method: 'POST', url: '/_admin/clock/advance', payload: { seconds: 5 } });
    const edit = await sim.app.inject({ method: 'PATCH', url: `/_admin/contacts/${AVERY}`, payload: { lastName: 'Renamed' } });
    expect(edit.statusCode).toBe(200);

    const changed = await collect(client.contactsUpdatedSince(watermark));
    expect(changed.map((c) => [c.id, c.lastName])).toEqual([[AVERY, 'Renamed']]);
    expect(Date.parse(changed[0]!.updatedAt!)).toBeGreaterThan(Date.parse(watermark));
  });

  it('does not yield one change twice when a contact starts matching in the middle of a scan', async () => {
    sim.state.clear();
    await sim.app.inject({ method: 'POST', url: '/_admin/seed', payload: { generate: { contacts: 150, seed: 9, spreadMinutes: 10 } } });
    const client = clientFor(sim, { pageSize: 50 });
    const since = new Date(sim.clock.now() - 30 * 60_000).toISOString();
    const oldest = [...sim.state.contacts.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0]!;
    // An old contact, not yet matching, that sorts first by creation time.
    oldest.updatedAt = oldest.createdAt = new Date(sim.clock.now() - 24 * 3_600_000).toISOString();

    const seen: BeameryContact[] = [];
    for await (const contact of client.contactsUpdatedSince(since)) {
      seen.push(contact);
      // After the first page, the old contact is edited: it now matches and shifts every later page right by one.
      if (seen.length === 50) sim.state.editContact(oldest.id, { headline: 'edited mid-scan' });
    }
    const keys = seen.map((c) => `${c.id}@${c.updatedAt}`);
    expect(new Set(keys).size).toBe(keys.length);
    // Nothing was skipped: all 149 that matched from the start were seen.
    expect(new Set(seen.map((c) => c.id)).size).toBeGreaterThanOrEqual(149);
  });

  it('creates a contact with the Greenhouse id in integrations and reads it back', async () => {
    const client = clientFor(sim);
    const { id } = await client.createContact({
      firstName: 'Eli',
      lastName: 'Example',
      primaryEmail: 'eli.example@example.com',
      phoneNumbers: ['+1 555 0100'],
      links: ['https://github.com/eli-example'],
      currentRole: { title: 'SRE', company: 'Example Corp' },
      tags: [{ id: 'aa'.repeat(16), label: 'From Greenhouse' }],
      greenhouseCandidateId: '60300999',
      greenhouseProfileUrl: 'https://app.greenhouse.io/people/60300999',
    });
    const stored = sim.state.contacts.get(id)!;
    expect(stored.integrations).toEqual({ greenhouse: { id: '60300999', url: 'https://app.greenhouse.io/people/60300999' } });
    const read = (await client.getContact(id))!;
    expect(read).toMatchObject({ greenhouseCandidateId: '60300999', emails: ['eli.example@example.com'], currentRole: { title: 'SRE', company: 'Example Corp' } });
  });

  it('updates partially: phone numbers are added, custom fields replaced as a whole (the simulated semantics)', async () => {
    const client = clientFor(sim);
    await client.updateContact(AVERY, { phoneNumbers: ['+351 210 000 999'], customFields: [{ id: 'cf-1', value: 'a' }, { id: 'cf-2', value: 'b' }] });
    await client.updateContact(AVERY, { customFields: [{ id: 'cf-2', value: 'c' }] });
    const read = (await client.getContact(AVERY))!;
    expect(read.phoneNumbers).toEqual(['+351 210 000 001', '+351 210 000 999']);
    expect(read.customFields).toEqual([{ id: 'cf-2', value: 'c' }]);
    expect(read.firstName).toBe('Avery');
  });

  it('never sends an empty custom field list (it could blank the existing values)', async () => {
    const client = clientFor(sim);
    await client.updateContact(AVERY, { customFields: [{ id: 'cf-1', value: 'keep' }] });
    await client.updateContact(AVERY, { customFields: [], lastName: 'Still' });
    expect((await client.getContact(AVERY))!.customFields).toEqual([{ id: 'cf-1', value: 'keep' }]);
  });

  it('keeps other custom fields when the Greenhouse id lives in a custom field', async () => {
    const client = clientFor(sim, { greenhouseIdField: { kind: 'custom-field', fieldId: 'cf-greenhouse' } });
    await client.updateContact(AVERY, { customFields: [{ id: 'cf-consent', value: 'yes' }] });
    await client.updateContact(AVERY, { greenhouseCandidateId: '60300001' });
    const read = (await client.getContact(AVERY))!;
    expect(read.customFields).toEqual([
      { id: 'cf-consent', value: 'yes' },
      { id: 'cf-greenhouse', value: '60300001' },
    ]);
    expect(read.greenhouseCandidateId).toBe('60300001');
  });

  it('reads an anonymized contact as anonymized and drops it from email search', async () => {
    sim.state.anonymizeContact(AVERY);
    const client = clientFor(sim);
    const read = (await client.getContact(AVERY))!;
    expect(read).toMatchObject({ anonymized: true, greenhouseCandidateId: '60300001' });
    expect(read.firstName).toBeUndefined();
    expect(await client.findContactsByEmail('avery.example@example.com')).toEqual([]);
  });
});
