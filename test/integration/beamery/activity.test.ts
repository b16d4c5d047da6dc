import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { ValidationFailed } from '#core/api-errors';
import { AttachmentRejected } from '#adapters/beamery/client';
import { BEAMERY_ATTACHMENT_MAX_BYTES } from '#core/beamery/records';
import type { BeamerySimulator } from '#local/simulators/beamery/server';
import type { SimClock } from '#local/simulators/shared/clock';
import { readScenarioFile } from '#local/simulators/beamery/scenario';
import { DEFAULT_BEAMERY_SCENARIO_PATH } from '#local/simulators/beamery/paths';
import { calls, clientFor, resetSimulator, startSimulator } from './harness.ts';

const AVERY = '0b7e1c9a-0000-4000-8000-000000000001';
const BLAKE = '0b7e1c9a-0000-4000-8000-000000000002';
const DREW_A = '0b7e1c9a-0000-4000-8000-000000000004';
const DREW_B = '0b7e1c9a-0000-4000-8000-000000000005';
const VACANCY = '8f0c1e2a-0000-4000-8000-000000000001';

describe('Beamery vacancies, stages, notes, attachments, users, merge and anonymize against the simulator', () => {
  let sim: BeamerySimulator;

  beforeAll(async () => {
    sim = await startSimulator({ scenario: await readScenarioFile(DEFAULT_BEAMERY_SCENARIO_PATH) });
  });
  afterAll(() => sim.close());
  beforeEach(() => resetSimulator(sim));

  describe('vacancies', () => {
    it('lists vacancies with their Greenhouse job id and ordered stages', async () => {
      const vacancies = [];
      for await (const v of clientFor(sim, { pageSize: 1 }).allVacancies()) vacancies.push(v);
      expect(vacancies.map((v) => v.title)).toEqual(['Talent Community (sourcing)', 'Senior Backend Engineer']);
      expect(vacancies[1]).toMatchObject({ greenhouseJobId: '4004001', salary: '90,000-110,000 EUR', remote: true });
      expect(vacancies[1]!.stages.map((s) => s.name)).toEqual(['Application Review', 'Phone Screen', 'Onsite', 'Offer']);
      expect(calls(sim, 'GET /v1/vacancies')).toBe(2);
    });

    it('creates and updates a vacancy; stage ids survive an update that keeps the stage names', async () => {
      const client = clientFor(sim);
      const { id } = await client.createVacancy({ title: 'Data Engineer', status: 'open', greenhouseJobId: '4004002', stages: [{ name: 'Screen' }, { name: 'Onsite' }] });
      const before = (await client.getVacancy(id))!;
      await client.updateVacancy(id, { title: 'Senior Data Engineer', stages: [{ name: 'Screen' }, { name: 'Take-home' }, { name: 'Onsite' }] });
      const after = (await client.getVacancy(id))!;
      expect(after).toMatchObject({ title: 'Senior Data Engineer', greenhouseJobId: '4004002' });
      expect(after.stages.find((s) => s.name === 'Onsite')!.id).toBe(before.stages.find((s) => s.name === 'Onsite')!.id);
      expect(await client.getVacancy('missing')).toBeNull();
    });

    it('adds a contact to a vacancy at a stage and moves the stage', async () => {
      const client = clientFor(sim);
      expect(await client.addContactToVacancy(BLAKE, VACANCY)).toMatchObject({ contactId: BLAKE, vacancyId: VACANCY, stage: { name: 'Application Review' } });
      expect(await client.moveContactStage(BLAKE, VACANCY, 'onsite')).toMatchObject({ stage: { name: 'Onsite' } });
      expect(await client.listContactVacancies(BLAKE)).toEqual([expect.objectContaining({ vacancyId: VACANCY, stage: expect.objectContaining({ name: 'Onsite' }) })]);
      expect(await client.removeContactFromVacancy(BLAKE, VACANCY)).toBe('done');
      expect(await client.listContactVacancies(BLAKE)).toEqual([]);
    });

    it('refuses a stage the vacancy does not have', async () => {
      expect(await clientFor(sim).moveContactStage(BLAKE, VACANCY, 'Hired').catch((e: unknown) => e)).toBeInstanceOf(ValidationFailed);
    });
  });

  describe('notes', () => {
    it('creates public and private notes and lists those created since a time', async () => {
      const client = clientFor(sim);
      const since = new Date(sim.clock.now()).toISOString();
      await client.createNote(AVERY, { text: 'Public fictional note', isPrivate: false });
      await client.createNote(AVERY, { text: 'Private fictional note', isPrivate: true, authorUserId: 'b2c3d4e5f6a7b8c9d0e1' });
      const notes = await client.listNotesSince(AVERY, since);
      expect(notes).toEqual([
        expect.objectContaining({ text: 'Public fictional note', isPrivate: false }),
        expect.objectContaining({ text: 'Private fictional note', isPrivate: true, authorUserId: 'b2c3d4e5f6a7b8c9d0e1' }),
      ]);
      expect(await client.listNotesSince(AVERY)).toHaveLength(3);
    });

    it('keeps a back-dated Greenhouse note at its original time', async () => {
      const client = clientFor(sim);
      await client.createNote(BLAKE, { text: 'Imported', isPrivate: true, occurredAt: '2026-01-02T03:04:05.000Z' });
      expect(await client.listNotesSince(BLAKE)).toEqual([expect.objectContaining({ createdAt: '2026-01-02T03:04:05.000Z' })]);
    });

    it('does not write a note twice when the answer to the write is lost', async () => {
      sim.overrides.add({ method: 'POST', path: '/v1/contact/:id/notes', when: 'after', status: 503 });
      await clientFor(sim).createNote(BLAKE, { text: 'Once only', isPrivate: false });
      expect(sim.state.notes.filter((n) => n.contactId === BLAKE)).toHaveLength(1);
    });
  });

  describe('attachments', () => {
    it('uploads an allowed file, base64 in JSON, and lists it', async () => {
      const client = clientFor(sim);
      const bytes = new TextEncoder().encode('%PDF-1.4 a fictional resume');
      const result = await client.uploadAttachment(AVERY, { fileName: 'Resume.PDF', bytes });
      expect(result).toEqual({ id: expect.any(String) });
      expect(sim.state.attachments[0]).toMatchObject({ fileName: 'Resume.PDF', contentType: 'application/pdf', size: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') });
      expect(await client.listAttachments(AVERY)).toEqual([expect.objectContaining({ fileName: 'Resume.PDF', sizeBytes: bytes.byteLength })]);
    });

    it.each([
      ['too-large', 'big.pdf', BEAMERY_ATTACHMENT_MAX_BYTES + 1],
      ['type-not-allowed', 'resume.exe', 10],
      ['type-not-allowed', 'no-extension', 10],
      ['empty', 'empty.txt', 0],
    ] as const)('refuses %s (%s) locally, before any request', async (reason, fileName, size) => {
      const client = clientFor(sim);
      const error = (await client.uploadAttachment(AVERY, { fileName, bytes: new Uint8Array(size) }).catch((e: unknown) => e)) as AttachmentRejected;
      expect(error).toBeInstanceOf(AttachmentRejected);
      expect(error.reason).toBe(reason);
      expect(sim.requests.total()).toBe(0);
    });

    it('uploads a file of exactly 25 MB', async () => {
      const result = await clientFor(sim).uploadAttachment(AVERY, { fileName: 'scan.tif', bytes: new Uint8Array(BEAMERY_ATTACHMENT_MAX_BYTES) });
      expect(result).not.toBe('unsupported');
      expect(sim.state.attachments[0]!.size).toBe(BEAMERY_ATTACHMENT_MAX_BYTES);
    });
  });

  it('lists users', async () => {
    const users = await clientFor(sim).listUsers();
    expect(users).toContainEqual({ id: 'b2c3d4e5f6a7b8c9d0e1', email: 'riley.recruiter@example.com', name: 'Riley Recruiter' });
    expect(users).toHaveLength(3);
  });

  it('merges two duplicates: the survivor lists the other, the other points at the survivor', async () => {
    const client = clientFor(sim);
    expect(await client.mergeContacts(DREW_B, DREW_A)).toBe('done');
    expect(await client.getContact(DREW_A)).toMatchObject({ mergedIntoId: DREW_B });
    expect(await client.getContact(DREW_B)).toMatchObject({ mergedFromIds: [DREW_A], phoneNumbers: ['+44 20 0000 0005'] });
    expect((await client.findContactsByEmail('drew.duplicate@example.com')).map((c) => c.id)).toEqual([DREW_B]);
  });

  it('refuses to merge contacts that carry different Greenhouse ids (S11)', async () => {
    sim.state.editContact(BLAKE, { integrations: { greenhouse: { id: '1' } } });
    expect(await clientFor(sim).mergeContacts(AVERY, BLAKE).catch((e: unknown) => e)).toBeInstanceOf(ValidationFailed);
  });

  it('anonymizes a contact: names gone, archived, out of search, still visible to polling', async () => {
    const client = clientFor(sim);
    const since = new Date(sim.clock.now()).toISOString();
    (sim.clock as SimClock).advance(1_000);
    expect(await client.anonymizeContact(BLAKE)).toBe('done');
    expect(await client.getContact(BLAKE)).toMatchObject({ anonymized: true, emails: ['blake.placeholder@example.com', 'blake.p@example.com'] });
    const changed = [];
    for await (const c of client.contactsUpdatedSince(since)) changed.push(c);
    expect(changed.map((c) => [c.id, c.anonymized])).toEqual([[BLAKE, true]]);
  });
});
