import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbAudit } from '#adapters/store/audit';
import type { DynamoDbIdMap } from '#adapters/store/id-map';
import { LOCAL_BEAMERY_PUSH_API_KEY } from '#local/defaults';
import { ENV } from '#lambdas/config';
import type { LocalStack } from '#local/stack';
import { callJson } from '../support/http.ts';
import { isRateLimitedRun } from '#core/sync/scheduled-runs';
import { runScheduled, startE2eStack, type E2eStack } from '../support/e2e-stack.ts';
import { eventually, queueDepth } from '../support/queues.ts';

/**
 * The Beamery → Greenhouse sync, end to end on the local stack: contacts are created and edited in the
 * Beamery simulator (its admin API, as a recruiter in the UI; its v1 API for notes and anonymization),
 * pushed through POST /beamery/push or found by the Beamery poller (run with
 * `schedules.trigger('beamery')`), reconciled by the real beamery-changes consumer, and the assertions
 * read the Greenhouse simulator's state and request counts, the IdMap and the Audit table. The
 * Greenhouse webhooks our writes cause come back through the real ingest handler and the
 * greenhouse-changes consumer, so echoes are real.
 */
const SECRET = 'beamery-to-greenhouse-secret';
const WAIT = 15_000;
const CONSENT = { status: 'work_remotely', lastConsentDate: 'desired_salary' } as const;
// 40 edits show a write per edit and no echo as well as 100 do; B2G_LOOP_EDITS=100 (or more) for a longer soak.
const LOOP_EDITS = Number(process.env['B2G_LOOP_EDITS'] ?? 40);

interface GhTyped {
  readonly value: string;
  readonly type?: string;
}
interface GhCandidate {
  readonly id: number;
  readonly first_name: string;
  readonly last_name: string;
  readonly title: string | null;
  readonly company: string | null;
  readonly email_addresses: GhTyped[];
  readonly phone_numbers: GhTyped[];
  readonly website_addresses: GhTyped[];
  readonly social_media_addresses: { value: string }[];
  readonly tags?: string[];
  readonly custom_fields?: Record<string, { value: unknown } | undefined>;
}
interface GhApplication {
  readonly id: number;
  readonly candidate_id: number;
  readonly job_id: number | null;
  readonly prospect: boolean;
  readonly referrer_id?: number | null;
}
interface GhNote {
  readonly candidate_id: number;
  readonly body: string;
  readonly visibility: string;
}
interface StoredContact {
  readonly id: string;
  readonly experience: { organisationName?: string; role?: string; current?: boolean }[];
  readonly updatedAt: string;
}

describe('Beamery → Greenhouse, end to end on the local stack', () => {
  let e2e: E2eStack;
  let stack: LocalStack;
  let dynamodb: DynamoDBClient;
  let sqs: SQSClient;
  let idMap: DynamoDbIdMap;
  let audit: DynamoDbAudit;
  let beameryOrigin: string;
  let beameryToken: string | undefined;
  let seq = 0;

  beforeAll(async () => {
    // Consent synced into two of the default scenario's candidate custom fields (it has no consent fields).
    process.env[ENV.consentStatusField] = CONSENT.status;
    process.env[ENV.consentDateField] = CONSENT.lastConsentDate;
    e2e = await startE2eStack({ webhookSecret: SECRET, pollIntervalMs: 0, greenhouseRateLimit: 50_000 });
    ({ stack, dynamodb, sqs, idMap, audit, beameryOrigin } = e2e);
  }, 120_000);
  afterAll(async () => {
    await e2e?.stop();
  });

  // --- Driving the simulators ---------------------------------------------------------------------

  const call = callJson;

  const greenhouse = <T = unknown>(method: string, path: string, body?: unknown) => call<T>(stack.greenhouse, method, `/_admin${path}`, body);
  const beamery = <T = unknown>(method: string, path: string, body?: unknown) => call<T>(beameryOrigin, method, `/_admin${path}`, body);

  /** Beamery's v1 API (notes, anonymize: no admin door), with a token minted from the simulator's credentials. */
  async function beameryApi<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    if (!beameryToken) {
      const settings = await beamery<{ credentials: { clientId: string; clientSecret: string } }>('GET', '/settings');
      const minted = await call<{ access_token: string }>(beameryOrigin, 'POST', '/v1/oauth/token', settings.credentials);
      beameryToken = minted.access_token;
    }
    return call<T>(beameryOrigin, method, `/v1${path}`, body, { authorization: `Bearer ${beameryToken}` });
  }

  /** A contact created in the Beamery UI, with a unique email. */
  async function createContact(first: string, last: string, extra: Record<string, unknown> = {}): Promise<{ id: string; email: string }> {
    const email = `${first}.${last}.${++seq}@b2g.example.test`.toLowerCase();
    const contact = await beamery<{ id: string }>('POST', '/contacts', { firstName: first, lastName: last, primaryEmail: email, emails: [email], ...extra });
    return { id: contact.id, email };
  }

  async function push(...contactIds: string[]): Promise<void> {
    const reply = await fetch(stack.pushUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${LOCAL_BEAMERY_PUSH_API_KEY}` },
      body: JSON.stringify({ contactIds }),
    });
    expect(reply.status, await reply.clone().text()).toBe(202);
  }

  /** One run of the Beamery poller, as the next scheduled tick would make it. */
  async function poll(): Promise<void> {
    const outcome = await runScheduled(stack.schedules, 'beamery');
    if (!outcome.ok || isRateLimitedRun(outcome.summary)) throw new Error(`the Beamery poll failed: ${outcome.ok ? 'still rate limited' : String(outcome.error)}`);
  }

  /** Every Greenhouse webhook delivered and both sync queues empty: the bridge is idle. */
  async function settled(): Promise<void> {
    const queues = [stack.resources.queues['greenhouse-changes'].url, stack.resources.queues['beamery-changes'].url];
    const empty = async () => {
      for (const queue of queues) {
        const depth = await queueDepth(sqs, queue);
        if (depth.visible + depth.inFlight > 0) return false;
      }
      return true;
    };
    await eventually(async () => {
      await greenhouse('POST', '/webhooks/settle');
      if (!(await empty())) return undefined;
      // A consumer's write may have fired a webhook after the first settle.
      await greenhouse('POST', '/webhooks/settle');
      return (await empty()) ? true : undefined;
    }, WAIT, 'the sync to go quiet');
  }

  /** Poll, and let everything it caused (including webhooks coming back) run. */
  async function pollAndSettle(): Promise<void> {
    await settled();
    await poll();
    await settled();
  }

  // --- Reading the results --------------------------------------------------------------------------

  const table = <T>(name: string) => greenhouse<T[]>('GET', `/state?table=${name}`);
  /** The candidate as the simulator stores it, with its tag names (kept in their own tables). */
  async function candidate(id: number): Promise<GhCandidate> {
    const [candidates, tags, applied] = await Promise.all([
      table<GhCandidate>('candidates'),
      table<{ id: number; name: string }>('candidate_tags'),
      table<{ candidate_id: number; candidate_tag_id: number }>('applied_candidate_tags'),
    ]);
    const found = candidates.find((c) => c.id === id);
    if (!found) throw new Error(`no Greenhouse candidate ${id}`);
    const names = applied.filter((a) => a.candidate_id === id).map((a) => tags.find((t) => t.id === a.candidate_tag_id)?.name ?? '?');
    return { ...found, tags: names };
  }
  const contactKey = (id: string) => `beamery#contact#${id}`;
  const candidateIdOf = (greenhouseKey: string) => Number(greenhouseKey.split('#')[2]);

  async function linkedCandidate(contactId: string): Promise<number> {
    const link = await eventually(async () => (await idMap.byBeamery(contactKey(contactId))).find((l) => l.status === 'active'), WAIT, `a candidate linked to contact ${contactId}`);
    return candidateIdOf(link.greenhouseKey);
  }

  async function candidatesWithEmail(email: string): Promise<GhCandidate[]> {
    return (await table<GhCandidate>('candidates')).filter((c) => c.email_addresses.some((e) => e.value.toLowerCase() === email));
  }

  /** Non-GET requests on the simulators' APIs (token mints aside), by route. */
  async function greenhouseWrites(): Promise<Record<string, number>> {
    const counts = await greenhouse<Record<string, number>>('GET', '/requests');
    return Object.fromEntries(Object.entries(counts).filter(([route]) => !route.startsWith('GET ') && !route.startsWith('HEAD ') && !route.includes('/token')));
  }
  async function beameryWrites(): Promise<Record<string, number>> {
    const counts = await beamery<Record<string, { total: number }>>('GET', '/requests');
    return Object.fromEntries(
      Object.entries(counts)
        .filter(([route]) => !route.startsWith('GET ') && !route.startsWith('HEAD ') && !route.includes('/oauth/token') && !route.includes('/_admin'))
        .map(([route, { total }]) => [route, total]),
    );
  }
  const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
  function delta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [route, n] of Object.entries(after)) if (n - (before[route] ?? 0) > 0) out[route] = n - (before[route] ?? 0);
    return out;
  }
  async function writesDuring(action: () => Promise<void>): Promise<{ greenhouse: Record<string, number>; beamery: Record<string, number> }> {
    const [gh0, b0] = await Promise.all([greenhouseWrites(), beameryWrites()]);
    await action();
    const [gh1, b1] = await Promise.all([greenhouseWrites(), beameryWrites()]);
    return { greenhouse: delta(gh0, gh1), beamery: delta(b0, b1) };
  }

  /** Greenhouse reads (GET requests, token mints aside) made during `action`, by route. */
  async function greenhouseReadsDuring(action: () => Promise<void>): Promise<Record<string, number>> {
    const reads = async () => Object.fromEntries(Object.entries(await greenhouse<Record<string, number>>('GET', '/requests')).filter(([route]) => route.startsWith('GET ')));
    const before = await reads();
    await action();
    return delta(before, await reads());
  }

  const role = (title: string, company = 'Northwind') => ({ experience: [{ role: title, organisationName: company, current: true }] });

  /** A contact pushed and linked, with everything it caused settled. */
  async function pushedContact(first: string, last: string, extra: Record<string, unknown> = {}): Promise<{ contactId: string; candidateId: number; email: string }> {
    const { id, email } = await createContact(first, last, extra);
    await push(id);
    const candidateId = await linkedCandidate(id);
    await pollAndSettle();
    return { contactId: id, candidateId, email };
  }

  // --- The scenarios --------------------------------------------------------------------------------

  it('1. a pushed prospect becomes a Greenhouse prospect with every mapped field, linked in IdMap; an unpushed, untagged contact is left alone', async () => {
    const { id, email } = await createContact('Iris', 'Achterberg', {
      emails: [`iris.achterberg.${seq + 1}@b2g.example.test`, 'iris@work.b2g.example.test'],
      primaryPhoneNumber: '+44 20 5550 0201',
      phoneNumbers: ['+44 20 5550 0201', '+44 20 5550 0202'],
      links: ['https://iris.example.test', 'https://www.linkedin.com/in/iris-achterberg'],
      ...role('Data Engineer', 'Contoso'),
      globalTags: [{ id: 'tag-python', value: 'Python' }, { id: 'tag-remote', value: 'Remote' }],
    });
    const bystander = await createContact('Nils', 'Unpushed', role('Nobody Asked'));

    await push(id);
    const candidateId = await linkedCandidate(id);
    await pollAndSettle();

    const created = await candidate(candidateId);
    expect(created).toMatchObject({ first_name: 'Iris', last_name: 'Achterberg', title: 'Data Engineer', company: 'Contoso' });
    expect(created.email_addresses.map((e) => e.value)).toEqual([email, 'iris@work.b2g.example.test']);
    expect(created.phone_numbers.map((p) => p.value)).toEqual(['+44 20 5550 0201', '+44 20 5550 0202']);
    expect(created.website_addresses.map((w) => w.value)).toEqual(['https://iris.example.test']);
    expect(created.social_media_addresses.map((s) => s.value)).toEqual(['https://www.linkedin.com/in/iris-achterberg']);
    expect([...(created.tags ?? [])].sort()).toEqual(['Python', 'Remote']);
    const applications = (await table<GhApplication>('applications')).filter((a) => a.candidate_id === candidateId);
    expect(applications).toEqual([expect.objectContaining({ prospect: true, job_id: null })]);
    expect(await idMap.byGreenhouse(`greenhouse#candidate#${candidateId}`)).toMatchObject({ beameryKey: contactKey(id), status: 'active' });

    // The poll listed the bystander too: nothing of it reaches Greenhouse.
    expect(await candidatesWithEmail(bystander.email)).toEqual([]);
    expect(await idMap.byBeamery(contactKey(bystander.id))).toEqual([]);
  });

  it('2. a pushed contact on a vacancy linked to a Greenhouse job becomes a candidate with an application on that job', async () => {
    const job = await greenhouse<{ id: number }>('POST', '/jobs', { name: 'Pipeline Engineer', stages: ['Application Review', 'Offer'] });
    const vacancyLink = await eventually(async () => idMap.byGreenhouse(`greenhouse#job#${job.id}`), WAIT, `a vacancy linked to job ${job.id}`);
    const vacancyId = vacancyLink.beameryKey.split('#')[2]!;
    await settled();

    const { id } = await createContact('Tomas', 'Vacancy', role('Backend Engineer'));
    await beameryApi('PUT', `/contact/${id}/vacancies/${vacancyId}`, {});
    await push(id);
    const candidateId = await linkedCandidate(id);
    await settled();

    const applications = (await table<GhApplication>('applications')).filter((a) => a.candidate_id === candidateId);
    expect(applications).toEqual([expect.objectContaining({ job_id: job.id, prospect: false })]);
    expect(await candidate(candidateId)).toMatchObject({ first_name: 'Tomas', last_name: 'Vacancy', title: 'Backend Engineer' });
  });

  it('3. a contact tagged "Add to Greenhouse" is created by the next poll', async () => {
    const { id, email } = await createContact('Greta', 'Tagged', { ...role('Designer'), globalTags: [{ id: 'tag-push', value: 'Add to Greenhouse' }] });
    await settled();
    expect(await candidatesWithEmail(email)).toEqual([]);

    await pollAndSettle();
    const candidateId = await linkedCandidate(id);
    expect(await candidate(candidateId)).toMatchObject({ first_name: 'Greta', last_name: 'Tagged', title: 'Designer' });
    expect(await candidatesWithEmail(email)).toHaveLength(1);
  });

  it('4. an edit of a pushed contact reaches Greenhouse with one write after a poll, and its echo writes nothing on either side', async () => {
    const { contactId, candidateId } = await pushedContact('Hugo', 'Edited', role('Analyst'));

    await beamery('PATCH', `/contacts/${contactId}`, role('Senior Analyst'));
    const first = await writesDuring(async () => {
      await poll();
      await eventually(async () => ((await candidate(candidateId)).title === 'Senior Analyst' ? true : undefined), WAIT, 'the new title in Greenhouse');
      // The candidate_updated webhook of our own write comes back through ingest and the GH → B consumer.
      await settled();
    });
    expect(first.greenhouse).toEqual({ 'PATCH /v3/candidates/:id': 1 });
    expect(first.beamery).toEqual({});

    const echo = await writesDuring(pollAndSettle);
    expect(echo).toEqual({ greenhouse: {}, beamery: {} });
    expect(await candidate(candidateId)).toMatchObject({ title: 'Senior Analyst' });
  });

  it('4b. a Beamery edit costs Greenhouse two reads and one write, its echo included: the echo is one read of the candidate, found as the write left it', async () => {
    const { contactId, candidateId } = await pushedContact('Iris', 'Echoed', role('Analyst'));
    await beamery('PATCH', `/contacts/${contactId}`, role('Lead Analyst'));
    const reads = await greenhouseReadsDuring(async () => {
      await poll();
      await eventually(async () => ((await candidate(candidateId)).title === 'Lead Analyst' ? true : undefined), WAIT, 'the new title in Greenhouse');
      await settled();
    });
    // One read before the write (what it changes), one for the update_candidate webhook it causes;
    // before the echo was recognised, that webhook also read the applications, attachments and notes.
    expect(reads).toEqual({ 'GET /v3/candidates': 2 });
  });

  it('4c. a Greenhouse edit not yet synced when a Beamery edit is written over it still reaches Beamery: the write is no echo of it', async () => {
    const { contactId, candidateId } = await pushedContact('Rhea', 'Unsynced', role('Analyst'));
    // The recruiter's edit, with webhooks off so the bridge has not seen it when it writes Beamery's.
    await settled();
    await greenhouse('PUT', '/webhooks', []);
    try {
      await greenhouse('PATCH', `/candidates/${candidateId}`, { last_name: 'Renamed' });
      await beamery('PATCH', `/contacts/${contactId}`, role('Principal Analyst'));
      await poll();
      await eventually(async () => ((await candidate(candidateId)).title === 'Principal Analyst' ? true : undefined), WAIT, 'the new title in Greenhouse');
      await settled();
    } finally {
      await greenhouse('PUT', '/webhooks', [{ url: stack.webhookUrl, secret: SECRET }]);
    }
    // The Greenhouse poller finds the candidate changed: its reconcile must carry the new last name. It
    // runs as its schedule would, with windows ending on whole seconds instead of minutes, so the window
    // that ends after the edits is due at once.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const { handler: pollGreenhouse } = await import('#handlers/scheduled-runs');
    const summary = await pollGreenhouse({ poller: 'candidates', window: { alignSeconds: 1, firstRunLookbackSeconds: 60 } });
    expect(summary).toMatchObject({ poller: 'candidates', caughtUp: true });
    await settled();
    const contact = await beamery<{ lastName?: string }>('GET', `/contacts/${contactId}`);
    expect(contact.lastName).toBe('Renamed');
  });

  it('5. a public and a private Beamery note become Greenhouse notes with the same visibility, once each', async () => {
    const { contactId, candidateId } = await pushedContact('Nora', 'Noted');
    const notesOf = async () =>
      (await table<GhNote>('notes'))
        .filter((n) => n.candidate_id === candidateId)
        .map((n) => [n.body, n.visibility])
        .sort();
    // A tenant where a new note moves the contact's updatedAt (the simulator's `notesBumpContact`):
    // the notes alone make the poller list the contact.
    await beamery('PATCH', '/settings', { behaviour: { notesBumpContact: true } });
    try {
      await beameryApi('POST', `/contact/${contactId}/notes`, { text: 'Public note from Beamery', private: false });
      await beameryApi('POST', `/contact/${contactId}/notes`, { text: 'Private note from Beamery', private: true });
    } finally {
      await beamery('PATCH', '/settings', { behaviour: { notesBumpContact: false } });
    }
    await pollAndSettle();
    await pollAndSettle();
    // Harvest's write values `private` / `public`, in the simulator's stored spelling.
    expect(await notesOf()).toEqual([
      ['Private note from Beamery', 'privately_visible'],
      ['Public note from Beamery', 'publicly_visible'],
    ]);

    // The default simulator (a note leaves updatedAt alone, as the real API may): the note goes with
    // the contact's next change, still once.
    await beameryApi('POST', `/contact/${contactId}/notes`, { text: 'Later note from Beamery', private: true });
    await beamery('PATCH', `/contacts/${contactId}`, role('Note Taker'));
    await pollAndSettle();
    await pollAndSettle();
    expect(await notesOf()).toEqual([
      ['Later note from Beamery', 'privately_visible'],
      ['Private note from Beamery', 'privately_visible'],
      ['Public note from Beamery', 'publicly_visible'],
    ]);
    // And the Greenhouse → Beamery direction did not send them back.
    const beameryNotes = await beameryApi<unknown>('GET', `/contact/${contactId}/notes`);
    expect(JSON.stringify(beameryNotes).match(/note from Beamery/g)).toHaveLength(3);
  });

  it('6. a concurrent edit of the same field on both sides resolves to Greenhouse’s value on both sides, with a sync-conflict in Audit', async () => {
    const { contactId, candidateId } = await pushedContact('Cora', 'Clash', role('Engineer'));

    // Both edits before the bridge has seen either: the Beamery one first (no webhook), then Greenhouse's.
    await beamery('PATCH', `/contacts/${contactId}`, role('Beamery Title'));
    await greenhouse('PATCH', `/candidates/${candidateId}`, { title: 'Greenhouse Title' });
    await settled();
    await pollAndSettle();
    await pollAndSettle();

    expect(await candidate(candidateId)).toMatchObject({ title: 'Greenhouse Title' });
    const contact = await beamery<StoredContact>('GET', `/contacts/${contactId}`);
    expect(contact.experience.find((e) => e.current)?.role).toBe('Greenhouse Title');
    const entries = [...(await audit.list(`greenhouse#candidate#${candidateId}`)), ...(await audit.list(contactKey(contactId)))];
    const conflicts = entries.filter((e) => e.kind === 'sync-conflict');
    expect(conflicts.length).toBeGreaterThanOrEqual(1);
    expect(conflicts.map((c) => String(c.detail?.['groups']))).toContain('role');

    // Settled for good: more polls write nothing anywhere.
    expect(await writesDuring(pollAndSettle)).toEqual({ greenhouse: {}, beamery: {} });
  });

  it('7. an anonymization in Beamery anonymizes the Greenhouse candidate (bidirectional, the default)', async () => {
    const { contactId, candidateId, email } = await pushedContact('Anja', 'Forget', { phoneNumbers: ['+44 20 5550 0777'] });
    await beameryApi('POST', `/contact/${contactId}/anonymize`, {});
    await pollAndSettle();

    await eventually(async () => ((await idMap.byGreenhouse(`greenhouse#candidate#${candidateId}`))?.status === 'anonymized' ? true : undefined), WAIT, 'the link marked anonymized');
    const anonymized = await candidate(candidateId);
    expect(anonymized.first_name).not.toBe('Anja');
    expect(anonymized.email_addresses.map((e) => e.value)).not.toContain(email);
    expect(anonymized.phone_numbers).toEqual([]);
  });

  it('8. a merge of two linked contacts in Beamery merges their Greenhouse candidates, and the IdMap follows', async () => {
    const winner = await pushedContact('Mira', 'Merged');
    const loser = await pushedContact('Mira', 'Duplicate');
    // A recruiter merges the duplicates in Beamery's UI (its API refuses contacts with two Greenhouse ids).
    await beamery('POST', '/contacts/merge', { primaryId: winner.contactId, secondaryId: loser.contactId });
    await pollAndSettle();

    await eventually(async () => ((await idMap.byGreenhouse(`greenhouse#candidate#${loser.candidateId}`))?.status === 'merged-into' ? true : undefined), WAIT, 'the loser link marked merged');
    expect(await idMap.byGreenhouse(`greenhouse#candidate#${loser.candidateId}`)).toMatchObject({ mergedInto: `greenhouse#candidate#${winner.candidateId}` });
    const candidates = await table<GhCandidate>('candidates');
    expect(candidates.some((c) => c.id === loser.candidateId)).toBe(false);
    // The winner has the loser's email now (Greenhouse's merge), and the winner's link stays.
    expect((await candidate(winner.candidateId)).email_addresses.map((e) => e.value)).toContain(loser.email);
    expect(await idMap.byGreenhouse(`greenhouse#candidate#${winner.candidateId}`)).toMatchObject({ status: 'active' });
  });

  it('9. consent status and date go to their Greenhouse custom fields; assigned-to becomes credited-to through the synced users', async () => {
    // The users reference sync links Greenhouse user 302 to the Beamery user with the same email.
    const ghUser = (await table<{ id: number; primary_email: string }>('users')).find((u) => u.id === 302)!;
    await beamery('POST', '/seed', { users: [{ id: 'e00000000000000003a2', email: ghUser.primary_email }] });
    const [users] = await stack.schedules.trigger('users');
    expect(users).toMatchObject({ ok: true });

    const { candidateId, contactId } = await pushedContact('Cato', 'Consent', { consentStatus: true, lastConsentDate: '2026-11-02', assignedTo: 'e00000000000000003a2' });
    const created = await candidate(candidateId);
    // work_remotely is a yes_no field: written as a boolean, the type Greenhouse declares for it.
    expect(created.custom_fields?.[CONSENT.status]?.value).toBe(true);
    expect(created.custom_fields?.[CONSENT.lastConsentDate]?.value).toBe('2026-11-02');
    const [application] = (await table<GhApplication>('applications')).filter((a) => a.candidate_id === candidateId);
    // Referrer 451 is user 302's Referrer record in the default scenario: v3 credits to a Referrer.
    expect(application?.referrer_id).toBe(451);

    // Consent withdrawn in Beamery: one Greenhouse write carries it.
    const writes = await writesDuring(async () => {
      await beamery('PATCH', `/contacts/${contactId}`, { consentStatus: false });
      await pollAndSettle();
    });
    expect(sum(writes.greenhouse)).toBe(1);
    expect((await candidate(candidateId)).custom_fields?.[CONSENT.status]?.value).toBe(false);
  });

  it(`10. ${LOOP_EDITS} edits alternating between the simulators settle with one write per edit on the other side, and 10 quiet polls`, async () => {
    const { contactId, candidateId } = await pushedContact('Lars', 'Loop', role('Loop 0'));
    let greenhouseEdits = 0;
    let beameryEdits = 0;
    const totals = { greenhouse: {} as Record<string, number>, beamery: {} as Record<string, number> };
    const add = (into: Record<string, number>, from: Record<string, number>) => {
      for (const [route, n] of Object.entries(from)) into[route] = (into[route] ?? 0) + n;
    };
    const perEdit: string[] = [];
    const started = Date.now();

    for (let i = 1; i <= LOOP_EDITS; i++) {
      const title = `Loop ${i}`;
      const onGreenhouse = i % 2 === 1;
      const writes = await writesDuring(async () => {
        if (onGreenhouse) await greenhouse('PATCH', `/candidates/${candidateId}`, { title });
        else await beamery('PATCH', `/contacts/${contactId}`, role(title));
        await pollAndSettle();
      });
      if (onGreenhouse) greenhouseEdits++;
      else beameryEdits++;
      add(totals.greenhouse, writes.greenhouse);
      add(totals.beamery, writes.beamery);
      const expected = onGreenhouse ? { greenhouse: {}, beamery: { 'PATCH /v1/contact/:id': 1 } } : { greenhouse: { 'PATCH /v3/candidates/:id': 1 }, beamery: {} };
      if (JSON.stringify(writes) !== JSON.stringify(expected)) perEdit.push(`edit ${i} on ${onGreenhouse ? 'Greenhouse' : 'Beamery'}: ${JSON.stringify(writes)}`);
    }
    const quiet = { greenhouse: {} as Record<string, number>, beamery: {} as Record<string, number> };
    for (let i = 0; i < 10; i++) {
      const writes = await writesDuring(pollAndSettle);
      add(quiet.greenhouse, writes.greenhouse);
      add(quiet.beamery, writes.beamery);
    }
    console.info(
      `loop: ${LOOP_EDITS} edits (${greenhouseEdits} in Greenhouse, ${beameryEdits} in Beamery) in ${Date.now() - started} ms; ` +
        `writes: Greenhouse ${JSON.stringify(totals.greenhouse)}, Beamery ${JSON.stringify(totals.beamery)}; ` +
        `quiet cycles: Greenhouse ${sum(quiet.greenhouse)}, Beamery ${sum(quiet.beamery)}`,
    );

    expect(perEdit).toEqual([]);
    expect(totals).toEqual({ greenhouse: { 'PATCH /v3/candidates/:id': beameryEdits }, beamery: { 'PATCH /v1/contact/:id': greenhouseEdits } });
    expect(quiet).toEqual({ greenhouse: {}, beamery: {} });
    const last = `Loop ${LOOP_EDITS}`;
    expect(await candidate(candidateId)).toMatchObject({ title: last });
    expect((await beamery<StoredContact>('GET', `/contacts/${contactId}`)).experience.find((e) => e.current)?.role).toBe(last);
  }, 300_000);
});
