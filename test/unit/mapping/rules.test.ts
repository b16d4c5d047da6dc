import { describe, expect, it } from 'vitest';
import {
  anonymizedBlock,
  confidentialCandidateRule,
  confidentialJobRule,
  matchContact,
  privateCandidateRule,
  type AnonymizedBlockInput,
  type ConfidentialJobInput,
  type MatchContactInput,
  type PrivateCandidateInput,
} from '#core/mapping/rules';

describe('Merging: matching a Greenhouse candidate to a Beamery contact', () => {
  const CASES: readonly { rule: string; given: MatchContactInput; expected: ReturnType<typeof matchContact> }[] = [
    {
      rule: 'a contact that exists in both systems is updated',
      given: { linkedContactId: 'c-1', emailMatches: [{ contactId: 'c-2' }], candidateId: 4401 },
      expected: { kind: 'update', contactId: 'c-1', reason: 'linked' },
    },
    {
      rule: 'the integration auto merges when a Beamery contact without a Greenhouse ID has the same email',
      given: { emailMatches: [{ contactId: 'c-2' }], candidateId: 4401 },
      expected: { kind: 'link-and-update', contactId: 'c-2', reason: 'single-email-match-without-greenhouse-id' },
    },
    {
      rule: 'one contact found through two of the candidate’s emails is one match',
      given: { emailMatches: [{ contactId: 'c-2' }, { contactId: 'c-2' }], candidateId: 4401 },
      expected: { kind: 'link-and-update', contactId: 'c-2', reason: 'single-email-match-without-greenhouse-id' },
    },
    {
      rule: 'duplicates in Greenhouse with the same email (but different Greenhouse IDs) are not auto-merged in Beamery',
      given: { emailMatches: [{ contactId: 'c-3', greenhouseCandidateId: '4399' }], candidateId: 4401 },
      expected: { kind: 'create', reason: 'email-match-has-other-greenhouse-id' },
    },
    {
      rule: 'two or more contacts with the same email: a new contact is created',
      given: { emailMatches: [{ contactId: 'c-2' }, { contactId: 'c-4' }], candidateId: 4401 },
      expected: { kind: 'create', reason: 'several-email-matches' },
    },
    {
      rule: 'two or more contacts with the same email, one of them carrying another Greenhouse ID: a new contact is created',
      given: { emailMatches: [{ contactId: 'c-2' }, { contactId: 'c-3', greenhouseCandidateId: '4399' }], candidateId: 4401 },
      expected: { kind: 'create', reason: 'several-email-matches' },
    },
    {
      rule: 'no contact with the email: a new contact is created',
      given: { emailMatches: [], candidateId: 4401 },
      expected: { kind: 'create', reason: 'no-email-match' },
    },
    {
      rule: 'a contact that already carries this Greenhouse ID is linked again, not duplicated',
      given: { emailMatches: [{ contactId: 'c-2' }, { contactId: 'c-5', greenhouseCandidateId: '4401' }], candidateId: 4401 },
      expected: { kind: 'link-and-update', contactId: 'c-5', reason: 'contact-carries-this-greenhouse-id' },
    },
  ];
  for (const { rule, given, expected } of CASES) it(rule, () => expect(matchContact(given)).toEqual(expected));
});

describe('Block Private Contacts', () => {
  const CASES: readonly { rule: string; given: PrivateCandidateInput; expected: ReturnType<typeof privateCandidateRule> }[] = [
    {
      rule: 'a candidate that is not private is created',
      given: { isPrivate: false, alreadyLinked: false, origin: 'webhook' },
      expected: { kind: 'create' },
    },
    {
      rule: 'a candidate that is not private is updated',
      given: { isPrivate: false, alreadyLinked: true, origin: 'poll' },
      expected: { kind: 'update' },
    },
    {
      rule: 'the contact will still flow through to Beamery but any updates thereafter will be blocked',
      given: { isPrivate: true, alreadyLinked: true, origin: 'webhook' },
      expected: { kind: 'skip', reason: 'private-updates-blocked' },
    },
    {
      rule: 'marked as private and existed in Greenhouse before the integration was switched on: the contact does not sync when the historic sync is run',
      given: { isPrivate: true, alreadyLinked: false, origin: 'backfill' },
      expected: { kind: 'skip', reason: 'private-before-integration' },
    },
    {
      rule: 'private before the bridge first read it: not created',
      given: { isPrivate: true, alreadyLinked: false, origin: 'webhook' },
      expected: { kind: 'skip', reason: 'private-at-first-sight' },
    },
    {
      rule: 'blocking private contacts is configurable: unblocked, a private candidate is created',
      given: { isPrivate: true, alreadyLinked: false, blockPrivate: false, origin: 'backfill' },
      expected: { kind: 'create' },
    },
    {
      rule: 'blocking private contacts is configurable: unblocked, a private candidate is updated',
      given: { isPrivate: true, alreadyLinked: true, blockPrivate: false, origin: 'webhook' },
      expected: { kind: 'update' },
    },
  ];
  for (const { rule, given, expected } of CASES) it(rule, () => expect(privateCandidateRule(given)).toEqual(expected));
});

describe('Confidential Candidates', () => {
  const CASES: readonly { rule: string; given: ConfidentialJobInput; expected: ReturnType<typeof confidentialJobRule> }[] = [
    {
      rule: 'currently the integration maps confidential Greenhouse contacts as public Beamery contacts',
      given: { jobConfidential: true },
      expected: { include: true },
    },
    {
      rule: 'you can request that confidential Greenhouse contacts are blocked from being imported to Beamery',
      given: { jobConfidential: true, excludeConfidentialJobs: true },
      expected: { include: false, reason: 'confidential-job-excluded' },
    },
    {
      rule: 'applications on jobs that are not confidential are always imported',
      given: { jobConfidential: false, excludeConfidentialJobs: true },
      expected: { include: true },
    },
  ];
  for (const { rule, given, expected } of CASES) it(rule, () => expect(confidentialJobRule(given)).toEqual(expected));

  it('a contact known only through blocked confidential jobs is not imported', () => {
    expect(confidentialCandidateRule({ excludedConfidentialApplications: 2, includedApplications: 0 })).toEqual({ skip: true, reason: 'only-confidential-applications' });
  });

  it('a contact with any other application is imported without the confidential ones', () => {
    expect(confidentialCandidateRule({ excludedConfidentialApplications: 1, includedApplications: 1 })).toEqual({ skip: false });
    expect(confidentialCandidateRule({ excludedConfidentialApplications: 0, includedApplications: 0 })).toEqual({ skip: false });
  });
});

describe('GDPR - Anonymize Contacts', () => {
  const CASES: readonly { rule: string; given: AnonymizedBlockInput; expected: ReturnType<typeof anonymizedBlock> }[] = [
    {
      rule: 'once a contact is anonymized in Beamery, any updates from the ATS are blocked',
      given: { linkedContactAnonymized: true, identityBlockedAsAnonymized: false },
      expected: { blocked: true, reason: 'contact-anonymized' },
    },
    {
      rule: 'contacts that have been re-added in Greenhouse will NOT be added to Beamery until consent is received',
      given: { linkedContactAnonymized: false, identityBlockedAsAnonymized: true },
      expected: { blocked: true, reason: 'anonymized-until-consent' },
    },
    {
      rule: 'once consent is received (the block lifted), the contact is added',
      given: { linkedContactAnonymized: false, identityBlockedAsAnonymized: false },
      expected: { blocked: false },
    },
  ];
  for (const { rule, given, expected } of CASES) it(rule, () => expect(anonymizedBlock(given)).toEqual(expected));
});
