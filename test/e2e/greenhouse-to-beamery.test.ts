import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '#lambdas/config';
import { beameryClientFrom } from '#wiring/api-clients';
import type { DynamoDbAudit } from '#adapters/store/audit';
import type { DynamoDbIdMap } from '#adapters/store/id-map';
import type { Link } from '#core/sync/ports';
import type { LocalStack } from '#local/stack';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '#local/simulators/greenhouse/server';
import { callJson } from '../support/http.ts';
import { startE2eStack, type E2eStack } from '../support/e2e-stack.ts';
import { eventually, untilQuiet } from '../support/queues.ts';

/**
 * The Greenhouse → Beamery sync, rule by rule, end to end on the local stack: each scenario changes
 * something in the Greenhouse simulator (its admin API, as a recruiter in the UI, or its Harvest v3 API
 * for the writes Greenhouse fires no webhook for: notes, attachments, tags), the simulator sends its
 * signed webhook to the real ingest handler, the message goes through the FIFO queue to the real
 * consumer, and the assertions read what the Beamery simulator then holds (its admin state, in its
 * stored shape), the IdMap and the Audit table. Nothing calls the sync core directly.
 */
const SECRET = 'greenhouse-to-beamery-secret';
const WAIT = 15_000;

interface GreenhouseCreated {
  readonly candidate: { readonly id: number };
  readonly application: { readonly id: number } | null;
}

interface StoredValue {
  readonly value: string;
}

interface StoredContact {
  readonly id: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly primaryEmail?: string;
  readonly emails: StoredValue[];
  readonly primaryPhoneNumber?: string;
  readonly phoneNumbers: StoredValue[];
  readonly links: StoredValue[];
  readonly location?: Record<string, unknown>;
  readonly experience: { organisationName?: string; role?: string; current?: boolean }[];
  readonly globalTags: { id: string; value?: string }[];
  readonly tags: string[];
  readonly creationSource?: { value: string };
  readonly integrations?: { greenhouse?: { id?: string; url?: string } };
  readonly mergedIn?: string;
  readonly anonymized: boolean;
  readonly version: number;
  readonly updatedAt: string;
}

interface StoredVacancy {
  readonly id: string;
  readonly title: string;
  readonly status?: string;
  readonly description?: string;
  readonly salary?: string;
  readonly requisitionId?: string;
  readonly location?: Record<string, unknown>;
  readonly integrations?: { greenhouse?: { id?: string } };
  readonly stages: { id: string; name: string; order: number }[];
}

interface StoredMembership {
  readonly contactId: string;
  readonly vacancyId: string;
  readonly stageId: string | null;
  readonly rejectionReason?: string;
}

interface BeameryState {
  readonly contacts: StoredContact[];
  readonly vacancies: StoredVacancy[];
  readonly memberships: StoredMembership[];
  readonly notes: { contactId: string; text: string; private: boolean }[];
  readonly attachments: { contactId: string; fileName: string; size: number; sha256: string }[];
}

describe('Greenhouse → Beamery, end to end on the local stack', () => {
  let e2e: E2eStack;
  let stack: LocalStack;
  let dynamodb: DynamoDBClient;
  let sqs: SQSClient;
  let idMap: DynamoDbIdMap;
  let audit: DynamoDbAudit;
  let beameryOrigin: string;
  let harvestToken: string | undefined;

  beforeAll(async () => {
    e2e = await startE2eStack({ webhookSecret: SECRET, greenhouseRateLimit: 5_000 });
    ({ stack, dynamodb, sqs, idMap, audit, beameryOrigin } = e2e);
  }, 120_000);
  afterAll(async () => {
    await e2e?.stop();
  });

  // --- Driving the simulators ---------------------------------------------------------------------

  const call = callJson;

  /** What a recruiter does in Greenhouse's UI: each change fires the webhook Greenhouse fires for it. */
  const greenhouse = <T = unknown>(method: string, path: string, body?: unknown) => call<T>(stack.greenhouse, method, `/_admin${path}`, body);

  /** A Harvest v3 write: notes, attachments and applied tags fire no webhook in Greenhouse. */
  async function harvest<T = unknown>(method: string, path: string, body: unknown): Promise<T> {
    if (!harvestToken) {
      const basic = Buffer.from(`${DEFAULT_CLIENT_ID}:${DEFAULT_CLIENT_SECRET}`).toString('base64');
      const response = await fetch(`${stack.greenhouse}/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
      harvestToken = ((await response.json()) as { access_token: string }).access_token;
    }
    return call<T>(stack.greenhouse, method, path, body, { authorization: `Bearer ${harvestToken}` });
  }

  const beamery = <T = unknown>(method: string, path: string, body?: unknown) => call<T>(beameryOrigin, method, `/_admin${path}`, body);

  async function createCandidate(body: Record<string, unknown>): Promise<{ candidateId: number; applicationId: number | undefined }> {
    const created = await greenhouse<GreenhouseCreated>('POST', '/candidates', body);
    return { candidateId: created.candidate.id, applicationId: created.application?.id };
  }

  const person = (first: string, last: string, application: Record<string, unknown> = { job_id: 802 }, extra: Record<string, unknown> = {}) => ({
    first_name: first,
    last_name: last,
    email_addresses: [{ value: emailOf(first, last), type: 'personal' }],
    application,
    ...extra,
  });
  const emailOf = (first: string, last: string) => `${first}.${last}@g2b.example.test`.toLowerCase();

  // --- Reading the results --------------------------------------------------------------------------

  const beameryState = () => beamery<BeameryState>('GET', '/state');
  const storedContact = (id: string) => beamery<StoredContact>('GET', `/contacts/${id}`);
  const candidateKey = (id: number) => `greenhouse#candidate#${id}`;
  const idOf = (link: Link) => link.beameryKey.split('#')[2]!;

  /** The candidate's contact, once the consumer has linked one. */
  async function contactOf(candidateId: number): Promise<StoredContact> {
    const link = await eventually(async () => {
      const found = await idMap.byGreenhouse(candidateKey(candidateId));
      return found?.status === 'active' ? found : undefined;
    }, WAIT, `a contact linked to candidate ${candidateId}`);
    return storedContact(idOf(link));
  }

  /** Polls the contact until `check` holds. */
  async function contactWhen(contactId: string, check: (c: StoredContact) => boolean, what: string): Promise<StoredContact> {
    return eventually(async () => {
      const contact = await storedContact(contactId);
      return check(contact) ? contact : undefined;
    }, WAIT, what);
  }

  /** The contact's vacancy memberships, with stage names and the vacancies' Greenhouse job ids. */
  async function membershipsOf(contactId: string) {
    const state = await beameryState();
    return state.memberships
      .filter((m) => m.contactId === contactId)
      .map((m) => {
        const vacancy = state.vacancies.find((v) => v.id === m.vacancyId);
        return {
          vacancyId: m.vacancyId,
          jobId: vacancy?.integrations?.greenhouse?.id,
          stage: vacancy?.stages.find((s) => s.id === m.stageId)?.name,
          ...(m.rejectionReason !== undefined ? { rejectionReason: m.rejectionReason } : {}),
        };
      });
  }

  /** The contact's memberships once it is on a vacancy at all. */
  const onVacancies = (contactId: string) =>
    eventually(async () => {
      const found = await membershipsOf(contactId);
      return found.length > 0 ? found : undefined;
    }, WAIT, `contact ${contactId} on a vacancy`);

  const contactsWithEmail = async (email: string) =>
    (await beameryState()).contacts.filter((c) => c.emails.some((e) => e.value.toLowerCase() === email.toLowerCase()));
  const values = (list: StoredValue[]) => list.map((v) => v.value);
  // Greenhouse's tags are the contact's profile tags; the bridge's own (merge, deletion) are global tags (seed-contacts.test.ts tells them apart).
  const tagLabels = (contact: StoredContact) => [...contact.tags, ...contact.globalTags.map((t) => t.value)];

  const skipReasons = async (key: string) => (await audit.list(key)).filter((e) => e.kind === 'sync-skipped').map((e) => e.detail?.['reason']);
  async function skipped(key: string, reason: string, times = 1): Promise<void> {
    await eventually(async () => ((await skipReasons(key)).filter((r) => r === reason).length >= times ? true : undefined), WAIT, `${times} × ${reason} in Audit for ${key}`);
  }

  /**
   * Every webhook delivered and the sync queue empty for a while: the consumer is idle, so what
   * Beamery holds now is what it will hold. For the assertions that something did not happen.
   */
  async function settled(): Promise<void> {
    await greenhouse('POST', '/webhooks/settle');
    await untilQuiet(sqs, [stack.resources.queues['greenhouse-changes'].url], 750, WAIT);
  }

  // --- The rules ------------------------------------------------------------------------------------

  describe('create → contact with the mapped fields', () => {
    it('creates one contact with every mapped field group, creation source Greenhouse, the Greenhouse id and URL, on the job’s vacancy and stage', async () => {
      const { candidateId } = await createCandidate({
        first_name: 'Ada',
        last_name: 'Quartermain',
        company: 'Lumen Works',
        title: 'Site Reliability Engineer',
        email_addresses: [
          { value: 'ada.quartermain@g2b.example.test', type: 'personal' },
          { value: 'ada@lumen.example.test', type: 'work' },
        ],
        phone_numbers: [
          { value: '+44 20 5550 0101', type: 'mobile' },
          { value: '+44 20 5550 0102', type: 'work' },
        ],
        addresses: [{ value: '1 Example Street, London', type: 'home' }],
        website_addresses: [{ value: 'https://ada.example.test', type: 'personal' }],
        social_media_addresses: [{ value: 'https://social.example.test/@adaq' }],
        tags: ['SRE', 'Referral'],
        application: { job_id: 801 },
      });
      const contact = await contactOf(candidateId);
      expect(contact).toMatchObject({
        firstName: 'Ada',
        lastName: 'Quartermain',
        primaryEmail: 'ada.quartermain@g2b.example.test',
        primaryPhoneNumber: '+44 20 5550 0101',
        location: { address: '1 Example Street, London' },
        experience: [{ organisationName: 'Lumen Works', role: 'Site Reliability Engineer', current: true }],
        creationSource: { value: 'Greenhouse' },
        integrations: { greenhouse: { id: String(candidateId), url: `https://app.greenhouse.io/people/${candidateId}` } },
        anonymized: false,
      });
      expect(values(contact.emails)).toEqual(['ada.quartermain@g2b.example.test', 'ada@lumen.example.test']);
      expect(values(contact.phoneNumbers)).toEqual(['+44 20 5550 0101', '+44 20 5550 0102']);
      expect(values(contact.links)).toEqual(['https://ada.example.test', 'https://social.example.test/@adaq']);
      expect(tagLabels(contact)).toEqual(['Referral', 'SRE']);

      // The job had no vacancy yet: the same message synced the job, then put the contact on its vacancy.
      const memberships = await onVacancies(contact.id);
      expect(memberships).toEqual([{ vacancyId: expect.any(String), jobId: '801', stage: 'Application Review' }]);

      // Read back through the bridge's own Beamery client: one contact for the address, carrying the id.
      const found = await beameryClientFrom(readConfig(), { dynamodb }).findContactsByEmail('ada@lumen.example.test');
      expect(found.map((c) => [c.id, c.greenhouseCandidateId, c.creationSource])).toEqual([[contact.id, String(candidateId), 'Greenhouse']]);
    });
  });

  describe('update → propagated', () => {
    it('carries a rename, a replaced tag set and a stage move to the same contact', async () => {
      const { candidateId, applicationId } = await createCandidate(person('Bruno', 'Vale', { job_id: 801 }, { tags: ['Go'] }));
      const contact = await contactOf(candidateId);
      await onVacancies(contact.id);

      await greenhouse('PATCH', `/candidates/${candidateId}`, { last_name: 'Valente', tags: ['Rust'] });
      await greenhouse('POST', `/applications/${applicationId}/move`, {});
      const updated = await contactWhen(contact.id, (c) => c.lastName === 'Valente' && tagLabels(c).includes('Rust'), 'the rename and the new tag');
      expect(tagLabels(updated)).toEqual(['Rust']);
      await eventually(async () => ((await membershipsOf(contact.id))[0]?.stage === 'Preliminary Phone Screen' ? true : undefined), WAIT, 'the stage move');
      expect(await membershipsOf(contact.id)).toEqual([expect.objectContaining({ jobId: '801', stage: 'Preliminary Phone Screen' })]);
      expect(await contactsWithEmail(emailOf('Bruno', 'Vale'))).toHaveLength(1);
    });
  });

  describe('private candidates', () => {
    it('does not create a candidate that is private at first sight', async () => {
      const { candidateId } = await createCandidate(person('Cleo', 'Shade', { job_id: 802 }, { is_private: true }));
      await skipped(candidateKey(candidateId), 'private-at-first-sight');
      await settled();
      expect(await idMap.byGreenhouse(candidateKey(candidateId))).toBeUndefined();
      expect(await contactsWithEmail(emailOf('Cleo', 'Shade'))).toEqual([]);
    });

    it('stops the updates of a linked candidate once made private', async () => {
      const { candidateId } = await createCandidate(person('Dario', 'Lumen', { job_id: 802 }, { title: 'Analyst' }));
      const contact = await contactOf(candidateId);
      await onVacancies(contact.id);
      await settled();
      const before = await storedContact(contact.id);

      await greenhouse('PATCH', `/candidates/${candidateId}`, { is_private: true, title: 'Hidden Title' });
      await skipped(candidateKey(candidateId), 'private-updates-blocked');
      await greenhouse('PATCH', `/candidates/${candidateId}`, { title: 'Also Hidden', tags: ['Secret'] });
      await skipped(candidateKey(candidateId), 'private-updates-blocked', 2);
      await settled();
      const after = await storedContact(contact.id);
      expect(after.experience).toEqual([expect.objectContaining({ role: 'Analyst' })]);
      expect(tagLabels(after)).toEqual([]);
      expect(after).toMatchObject({ version: before.version, updatedAt: before.updatedAt });
      expect(await idMap.byGreenhouse(candidateKey(candidateId))).toMatchObject({ status: 'active', beameryKey: `beamery#contact#${contact.id}` });
    });
  });

  describe('confidential job', () => {
    it('with the default configuration, syncs a confidential job’s vacancy and puts its applicants on it', async () => {
      // The seed's default imports confidential candidates as ordinary contacts; blocking them is opt-in.
      expect(readConfig().sync.excludeConfidentialJobs).toBe(false);
      const job = await greenhouse<{ id: number }>('POST', '/jobs', { name: 'Stealth Project Lead', confidential: true, stages: ['Application Review', 'Offer'] });
      const { candidateId } = await createCandidate(person('Esme', 'Hollis', { job_id: job.id }));
      const contact = await contactOf(candidateId);
      const memberships = await onVacancies(contact.id);
      expect(memberships).toEqual([expect.objectContaining({ jobId: String(job.id), stage: 'Application Review' })]);
      const link = await idMap.byGreenhouse(`greenhouse#job#${job.id}`);
      expect(link).toMatchObject({ status: 'active', beameryKey: `beamery#vacancy#${memberships[0]!.vacancyId}` });
      const vacancy = (await beameryState()).vacancies.find((v) => v.id === memberships[0]!.vacancyId);
      // Seed "Privacy (visibility) ← Confidential": without the exclusion the vacancy is private.
      expect(vacancy).toMatchObject({ title: 'Stealth Project Lead', status: 'Open', visibility: 'private' });
    });
  });

  describe('duplicate email', () => {
    it('links and updates the one Beamery contact with that email and no Greenhouse id, creating none', async () => {
      const email = emailOf('Farah', 'Ng');
      const existing = await beamery<StoredContact>('POST', '/contacts', { firstName: 'F.', lastName: 'Ng', primaryEmail: email, emails: [email] });
      const { candidateId } = await createCandidate(person('Farah', 'Ng', { job_id: 802 }, { title: 'Data Engineer' }));

      const link = await eventually(async () => idMap.byGreenhouse(candidateKey(candidateId)), WAIT, 'the link');
      expect(link.beameryKey).toBe(`beamery#contact#${existing.id}`);
      const updated = await contactWhen(existing.id, (c) => c.integrations?.greenhouse?.id === String(candidateId) && c.firstName === 'Farah', 'the existing contact taken over');
      expect(updated.experience).toEqual([expect.objectContaining({ role: 'Data Engineer' })]);
      // Creation source belongs to whoever created the contact: a take-over does not rewrite it.
      expect(updated.creationSource).toBeUndefined();
      await settled();
      expect((await contactsWithEmail(email)).map((c) => c.id)).toEqual([existing.id]);
    });

    it('creates a new contact when the email’s contact carries another Greenhouse id, leaving that one untouched', async () => {
      const email = emailOf('Gus', 'Moreau');
      const other = await beamery<StoredContact>('POST', '/contacts', {
        firstName: 'Gustave',
        lastName: 'Moreau',
        primaryEmail: email,
        emails: [email],
        integrations: { greenhouse: { id: '777001' } },
      });
      const { candidateId } = await createCandidate(person('Gus', 'Moreau', { job_id: 802 }));
      const contact = await contactOf(candidateId);
      expect(contact.id).not.toBe(other.id);
      expect(contact).toMatchObject({ firstName: 'Gus', integrations: { greenhouse: { id: String(candidateId) } }, creationSource: { value: 'Greenhouse' } });
      await settled();
      const untouched = await storedContact(other.id);
      expect(untouched).toMatchObject({ firstName: 'Gustave', integrations: { greenhouse: { id: '777001' } }, version: other.version, updatedAt: other.updatedAt });
      expect(await membershipsOf(other.id)).toEqual([]);
      expect((await contactsWithEmail(email)).map((c) => c.id).sort()).toEqual([contact.id, other.id].sort());
    });
  });

  describe('prospect', () => {
    it('creates a prospect (no job) as a contact on no vacancy', async () => {
      const { candidateId } = await createCandidate(person('Hana', 'Ito', { prospect: true, job_ids: [802] }, { tags: ['Talent Pool'] }));
      const contact = await contactOf(candidateId);
      expect(contact).toMatchObject({ firstName: 'Hana', creationSource: { value: 'Greenhouse' } });
      expect(tagLabels(contact)).toEqual(['Talent Pool']);
      await settled();
      expect(await membershipsOf(contact.id)).toEqual([]);
    });
  });

  describe('rejection reason', () => {
    it('carries the rejection reason of a rejected application to its vacancy membership; the stage stays', async () => {
      const { candidateId, applicationId } = await createCandidate(person('Ivo', 'Brandt', { job_id: 802 }));
      const contact = await contactOf(candidateId);
      await onVacancies(contact.id);

      // 602 "Hired another candidate" (scenarios/greenhouse/default.json). Seed: the rejection reason "is a
      // field on the application in Beamery": the simulator keeps it on the membership (`rejectionReason`).
      await greenhouse('POST', `/applications/${applicationId}/reject`, { rejection_reason_id: 602 });
      await settled();
      expect(await membershipsOf(contact.id)).toEqual([
        expect.objectContaining({ jobId: '802', stage: 'Application Review', rejectionReason: 'Hired another candidate' }),
      ]);
    });
  });

  describe('notes once', () => {
    it('copies a note added in Greenhouse as one private note, at the next reconcile, and never again', async () => {
      const { candidateId } = await createCandidate(person('Jonas', 'Weir', { job_id: 802 }, { title: 'Title 0' }));
      const contact = await contactOf(candidateId);
      await onVacancies(contact.id);
      await settled();
      await harvest('POST', '/v3/notes', { candidate_id: candidateId, body: 'Met at the meetup; keen on data platforms.', visibility: 'public', user_id: 302 });
      await settled();
      // Greenhouse fires no webhook for a note: nothing reaches Beamery until the candidate is reconciled again.
      expect((await beameryState()).notes.filter((n) => n.contactId === contact.id)).toEqual([]);

      for (const title of ['Title 1', 'Title 2', 'Title 3']) {
        await greenhouse('PATCH', `/candidates/${candidateId}`, { title });
        await contactWhen(contact.id, (c) => c.experience[0]?.role === title, `the title ${title}`);
      }
      await settled();
      const notes = (await beameryState()).notes.filter((n) => n.contactId === contact.id);
      expect(notes).toEqual([expect.objectContaining({ private: true })]);
      expect(notes[0]!.text).toContain('Met at the meetup; keen on data platforms.');
      expect(notes[0]!.text).toMatch(/^Greenhouse note by Mira Kestrel/);
    });
  });

  describe('attachments once', () => {
    it('copies the resume once, byte for byte, and leaves other attachment types in Greenhouse', async () => {
      const { candidateId, applicationId } = await createCandidate(person('Kira', 'Vance', { job_id: 802 }, { title: 'Title 0' }));
      const contact = await contactOf(candidateId);
      await onVacancies(contact.id);
      await settled();
      const resume = Buffer.from('%PDF-1.4\n% Kira Vance (fictional) resume\n');
      await harvest('POST', '/v3/attachments', { application_id: applicationId, filename: 'kira-vance-resume.pdf', type: 'resume', content: resume.toString('base64'), content_type: 'application/pdf' });
      await harvest('POST', '/v3/attachments', { application_id: applicationId, filename: 'take-home.pdf', type: 'take_home_test', content: Buffer.from('%PDF-1.4 homework').toString('base64'), content_type: 'application/pdf' });
      await settled();
      // No webhook announces an upload either: the files wait for the candidate's next reconcile.
      expect((await beameryState()).attachments.filter((a) => a.contactId === contact.id)).toEqual([]);

      for (const title of ['Title 1', 'Title 2', 'Title 3']) {
        await greenhouse('PATCH', `/candidates/${candidateId}`, { title });
        await contactWhen(contact.id, (c) => c.experience[0]?.role === title, `the title ${title}`);
      }
      await settled();
      const attachments = (await beameryState()).attachments.filter((a) => a.contactId === contact.id);
      expect(attachments).toEqual([
        expect.objectContaining({ fileName: 'kira-vance-resume.pdf', size: resume.byteLength, sha256: createHash('sha256').update(resume).digest('hex') }),
      ]);
    });
  });

  describe('bulk tag found by reconciliation', () => {
    it('a tag applied without a webhook reaches Beamery through the candidates poller', async () => {
      const people = [
        await createCandidate(person('Lior', 'Adler', { prospect: true }, { tags: ['Python'] })),
        await createCandidate(person('Mona', 'Reyes', { prospect: true })),
      ];
      const contacts = await Promise.all(people.map((p) => contactOf(p.candidateId)));
      await settled();
      const deliveriesBefore = (await greenhouse<unknown[]>('GET', '/webhooks/deliveries')).length;

      // A bulk action in Greenhouse fires no webhook; applied tags through Harvest fire none either.
      const tag = await harvest<{ id: number }>('POST', '/v3/candidate_tags', { name: 'Autumn Campaign' });
      for (const { candidateId } of people) await harvest('POST', '/v3/applied_candidate_tags', { candidate_id: candidateId, candidate_tag_id: tag.id });
      const taggedAt = Date.now();
      await settled();
      expect((await greenhouse<unknown[]>('GET', '/webhooks/deliveries')).length).toBe(deliveriesBefore);
      for (const contact of contacts) expect(tagLabels(await storedContact(contact.id))).not.toContain('Autumn Campaign');

      // The hourly candidates poller, run now (as its schedule would), with windows ending on whole seconds
      // instead of minutes so the window that ends after the tagging is due at once.
      await sleep(Math.max(0, taggedAt + 1_100 - Date.now()));
      const { handler: poll } = await import('#handlers/scheduled-runs');
      const summary = await poll({ poller: 'candidates', window: { alignSeconds: 1, firstRunLookbackSeconds: 60 } });
      expect(summary).toMatchObject({ poller: 'candidates', caughtUp: true });

      const [lior, mona] = await Promise.all(
        contacts.map((c) => contactWhen(c.id, (x) => tagLabels(x).includes('Autumn Campaign'), `the bulk tag on contact ${c.id}`)),
      );
      expect(tagLabels(lior!)).toEqual(['Autumn Campaign', 'Python']);
      expect(tagLabels(mona!)).toEqual(['Autumn Campaign']);
    });
  });

  describe('merge', () => {
    it('merges the two linked contacts in Beamery, the winner’s as primary, and moves the loser’s link', async () => {
      const winner = await createCandidate(person('Nadia', 'Kerr', { job_id: 802 }));
      const loser = await createCandidate(person('Nadia', 'Kerr-Duplicate', { prospect: true }));
      const [winnerContact, loserContact] = [await contactOf(winner.candidateId), await contactOf(loser.candidateId)];
      await settled();

      await greenhouse('POST', `/candidates/${winner.candidateId}/merge`, { duplicate_candidate_id: loser.candidateId });
      const merged = await contactWhen(loserContact.id, (c) => c.mergedIn !== undefined, 'the loser’s contact merged away');
      expect(merged.mergedIn).toBe(winnerContact.id);
      // The consumer merges in Beamery first and moves the link after: wait for the link, not only the contact.
      const moved = await eventually(async () => {
        const link = await idMap.byGreenhouse(candidateKey(loser.candidateId));
        return link?.status === 'merged-into' ? link : undefined;
      }, WAIT, 'the loser’s link moved');
      expect(moved).toMatchObject({
        status: 'merged-into',
        mergedInto: candidateKey(winner.candidateId),
        beameryKey: `beamery#contact#${loserContact.id}`,
      });
      expect(await idMap.byGreenhouse(candidateKey(winner.candidateId))).toMatchObject({ status: 'active', beameryKey: `beamery#contact#${winnerContact.id}` });
      // The survivor carries both addresses and stays on the winner's vacancy.
      const survivor = await contactWhen(winnerContact.id, (c) => values(c.emails).includes(emailOf('Nadia', 'Kerr-Duplicate')), 'the survivor with both addresses');
      expect(survivor.integrations?.greenhouse?.id).toBe(String(winner.candidateId));
      expect(await membershipsOf(winnerContact.id)).toEqual([expect.objectContaining({ jobId: '802' })]);
    });

    it('where Beamery refuses the merge, tags the loser’s contact and writes an operator task', async () => {
      const winner = await createCandidate(person('Oren', 'Pike', { job_id: 802 }));
      const loser = await createCandidate(person('Oren', 'Pike-Duplicate', { prospect: true }, { tags: ['Python'] }));
      const [winnerContact, loserContact] = [await contactOf(winner.candidateId), await contactOf(loser.candidateId)];
      await settled();

      // The tenant answers this one merge with 409 (its rules forbid it). A tenant without the merge API
      // at all takes the same path (integration test); switching the capability off here would not be
      // seen: the consumer's client has already learned that this tenant merges.
      await beamery('POST', '/overrides', { method: 'POST', path: '/v1/contacts/merge', status: 409, times: 1 });
      await greenhouse('POST', `/candidates/${winner.candidateId}/merge`, { duplicate_candidate_id: loser.candidateId });
      const tagged = await contactWhen(loserContact.id, (c) => tagLabels(c).includes('Merged in Greenhouse'), 'the loser’s contact tagged');
      expect(tagLabels(tagged)).toEqual(expect.arrayContaining(['Python', 'Merged in Greenhouse']));
      expect(tagged.mergedIn).toBeUndefined();
      const task = await eventually(
        async () => (await audit.list(candidateKey(loser.candidateId))).find((e) => e.kind === 'operator-task'),
        WAIT,
        'the operator task',
      );
      expect(task.detail).toMatchObject({ reason: 'merge-refused', loserContactId: loserContact.id, winnerContactId: winnerContact.id });
      await eventually(async () => ((await idMap.byGreenhouse(candidateKey(loser.candidateId)))?.status === 'merged-into' ? true : undefined), WAIT, 'the loser’s link moved');
      expect((await storedContact(winnerContact.id)).mergedIn).toBeUndefined();
    });
  });

  // saas-loop.test.ts covers the contact anonymized and a plain re-add refused; these are the rest of the rule.
  describe('anonymization then a re-add blocked', () => {
    it('blocks every later update of the anonymized candidate, keeps a re-added person out whatever the case of the address, and stores no plain address', async () => {
      const email = emailOf('Pia', 'Sorensen');
      const { candidateId } = await createCandidate(person('Pia', 'Sorensen', { job_id: 802 }, { title: 'Engineer' }));
      const contact = await contactOf(candidateId);
      await settled();

      await greenhouse('POST', `/candidates/${candidateId}/anonymize`, { fields: ['full_name', 'email_addresses', 'phone_numbers'] });
      await contactWhen(contact.id, (c) => c.anonymized, 'the contact anonymized');
      await eventually(async () => ((await idMap.byGreenhouse(candidateKey(candidateId)))?.status === 'anonymized' ? true : undefined), WAIT, 'the link marked anonymized');
      const anonymized = await storedContact(contact.id);

      // Greenhouse still lets the recruiter edit the anonymized candidate: nothing of it may reach Beamery.
      await greenhouse('PATCH', `/candidates/${candidateId}`, { title: 'Edited After', tags: ['Late'] });
      await skipped(candidateKey(candidateId), 'link-anonymized');

      const readded = await createCandidate(person('Pia', 'Sorensen', { job_id: 802 }, { email_addresses: [{ value: email.toUpperCase(), type: 'work' }] }));
      await skipped(candidateKey(readded.candidateId), 'anonymized-until-consent');
      await settled();
      expect(await storedContact(contact.id)).toMatchObject({ anonymized: true, version: anonymized.version, updatedAt: anonymized.updatedAt });
      expect((await contactsWithEmail(email)).filter((c) => !c.anonymized)).toEqual([]);
      expect(await idMap.byGreenhouse(candidateKey(readded.candidateId))).toBeUndefined();

      // The block is a keyed hash: the address itself is in none of the bridge's tables.
      const documents = DynamoDBDocumentClient.from(dynamodb);
      for (const table of [stack.resources.tables.ledger, stack.resources.tables['id-map'], stack.resources.tables.audit]) {
        const { Items = [] } = await documents.send(new ScanCommand({ TableName: table }));
        expect(JSON.stringify(Items).toLowerCase(), table).not.toContain(email);
      }
    });
  });

  describe('deletion', () => {
    it('marks the link deleted and keeps the contact, tagged, with its other tags', async () => {
      const { candidateId } = await createCandidate(person('Quinn', 'Astor', { job_id: 802 }, { tags: ['Keep Warm'] }));
      const contact = await contactOf(candidateId);
      await settled();

      await greenhouse('DELETE', `/candidates/${candidateId}`);
      const tagged = await contactWhen(contact.id, (c) => tagLabels(c).includes('Deleted in Greenhouse'), 'the contact tagged');
      expect(tagLabels(tagged)).toEqual(expect.arrayContaining(['Keep Warm', 'Deleted in Greenhouse']));
      expect(tagged).toMatchObject({ firstName: 'Quinn', anonymized: false, integrations: { greenhouse: { id: String(candidateId) } } });
      expect(values(tagged.emails)).toContain(emailOf('Quinn', 'Astor'));
      await eventually(async () => ((await idMap.byGreenhouse(candidateKey(candidateId)))?.status === 'deleted' ? true : undefined), WAIT, 'the link marked deleted');
      expect(await membershipsOf(contact.id)).toEqual([expect.objectContaining({ jobId: '802' })]);
    });
  });

  describe('vacancy mapping', () => {
    const vacancyOfJob = async (jobId: number) => {
      const link = await eventually(async () => idMap.byGreenhouse(`greenhouse#job#${jobId}`), WAIT, `a vacancy linked to job ${jobId}`);
      const vacancy = (await beameryState()).vacancies.find((v) => v.id === idOf(link));
      if (!vacancy) throw new Error(`the vacancy of job ${jobId} is not in Beamery`);
      return vacancy;
    };

    it('creates the vacancy of a new job with the requisition id `<Requisition ID>-<Job ID>` and the mapped fields', async () => {
      const job = await greenhouse<{ id: number }>('POST', '/jobs', {
        name: 'Platform Engineer',
        requisition_id: 'REQ-4242',
        notes: '<p>Runs the platform.</p>',
        department_id: 101,
        office_ids: [201, 203],
        custom_fields: { salary: { name: 'Salary', type: 'short_text', value: 'EUR 90k' } },
        stages: ['Application Review', 'Systems Interview', 'Offer'],
      });
      const vacancy = await vacancyOfJob(job.id);
      expect(vacancy).toMatchObject({
        title: 'Platform Engineer',
        requisitionId: `REQ-4242-${job.id}`,
        integrations: { greenhouse: { id: String(job.id) } },
        status: 'Open',
        description: '<p>Runs the platform.</p>',
        location: { address: 'Berlin; Remote' },
        salary: 'EUR 90k',
      });
      expect(vacancy.stages.map((s) => s.name)).toEqual(['Application Review', 'Systems Interview', 'Offer']);
    });

    it('sends no requisition id for a job without one (Beamery generates its own), keeping the job id on the vacancy', async () => {
      const job = await greenhouse<{ id: number }>('POST', '/jobs', { name: 'Support Engineer', stages: ['Application Review', 'Offer'] });
      const vacancy = await vacancyOfJob(job.id);
      expect(vacancy).toMatchObject({ title: 'Support Engineer', integrations: { greenhouse: { id: String(job.id) } }, status: 'Open' });
      expect(vacancy.requisitionId).toBeUndefined();

      // A requisition id given later in Greenhouse reaches the vacancy in the `<Requisition ID>-<Job ID>` form.
      await greenhouse('PATCH', `/jobs/${job.id}`, { requisition_id: 'REQ-77' });
      await eventually(async () => ((await vacancyOfJob(job.id)).requisitionId === `REQ-77-${job.id}` ? true : undefined), WAIT, 'the requisition id');
    });
  });
});
