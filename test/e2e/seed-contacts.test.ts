import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbAudit } from '#adapters/store/audit';
import type { DynamoDbIdMap } from '#adapters/store/id-map';
import { ENV } from '#lambdas/config';
import type { LocalStack } from '#local/stack';
import { callJson } from '../support/http.ts';
import { isRateLimitedRun } from '#core/sync/scheduled-runs';
import { runScheduled, startE2eStack, type E2eStack } from '../support/e2e-stack.ts';
import { eventually, untilQuiet } from '../support/queues.ts';

/**
 * The seed document's contact rules, end to end on the local stack (one stack for all): changes are
 * made in the simulators (their admin APIs, as a recruiter in either UI), the real ingest handler,
 * queues and consumers carry them, and the assertions read what the other simulator then holds, the
 * IdMap and the Audit table.
 */
const SECRET = 'seed-contacts-secret';
const WAIT = 15_000;
// Consent kept in two of the default Greenhouse scenario's candidate custom fields (yes_no and text).
const CONSENT = { status: 'work_remotely', lastConsentDate: 'desired_salary' } as const;

interface StoredContact {
  readonly id: string;
  readonly firstName?: string;
  readonly emails: { value: string }[];
  readonly globalTags: { id: string; value?: string }[];
  /** The profile tags, as the simulator stores them. */
  readonly tags: string[];
  readonly anonymized: boolean;
}

describe('the seed document’s contact rules, end to end on the local stack', () => {
  let e2e: E2eStack;
  let stack: LocalStack;
  let sqs: SQSClient;
  let idMap: DynamoDbIdMap;
  let audit: DynamoDbAudit;
  let beameryOrigin: string;
  let seq = 0;

  beforeAll(async () => {
    process.env[ENV.consentStatusField] = CONSENT.status;
    process.env[ENV.consentDateField] = CONSENT.lastConsentDate;
    e2e = await startE2eStack({ webhookSecret: SECRET, pollIntervalMs: 0, greenhouseRateLimit: 50_000 });
    ({ stack, sqs, idMap, audit, beameryOrigin } = e2e);
  }, 120_000);
  afterAll(async () => {
    await e2e?.stop();
  });

  const greenhouse = <T = unknown>(method: string, path: string, body?: unknown) => callJson<T>(stack.greenhouse, method, `/_admin${path}`, body);
  const beamery = <T = unknown>(method: string, path: string, body?: unknown) => callJson<T>(beameryOrigin, method, `/_admin${path}`, body);
  const candidateKey = (id: number) => `greenhouse#candidate#${id}`;
  const contactIdOf = (beameryKey: string) => beameryKey.split('#')[2]!;

  const uniqueEmail = (name: string) => `${name}.${++seq}.${Date.now()}@seed-contacts.example.test`.toLowerCase();

  async function createCandidate(first: string, last: string, email: string, extra: Record<string, unknown> = {}): Promise<number> {
    const created = await greenhouse<{ candidate: { id: number } }>('POST', '/candidates', {
      first_name: first,
      last_name: last,
      email_addresses: [{ value: email, type: 'personal' }],
      application: { job_id: 802 },
      ...extra,
    });
    return created.candidate.id;
  }

  async function linkedContact(candidateId: number): Promise<StoredContact> {
    const link = await eventually(async () => {
      const found = await idMap.byGreenhouse(candidateKey(candidateId));
      return found?.status === 'active' ? found : undefined;
    }, WAIT, `a contact linked to candidate ${candidateId}`);
    return beamery<StoredContact>('GET', `/contacts/${contactIdOf(link.beameryKey)}`);
  }

  async function skipped(key: string, reason: string): Promise<void> {
    await eventually(
      async () => ((await audit.list(key)).some((e) => e.kind === 'sync-skipped' && e.detail?.['reason'] === reason) ? true : undefined),
      WAIT,
      `${reason} in Audit for ${key}`,
    );
  }

  async function settled(): Promise<void> {
    await greenhouse('POST', '/webhooks/settle');
    await untilQuiet(sqs, [stack.resources.queues['greenhouse-changes'].url, stack.resources.queues['beamery-changes'].url], 750, WAIT);
  }

  /** Beamery's v1 API (memberships have no admin door), with a token minted from the simulator's credentials. */
  let beameryToken: string | undefined;
  async function beameryApi<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    if (!beameryToken) {
      const settings = await beamery<{ credentials: { clientId: string; clientSecret: string } }>('GET', '/settings');
      beameryToken = (await callJson<{ access_token: string }>(beameryOrigin, 'POST', '/v1/oauth/token', settings.credentials)).access_token;
    }
    return callJson<T>(beameryOrigin, method, `/v1${path}`, body, { authorization: `Bearer ${beameryToken}` });
  }

  /** One run of the Beamery poller, as the next scheduled tick would make it, and what it caused. */
  async function pollBeamery(): Promise<void> {
    await settled();
    const outcome = await runScheduled(stack.schedules, 'beamery');
    expect(outcome).toMatchObject({ ok: true });
    expect(outcome.ok && isRateLimitedRun(outcome.summary)).toBe(false);
    await settled();
  }

  async function linkedJob(name: string, stages: string[]): Promise<{ jobId: number; vacancyId: string }> {
    const job = await greenhouse<{ id: number }>('POST', '/jobs', { name, stages });
    const link = await eventually(async () => idMap.byGreenhouse(`greenhouse#job#${job.id}`), WAIT, `a vacancy linked to job ${job.id}`);
    return { jobId: job.id, vacancyId: contactIdOf(link.beameryKey) };
  }

  /** The candidate's tag names (the simulator keeps applied tags in their own tables). */
  async function greenhouseTags(candidateId: number): Promise<string[]> {
    const [tags, applied] = await Promise.all([
      greenhouse<{ id: number; name: string }[]>('GET', '/state?table=candidate_tags'),
      greenhouse<{ candidate_id: number; candidate_tag_id: number }[]>('GET', '/state?table=applied_candidate_tags'),
    ]);
    return applied.filter((a) => a.candidate_id === candidateId).map((a) => tags.find((t) => t.id === a.candidate_tag_id)?.name ?? '?').sort();
  }

  const consent = (date: string) => ({ custom_fields: [{ name_key: CONSENT.status, value: true }, { name_key: CONSENT.lastConsentDate, value: date }] });
  const dayAfter = (instant: number) => new Date(instant + 86_400_000).toISOString().slice(0, 10);

  it('contacts re-added in Greenhouse will NOT be added to Beamery until consent is received: consent dated after the anonymization lets the re-add through, older consent does not', async () => {
    const email = uniqueEmail('consent');
    const original = await createCandidate('Cora', 'Consent', email);
    const contact = await linkedContact(original);
    await settled();
    await greenhouse('POST', `/candidates/${original}/anonymize`, { fields: ['full_name', 'email_addresses'] });
    await eventually(async () => ((await idMap.byGreenhouse(candidateKey(original)))?.status === 'anonymized' ? true : undefined), WAIT, 'the link marked anonymized');
    const anonymizedAt = Date.now();

    // Consent dated before the anonymization: still blocked, no contact.
    const stale = await createCandidate('Cora', 'Consent', email, consent('2020-01-02'));
    await skipped(candidateKey(stale), 'anonymized-until-consent');
    await settled();
    expect(await idMap.byGreenhouse(candidateKey(stale))).toBeUndefined();

    // Consent dated after it: the re-added person is a contact again (a new one; the anonymized one stays so).
    const consented = await createCandidate('Cora', 'Consent', email, consent(dayAfter(anonymizedAt)));
    const readded = await linkedContact(consented);
    expect(readded).toMatchObject({ firstName: 'Cora', anonymized: false });
    expect(readded.id).not.toBe(contact.id);
    expect(readded.emails.map((e) => e.value.toLowerCase())).toContain(email);
    expect(await beamery<StoredContact>('GET', `/contacts/${contact.id}`)).toMatchObject({ anonymized: true });
  });

  it('a linked contact later added to another Beamery vacancy that is linked to a Greenhouse job gets an application on that job; stage moves in Beamery are not mirrored', async () => {
    const first = await linkedJob('Seed Contacts Analyst', ['Application Review', 'Interview', 'Offer']);
    const second = await linkedJob('Seed Contacts Designer', ['Application Review', 'Portfolio', 'Offer']);
    const candidateId = await createCandidate('Vera', 'Vacancies', uniqueEmail('vacancies'), { application: { job_id: first.jobId } });
    const contact = await linkedContact(candidateId);
    await settled();
    const applications = async () =>
      (await greenhouse<{ candidate_id: number; job_id: number | null; stage_name: string | null; status: string }[]>('GET', '/state?table=applications')).filter(
        (a) => a.candidate_id === candidateId,
      );
    expect((await applications()).map((a) => a.job_id)).toEqual([first.jobId]);

    await beameryApi('PUT', `/contact/${contact.id}/vacancies/${second.vacancyId}`, {});
    await pollBeamery();
    const after = await eventually(async () => {
      const found = await applications();
      return found.length === 2 ? found : undefined;
    }, WAIT, 'an application on the second job');
    expect(after.find((a) => a.job_id === second.jobId)).toMatchObject({ stage_name: 'Application Review', status: 'in_process' });

    // Greenhouse owns hiring decisions: a stage set in Beamery stays there.
    await beameryApi('PUT', `/contact/${contact.id}/vacancies/${first.vacancyId}`, { stage: 'Offer' });
    await pollBeamery();
    expect((await applications()).map((a) => [a.job_id, a.stage_name]).sort()).toEqual(
      [
        [first.jobId, 'Application Review'],
        [second.jobId, 'Application Review'],
      ].sort(),
    );
  });

  it('Greenhouse tags become Beamery profile tags; Beamery global and profile tags become Greenhouse tags', async () => {
    const candidateId = await createCandidate('Tove', 'Tags', uniqueEmail('tags'), { tags: ['Referral', 'SRE'] });
    const contact = await linkedContact(candidateId);
    expect(contact.tags).toEqual(['Referral', 'SRE']);
    expect(contact.globalTags).toEqual([]);
    await settled();

    // A recruiter adds a profile tag and a global tag in Beamery: both reach Greenhouse with the next poll.
    await beamery('PATCH', `/contacts/${contact.id}`, { tags: ['Referral', 'SRE', 'Kotlin'], globalTags: [{ id: 'g-talent-pool', value: 'Talent Pool' }] });
    await pollBeamery();
    expect(await eventually(async () => {
      const names = await greenhouseTags(candidateId);
      return names.length === 4 ? names : undefined;
    }, WAIT, 'the Beamery tags on the candidate')).toEqual(['Kotlin', 'Referral', 'SRE', 'Talent Pool']);
    // Their echo writes Greenhouse's tags back as profile tags only: the global tag stays the tenant's one.
    await settled();
    const after = await beamery<StoredContact>('GET', `/contacts/${contact.id}`);
    expect(after.globalTags).toEqual([{ id: 'g-talent-pool', value: 'Talent Pool' }]);
    expect(after.tags).toEqual(expect.arrayContaining(['Kotlin', 'Referral', 'SRE']));
  });
});
