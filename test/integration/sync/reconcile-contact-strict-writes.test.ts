import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reconcileContact, type ContactSyncDependencies } from '#core/sync/reconcile-contact';
import { DEFAULT_GREENHOUSE_ANONYMIZE_FIELDS } from '#lambdas/config';
import type { BeameryClient } from '#adapters/beamery/client';
import { STRICT_API_CONTRACT } from '#local/simulators/greenhouse/api-contract';
import { IDENTITY_KEY, startSyncHarness, type SyncHarness } from './candidate-harness.ts';

/**
 * Beamery → Greenhouse against the strict Greenhouse variant: PATCH replaces the custom-field set,
 * selects take only option ids, a null title or company is a 422. A contact that loses its role and
 * changes its consent must clear title and company and write consent while the candidate keeps the
 * customer's own custom fields.
 */
describe('reconcileContact against strict Greenhouse writes', () => {
  let h: SyncHarness;
  let deps: ContactSyncDependencies;

  beforeEach(async () => {
    h = await startSyncHarness();
    await h.greenhouse.admin('PUT', '/settings', { apiContract: STRICT_API_CONTRACT });
    deps = {
      greenhouse: h.greenhouse.client(),
      beamery: h.deps.beamery as BeameryClient,
      idMap: h.idMap,
      ledger: h.ledger,
      audit: h.audit,
      clock: h.greenhouse.clock,
      options: {
        consentKeys: { status: 'work_remotely' },
        anonymization: { mode: 'bidirectional', greenhouseFields: [...DEFAULT_GREENHOUSE_ANONYMIZE_FIELDS] },
        identityKey: IDENTITY_KEY,
      },
    };
  });
  afterEach(async () => {
    await h?.close();
  });


  it('clears title and company and writes consent, keeping the customer\'s other custom fields', async () => {
    const contact = await h.beameryAdmin<{ id: string }>('POST', '/contacts', {
      firstName: 'Noor',
      lastName: 'Vale',
      primaryEmail: 'noor.vale@example.test',
      experience: [{ organisationName: 'Kestrel Labs', role: 'Data Engineer', current: true }],
      consentStatus: true,
    });
    const { candidateId } = (await reconcileContact(h.contactTrigger(contact.id, true), deps)) as { candidateId: number };
    // A recruiter's own field on the candidate, which the bridge does not map.
    h.greenhouse.sim.state.get('candidates', candidateId)!.custom_fields['desired_salary'] = { name: 'Desired Salary', type: 'short_text', value: '90k' };

    h.greenhouse.clock.advance(1_000);
    await h.beameryAdmin('PATCH', `/contacts/${contact.id}`, { experience: [], consentStatus: false });
    expect(await reconcileContact(h.contactTrigger(contact.id), deps)).toMatchObject({ outcome: 'updated' });

    const candidate = (await deps.greenhouse.getCandidate(candidateId))!;
    expect([candidate.title, candidate.company]).toEqual(['', '']);
    expect(candidate.custom_fields?.['work_remotely']?.value).toBe(false);
    expect(candidate.custom_fields?.['desired_salary']?.value).toBe('90k');
  });
});
