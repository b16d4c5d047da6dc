import { isoNow, type Clock } from '#core/clock';
import { entityKey, type Origin, entityIdOf } from '#core/envelope';
import { identityHash } from '#core/identity-hash';
import { collect } from '#core/async-iterables';
import { withRevisionRetry } from './revision-retry.ts';
import { candidateCreateFromContact, candidateWriteForGroups, referrerIdFor, sourceIdFor } from '#core/mapping/candidate';
import { consentGivenAt, diffGroups, nextBase, personFromCandidate, personFromContact, personGroupHashes, type ConsentFieldKeys } from '#core/mapping/person';
import type { GreenhouseApi } from '#core/ports/greenhouse-api';
import type { BeameryApi } from '#core/ports/beamery-api';
import type { BeameryContact } from '#core/beamery/records';
import type { AuditStore, IdMapStore, LedgerStore, Link, SyncState } from './ports.ts';
import { ownWriteFingerprint } from './own-write.ts';
import type { Candidate } from '#core/greenhouse/records';
import { isCovered } from './sync-state.ts';
import { holdsAgreedState } from './pair-state.ts';
import { copyBeameryNotes } from './note-copy.ts';
import { recordConsentOf } from './consent-record.ts';
import { applyToLinkedVacancies } from './applications-from-vacancies.ts';

/**
 * "Beamery contact X may have changed" → Greenhouse made to match (the seed's Beamery → Greenhouse
 * column). Reads the contact, then:
 * - merged away in Beamery: merges the two Greenhouse candidates when both contacts are linked, or
 *   moves the link to the survivor;
 * - anonymized in Beamery: marks the link (Greenhouse updates stop flowing to it) and, in
 *   `bidirectional` mode, anonymizes the Greenhouse candidate;
 * - linked: the three-way rule of lambdas/core/mapping/person.ts against the pair's agreed state,
 *   then copies Beamery's notes once each;
 * - not linked: creates the person in Greenhouse only when a push was asked for.
 * It never moves, rejects or hires: those decisions are a person's, in Greenhouse.
 *
 * The agreed state of a pair is the SyncState of its Beamery contact key: `fieldHashes` are the
 * person-view hashes both sides last agreed on (the Greenhouse → Beamery reconciler maintains the same
 * record), `reconciledAt` is when this direction last read the contact (the coalescing rule).
 */
export interface ContactSyncOptions {
  readonly consentKeys: ConsentFieldKeys;
  readonly anonymization: { readonly mode: 'bidirectional' | 'greenhouse-authoritative'; readonly greenhouseFields: readonly string[] };
  /** HMAC key of identity hashes (anonymized people), from Secrets Manager. */
  readonly identityKey: string;
}

export interface ContactSyncDependencies {
  readonly greenhouse: Pick<
    GreenhouseApi,
    | 'getCandidate'
    | 'listCandidates'
    | 'createCandidate'
    | 'updateCandidate'
    | 'listSources'
    | 'listReferrers'
    | 'createNote'
    | 'listNotes'
    | 'mergeCandidates'
    | 'anonymizeCandidate'
    | 'listApplications'
    | 'createApplication'
  >;
  readonly beamery: Pick<BeameryApi, 'getContact' | 'listContactVacancies' | 'listNotesSince'>;
  readonly idMap: IdMapStore;
  readonly ledger: LedgerStore;
  readonly audit: AuditStore;
  readonly clock: Clock;
  readonly options: ContactSyncOptions;
}

export interface ContactTrigger {
  readonly contactId: string;
  readonly observedAt: string;
  readonly origin: Origin;
  readonly pushRequested: boolean;
}

export type ContactSyncResult =
  | { readonly outcome: 'covered' | 'gone' | 'not-pushed' }
  | { readonly outcome: 'skipped'; readonly reason: string }
  | { readonly outcome: 'merged' | 'link-moved' | 'anonymized'; readonly candidateId?: number }
  | {
      readonly outcome: 'created' | 'linked' | 'updated' | 'unchanged';
      readonly candidateId: number;
      readonly groupsWritten: readonly string[];
      readonly conflicts: readonly string[];
      readonly notesCopied: number;
      /** Jobs the candidate got an application on because the contact is on their vacancies in Beamery; absent when none. */
      readonly jobsApplied?: readonly number[];
    };


export async function reconcileContact(trigger: ContactTrigger, deps: ContactSyncDependencies): Promise<ContactSyncResult> {
  // A revision conflict means the other direction stored the pair's state meanwhile.
  return withRevisionRetry(() => reconcileOnce(trigger, deps), 'contact reconcile lost two revision races in a row');
}

async function reconcileOnce(trigger: ContactTrigger, deps: ContactSyncDependencies): Promise<ContactSyncResult | 'conflict'> {
  const { beamery, idMap, ledger, clock } = deps;
  const key = entityKey('beamery', 'contact', trigger.contactId);
  const state = await ledger.getSyncState(key);
  // A push request is never covered: the person asked after whatever read came before.
  if (!trigger.pushRequested && isCovered(state, trigger.observedAt)) return { outcome: 'covered' };

  const readAt = isoNow(clock);
  const contact = await beamery.getContact(trigger.contactId);
  if (!contact) return { outcome: 'gone' };
  const links = await idMap.byBeamery(key);
  const active = links.find((l) => l.status === 'active');

  if (contact.mergedIntoId !== undefined) return mergedInBeamery(key, contact.mergedIntoId, links, deps);
  if (contact.anonymized) return anonymizedInBeamery(key, contact, active, deps);
  // Every contact read, pushed or not: a consent given in Beamery also lets a Greenhouse re-add through.
  await recordConsentOf(contact.emails, consentGivenAt(contact.consentStatus, contact.lastConsentDate), ledger, deps.options.identityKey);

  if (active) return updateLinked(key, contact, active, state, readAt, deps);
  if (links.length > 0) return skip(deps, key, `link-${links[0]!.status}`, readAt);
  if (!trigger.pushRequested) return { outcome: 'not-pushed' };
  return pushNew(key, contact, state, readAt, deps);
}

/** Linked: write what Beamery changed since the agreed state, then its notes. */
async function updateLinked(
  key: string,
  contact: BeameryContact,
  link: Link,
  state: SyncState | undefined,
  readAt: string,
  deps: ContactSyncDependencies,
): Promise<ContactSyncResult | 'conflict'> {
  const { greenhouse, options } = deps;
  const candidateId = Number(entityIdOf(link.greenhouseKey));
  const source = personGroupHashes(personFromContact(contact, options.consentKeys));
  const base = state?.fieldHashes;
  const changedSinceBase = base === undefined || Object.entries(source).some(([group, hash]) => base[group] !== hash);
  const agreed = nextBase(base, source);

  let groupsWritten: string[] = [];
  let conflicts: string[] = [];
  if (changedSinceBase) {
    const candidate = await greenhouse.getCandidate(candidateId);
    if (!candidate) return skip(deps, key, 'greenhouse-candidate-gone', readAt);
    const target = personGroupHashes(personFromCandidate(candidate, options.consentKeys));
    const diff = diffGroups(base, source, target);
    conflicts = diff.conflicts;
    if (conflicts.length > 0) {
      await deps.audit.record({
        kind: 'sync-conflict',
        entityKey: link.greenhouseKey,
        summary: `Beamery and Greenhouse both changed ${conflicts.join(', ')} of contact ${contact.id}; Greenhouse wins`,
        detail: { contactId: contact.id, candidateId, groups: conflicts.join(','), direction: 'beamery-to-greenhouse' },
        at: readAt,
      });
    }
    const patch = diff.write.length > 0 ? candidateWriteForGroups(contact, diff.write, candidate, options.consentKeys) : undefined;
    if (patch) {
      const written = await greenhouse.updateCandidate(candidateId, patch, candidate);
      await recordOwnWrite(link.greenhouseKey, written, agreed, deps);
      groupsWritten = diff.write;
    }
  }
  const jobsApplied = await applyToLinkedVacancies(contact.id, candidateId, readAt, deps);
  const notesCopied = await copyBeameryNotes(key, contact.id, link.greenhouseKey, deps);
  const saved = await deps.ledger.putSyncState({
    entityKey: key,
    fieldHashes: agreed,
    reconciledAt: readAt,
    ...(contact.updatedAt !== undefined ? { sourceVersion: contact.updatedAt } : {}),
    revision: state?.revision ?? 0,
  });
  if (!saved) return 'conflict';
  return {
    outcome: groupsWritten.length > 0 || jobsApplied.length > 0 ? 'updated' : 'unchanged',
    candidateId,
    groupsWritten,
    conflicts,
    notesCopied,
    ...(jobsApplied.length > 0 ? { jobsApplied } : {}),
  };
}

/**
 * The write's webhook will come back, and is recognised with one read (reconcile-candidate.ts) only if
 * Greenhouse → Beamery would have nothing to do with the candidate as written: it holds the pair's new
 * agreed state (pair-state.ts) and is not private (that direction would audit its skip). A person's
 * edit not yet synced is in the write's reply too; a fingerprint of it would pass that edit off as an
 * echo (the chaos test lost a name and a title that way).
 */
async function recordOwnWrite(greenhouseKey: string, written: Candidate, agreed: Readonly<Record<string, string>>, deps: ContactSyncDependencies): Promise<void> {
  const fingerprint = ownWriteFingerprint(written);
  if (!fingerprint || written.private === true || !holdsAgreedState(agreed, personFromCandidate(written, {}))) return;
  await deps.ledger.recordOwnWrite(greenhouseKey, fingerprint);
}

/**
 * Not linked, push asked for: the one Greenhouse candidate with the contact's email that is not linked
 * to another contact is linked (Greenhouse is not given a duplicate); otherwise a prospect, or a
 * candidate on the job of the first vacancy the contact is on that is linked to one, is created with
 * its source and credited to the Greenhouse user linked (users reference sync) to Beamery's assigned-to
 * user, through that user's Referrer record. Source and credited-to are set on creation only (seed).
 */
async function pushNew(key: string, contact: BeameryContact, state: SyncState | undefined, readAt: string, deps: ContactSyncDependencies): Promise<ContactSyncResult | 'conflict'> {
  const { greenhouse, idMap, options } = deps;
  if (await anyBlocked(contact.emails, deps)) return skip(deps, key, 'anonymized-until-consent', readAt);

  const existing = await existingCandidate(contact, deps);
  if (existing !== undefined) {
    await idMap.put({ greenhouseKey: entityKey('greenhouse', 'candidate', existing), beameryKey: key, status: 'active', updatedAt: readAt });
    const result = await updateLinked(key, contact, { greenhouseKey: entityKey('greenhouse', 'candidate', existing), beameryKey: key, status: 'active', updatedAt: readAt }, state, readAt, deps);
    return result === 'conflict' ? result : { ...result, outcome: 'linked' } as ContactSyncResult;
  }

  const [jobId, sources, referrerId] = await Promise.all([
    jobOfVacancies(contact.id, deps),
    contact.source ? collect(greenhouse.listSources()) : [],
    creditedTo(contact, deps),
  ]);
  const sourceId = sourceIdFor(contact.source, sources);
  const created = await greenhouse.createCandidate(
    candidateCreateFromContact(contact, {
      consentKeys: options.consentKeys,
      ...(jobId !== undefined ? { jobId } : {}),
      ...(sourceId !== undefined ? { sourceId } : {}),
      ...(referrerId !== undefined ? { referrerId } : {}),
    }),
  );
  const greenhouseKey = entityKey('greenhouse', 'candidate', created.id);
  await idMap.put({ greenhouseKey, beameryKey: key, status: 'active', updatedAt: readAt });
  const source = personGroupHashes(personFromContact(contact, options.consentKeys));
  const notesCopied = await copyBeameryNotes(key, contact.id, greenhouseKey, deps);
  const saved = await deps.ledger.putSyncState({
    entityKey: key,
    fieldHashes: nextBase(state?.fieldHashes, source),
    reconciledAt: readAt,
    ...(contact.updatedAt !== undefined ? { sourceVersion: contact.updatedAt } : {}),
    revision: state?.revision ?? 0,
  });
  if (!saved) return 'conflict';
  return { outcome: 'created', candidateId: created.id, groupsWritten: ['all'], conflicts: [], notesCopied };
}

/** The Referrer record of the Greenhouse user linked to the contact's assigned-to Beamery user, if both exist. */
async function creditedTo(contact: BeameryContact, deps: ContactSyncDependencies): Promise<number | undefined> {
  if (contact.assignedToUserId === undefined) return undefined;
  const user = (await deps.idMap.byBeamery(entityKey('beamery', 'user', contact.assignedToUserId))).find((l) => l.status === 'active');
  if (!user) return undefined;
  return referrerIdFor(Number(entityIdOf(user.greenhouseKey)), await collect(deps.greenhouse.listReferrers()));
}

async function existingCandidate(contact: BeameryContact, deps: ContactSyncDependencies): Promise<number | undefined> {
  const email = contact.primaryEmail ?? contact.emails[0];
  if (!email) return undefined;
  const found = await collect(deps.greenhouse.listCandidates({ email }));
  if (found.length !== 1) return undefined;
  const link = await deps.idMap.byGreenhouse(entityKey('greenhouse', 'candidate', found[0]!.id));
  return link === undefined ? found[0]!.id : undefined;
}

async function jobOfVacancies(contactId: string, deps: ContactSyncDependencies): Promise<number | undefined> {
  const memberships = await deps.beamery.listContactVacancies(contactId);
  if (memberships === 'unsupported') return undefined;
  for (const membership of memberships) {
    const links = await deps.idMap.byBeamery(entityKey('beamery', 'vacancy', membership.vacancyId));
    const job = links.find((l) => l.status === 'active');
    if (job) return Number(entityIdOf(job.greenhouseKey));
  }
  return undefined;
}

/** Merged away in Beamery (this contact lost). */
async function mergedInBeamery(key: string, winnerContactId: string, links: readonly Link[], deps: ContactSyncDependencies): Promise<ContactSyncResult> {
  const now = isoNow(deps.clock);
  const loser = links.find((l) => l.status === 'active');
  if (!loser) return { outcome: 'skipped', reason: 'merged-not-linked' };
  const winnerKey = entityKey('beamery', 'contact', winnerContactId);
  const winner = (await deps.idMap.byBeamery(winnerKey)).find((l) => l.status === 'active');
  if (!winner) {
    await deps.idMap.put({ greenhouseKey: loser.greenhouseKey, beameryKey: winnerKey, status: 'active', updatedAt: now });
    return { outcome: 'link-moved', candidateId: Number(entityIdOf(loser.greenhouseKey)) };
  }
  if (winner.greenhouseKey !== loser.greenhouseKey) {
    await deps.greenhouse.mergeCandidates(Number(entityIdOf(winner.greenhouseKey)), Number(entityIdOf(loser.greenhouseKey)));
  }
  await deps.idMap.put({ greenhouseKey: loser.greenhouseKey, beameryKey: key, status: 'merged-into', mergedInto: winner.greenhouseKey, updatedAt: now });
  await deps.audit.record({
    kind: 'operator-task',
    entityKey: loser.greenhouseKey,
    summary: `Beamery merged contact ${entityIdOf(key)} into ${winnerContactId}; Greenhouse candidate ${entityIdOf(loser.greenhouseKey)} merged into ${entityIdOf(winner.greenhouseKey)}`,
    detail: { reason: 'merged-in-beamery', winnerCandidateId: Number(entityIdOf(winner.greenhouseKey)) },
    at: now,
  });
  return { outcome: 'merged', candidateId: Number(entityIdOf(winner.greenhouseKey)) };
}

/**
 * Anonymized in Beamery: Greenhouse updates stop (the link is marked), the person's emails are kept
 * as keyed hashes so a re-add waits for consent, and in `bidirectional` mode the Greenhouse candidate
 * is anonymized too (seed "GDPR - Anonymize Contacts").
 */
async function anonymizedInBeamery(key: string, contact: BeameryContact, link: Link | undefined, deps: ContactSyncDependencies): Promise<ContactSyncResult> {
  if (!link) return { outcome: 'skipped', reason: 'anonymized-not-linked' };
  const now = isoNow(deps.clock);
  const candidateId = Number(entityIdOf(link.greenhouseKey));
  const { mode, greenhouseFields } = deps.options.anonymization;
  if (mode === 'bidirectional') await deps.greenhouse.anonymizeCandidate(candidateId, greenhouseFields);
  for (const email of contact.emails) await deps.ledger.recordAnonymized(identityHash(email, deps.options.identityKey), now);
  await deps.idMap.put({ ...link, status: 'anonymized', updatedAt: now });
  await deps.audit.record({
    kind: 'sync-skipped',
    entityKey: link.greenhouseKey,
    summary:
      mode === 'bidirectional'
        ? `contact ${contact.id} anonymized in Beamery: Greenhouse candidate ${candidateId} anonymized`
        : `contact ${contact.id} anonymized in Beamery: Greenhouse is authoritative, candidate ${candidateId} kept; its updates no longer reach Beamery`,
    detail: { reason: 'anonymized-in-beamery', mode },
    at: now,
  });
  return { outcome: 'anonymized', candidateId };
}

async function anyBlocked(emails: readonly string[], deps: ContactSyncDependencies): Promise<boolean> {
  for (const email of emails) {
    if (await deps.ledger.isBlockedAsAnonymized(identityHash(email, deps.options.identityKey))) return true;
  }
  return false;
}

async function skip(deps: ContactSyncDependencies, key: string, reason: string, at: string): Promise<ContactSyncResult> {
  await deps.audit.record({ kind: 'sync-skipped', entityKey: key, summary: `contact not synced: ${reason}`, detail: { reason }, at });
  return { outcome: 'skipped', reason };
}
