import { isoNow, type Clock } from '#core/clock';
import { entityKey, type Origin, entityIdOf } from '#core/envelope';
import { identityHash } from '#core/identity-hash';
import type { GreenhouseApi } from '#core/ports/greenhouse-api';
import type { Candidate } from '#core/greenhouse/records';
import type { BeameryApi } from '#core/ports/beamery-api';
import {
  CONTACT_FIELD_GROUPS,
  contactFieldGroups,
  contactWriteForCreate,
  contactWriteForGroups,
  firstApplicationSourceId,
  mapCandidateToContact,
  rejectionReasonIdsOf,
  type ContactFieldGroup,
  type ContactMapping,
  type ContactMappingOptions,
  type LinkedJob,
} from '#core/mapping/contact';
import { changedFieldGroups, hashFieldGroups } from '#core/mapping/field-groups';
import { anonymizedBlock, matchContact, privateCandidateRule } from '#core/mapping/rules';
import { selectNotes } from '#core/mapping/notes';
import { copyNotesOnce } from './note-copy.ts';
import { attachmentSizeSkip } from '#core/mapping/attachments';
import type { AuditStore, IdMapStore, LedgerStore, Link, SyncState } from './ports.ts';
import { isCovered, nextSyncState } from './sync-state.ts';
import { baseAfterGreenhouseWrite, checkAgainstBeamery, pairStateKey, storePairBase } from './pair-state.ts';
import { consentGivenAt, personFromCandidate, personFromContact, personGroupHashes, type ConsentFieldKeys, type PersonView } from '#core/mapping/person';
import { recordConsentOf } from './consent-record.ts';
import { ownWriteFingerprint } from './own-write.ts';
import { withRevisionRetry } from './revision-retry.ts';
import { collect } from '#core/async-iterables';

/**
 * "Candidate X may have changed" → the Beamery contact made to match (DESIGN principle 2). Reads the
 * candidate's current state from Harvest v3, maps it with the seed's tables, and writes to Beamery
 * only the field groups whose hash differs from the last reconcile: a duplicate, late or replayed
 * message ends in no write at all. Notes and attachments are copied once each (Ledger marks), since
 * Greenhouse fires no webhook for them and they are found on every reconcile.
 *
 * The core logs nothing; it returns what it did, and the handler logs ids from that.
 */
const NOTHING_COVERED = new Date(0).toISOString();

export interface CandidateSyncOptions extends ContactMappingOptions {
  /** Seed "Block Private Contacts" (default true). */
  readonly blockPrivate?: boolean;
  /** Copy the bridge's own AI notes to Beamery too (SYNC_COPY_AI_NOTES; default false: they stay in Greenhouse). */
  readonly copyAiNotes?: boolean;
  /** HMAC key of identity hashes (anonymized people), from Secrets Manager. */
  readonly identityKey: string;
  /** The candidate custom fields holding consent (GREENHOUSE_CONSENT_*_FIELD): consent read there lifts the anonymization block. */
  readonly consentKeys?: ConsentFieldKeys;
}

/** What a candidate's reconcile reads from Greenhouse. */
export type CandidateReads = Pick<
  GreenhouseApi,
  'getCandidate' | 'listApplications' | 'listJobs' | 'listJobInterviewStages' | 'listRejectionReasons' | 'listRejectionDetails' | 'listAttachments' | 'listNotes' | 'listUsers' | 'listSources' | 'downloadAttachment'
>;

export interface CandidateSyncDependencies {
  readonly greenhouse: CandidateReads;
  /**
   * When reads shared with other reconciles began (batched-candidate-reads.ts): the reconcile covers
   * changes up to then only. Absent, its own reads begin when it does.
   */
  readonly readsSince?: string;
  readonly beamery: Pick<BeameryApi, 'findContactsByEmail' | 'findContactOfCandidate' | 'getContact' | 'createContact' | 'updateContact' | 'addContactToVacancy' | 'createNote' | 'listNotesSince' | 'uploadAttachment'>;
  readonly idMap: IdMapStore;
  readonly ledger: LedgerStore;
  readonly audit: AuditStore;
  readonly clock: Clock;
  readonly options: CandidateSyncOptions;
}

export interface CandidateTrigger {
  readonly candidateId: string;
  readonly observedAt: string;
  readonly origin: Origin;
  /** The webhook action (or the poll's stand-in for one) that announced the change. */
  readonly action?: string;
}

/** The announcement of a change to the candidate's own fields, which a Beamery → Greenhouse write causes. */
const CANDIDATE_FIELDS_CHANGED = 'update_candidate';

export type CandidateSyncResult =
  /** `echo`: the candidate is as the bridge's own last write left it (one read, nothing to do). */
  | { readonly outcome: 'covered' | 'gone' | 'echo' }
  | { readonly outcome: 'skipped'; readonly reason: string }
  | {
      readonly outcome: 'created' | 'linked' | 'updated' | 'unchanged';
      readonly contactId: string;
      readonly groupsWritten: readonly ContactFieldGroup[];
      readonly notesCopied: number;
      readonly attachmentsCopied: number;
      readonly unlinkedJobIds: readonly number[];
    };

export async function reconcileCandidate(trigger: CandidateTrigger, deps: CandidateSyncDependencies): Promise<CandidateSyncResult> {
  // A revision conflict means another reconcile of this candidate finished meanwhile.
  return withRevisionRetry(() => reconcileOnce(trigger, deps), 'candidate reconcile lost two revision races in a row');
}

async function reconcileOnce(trigger: CandidateTrigger, deps: CandidateSyncDependencies): Promise<CandidateSyncResult | 'conflict'> {
  const { greenhouse, idMap, ledger, clock, options } = deps;
  const key = entityKey('greenhouse', 'candidate', trigger.candidateId);
  const state = await ledger.getSyncState(key);
  if (isCovered(state, trigger.observedAt)) return { outcome: 'covered' };

  const readAt = deps.readsSince ?? isoNow(clock);
  const candidate = await greenhouse.getCandidate(Number(trigger.candidateId));
  if (!candidate) return { outcome: 'gone' };
  if (await isOwnWriteEcho(trigger, candidate, key, ledger)) return { outcome: 'echo' };
  const link = await idMap.byGreenhouse(key);
  if (link && link.status !== 'active') return skip(deps, key, `link-${link.status}`, readAt);

  const privacy = privateCandidateRule({
    isPrivate: candidate.private === true,
    alreadyLinked: link !== undefined,
    blockPrivate: options.blockPrivate ?? true,
    origin: trigger.origin,
  });
  if (privacy.kind === 'skip') return skip(deps, key, privacy.reason, readAt);

  const mapping = mapCandidateToContact(await loadSnapshot(candidate, deps), options);
  if (mapping.skip) return skip(deps, key, mapping.skip.reason, readAt);

  const emails = mapping.contact.emails ?? [];
  await recordConsentOf(emails, greenhouseConsentAt(candidate, options.consentKeys), ledger, options.identityKey);
  if (!link) {
    const blocked = await anyBlocked(emails, deps);
    const decision = anonymizedBlock({ linkedContactAnonymized: false, identityBlockedAsAnonymized: blocked });
    if (decision.blocked) return skip(deps, key, decision.reason, readAt);
  }

  const { contactId, outcome, previous } = await resolveContact(key, link, state, mapping, deps);
  const groups = contactFieldGroups(mapping);
  const hashes = hashFieldGroups(groups);
  const changed = changedFieldGroups(hashes, previous?.fieldHashes) as ContactFieldGroup[];
  const contactGroups = changed.filter((g) => g !== 'applications');
  const greenhousePerson = personFromCandidate(candidate, {});
  if (outcome === 'created') {
    // The agreed state of the new pair: what was just written.
    await storePairBase(ledger, contactId, (base) => ({ ...base, ...withoutConsent(personGroupHashes(greenhousePerson)) }));
  } else if (contactGroups.length > 0) {
    await writeChangedGroups(key, contactId, contactGroups, mapping, greenhousePerson, deps);
  }
  if (changed.includes('applications')) {
    for (const membership of mapping.memberships) {
      await deps.beamery.addContactToVacancy(
        contactId,
        membership.vacancyId,
        membership.stageName,
        membership.rejectionReason === undefined ? {} : { rejectionReason: membership.rejectionReason },
      );
    }
  }
  const notesCopied = await copyNotes(key, contactId, Number(trigger.candidateId), mapping, deps, outcome === 'created');
  const attachmentsCopied = await copyAttachments(key, contactId, mapping, deps);

  // With jobs not linked yet the contact is not complete: later messages must not count as covered.
  const coveredUntil = mapping.unlinkedJobIds.length > 0 ? (state?.reconciledAt ?? NOTHING_COVERED) : readAt;
  const saved = await ledger.putSyncState(nextSyncState(state, key, hashes, coveredUntil, candidate.updated_at ?? undefined));
  if (!saved) return 'conflict';
  return {
    outcome: outcome === 'update' ? (changed.length > 0 ? 'updated' : 'unchanged') : outcome,
    contactId,
    groupsWritten: outcome === 'created' ? [...CONTACT_FIELD_GROUPS] : changed,
    notesCopied,
    attachmentsCopied,
    unlinkedJobIds: mapping.unlinkedJobIds,
  };
}

/**
 * Writes the changed groups Beamery does not already hold (pair-state.ts): a Beamery → Greenhouse write
 * read back here is no change to send back. A group Beamery also changed since the pair's agreed
 * state is a conflict: Greenhouse wins, the group is written and the conflict goes to Audit.
 */
async function writeChangedGroups(
  key: string,
  contactId: string,
  groups: readonly ContactFieldGroup[],
  mapping: ContactMapping,
  greenhousePerson: PersonView,
  deps: CandidateSyncDependencies,
): Promise<void> {
  const contact = await deps.beamery.getContact(contactId);
  if (!contact) {
    await deps.beamery.updateContact(contactId, contactWriteForGroups(mapping, groups));
    return;
  }
  const beameryPerson = personFromContact(contact, {});
  const pair = await deps.ledger.getSyncState(pairStateKey(contactId));
  const check = checkAgainstBeamery(groups, greenhousePerson, beameryPerson, pair?.fieldHashes);
  if (check.conflicts.length > 0) {
    await deps.audit.record({
      kind: 'sync-conflict',
      entityKey: key,
      summary: `Greenhouse and Beamery both changed ${check.conflicts.join(', ')} of contact ${contactId}; Greenhouse wins`,
      detail: { contactId, groups: check.conflicts.join(','), direction: 'greenhouse-to-beamery' },
      at: isoNow(deps.clock),
    });
  }
  if (check.write.length > 0) await deps.beamery.updateContact(contactId, contactWriteForGroups(mapping, check.write));
  await storePairBase(deps.ledger, contactId, (base) => baseAfterGreenhouseWrite(base, [...check.write, ...check.echoes], greenhousePerson));
}

/** Consent is Beamery → Greenhouse only: this direction leaves its part of the agreed state alone. */
function withoutConsent(hashes: Record<string, string>): Record<string, string> {
  const { consent: _consent, ...rest } = hashes;
  return rest;
}

/** The contact to write to: the linked one, an email match the seed allows to take over, or a new one. */
async function resolveContact(
  key: string,
  link: Link | undefined,
  state: SyncState | undefined,
  mapping: ContactMapping,
  deps: CandidateSyncDependencies,
): Promise<{ contactId: string; outcome: 'created' | 'linked' | 'update'; previous: SyncState | undefined }> {
  if (link) return { contactId: entityIdOf(link.beameryKey), outcome: 'update', previous: state };
  const primary = mapping.contact.primaryEmail ?? mapping.contact.emails?.[0];
  const matches = primary ? await deps.beamery.findContactsByEmail(primary) : [];
  const decision = matchContact({
    candidateId: entityIdOf(key),
    emailMatches: matches.map((c) => ({ contactId: c.id, ...(c.greenhouseCandidateId ? { greenhouseCandidateId: c.greenhouseCandidateId } : {}) })),
  });
  const now = isoNow(deps.clock);
  if (decision.kind === 'create') {
    const made = await contactOfAnInterruptedCreate(key, deps);
    if (made !== undefined) {
      await deps.idMap.put({ greenhouseKey: key, beameryKey: entityKey('beamery', 'contact', made), status: 'active', updatedAt: now });
      await deps.ledger.clearCreationStarted(key);
      // Nothing says the interrupted attempt's later writes landed: every group is written again.
      return { contactId: made, outcome: 'linked', previous: undefined };
    }
    await deps.ledger.recordCreationStarted(key, now);
    const { id } = await deps.beamery.createContact(contactWriteForCreate(mapping));
    await deps.idMap.put({ greenhouseKey: key, beameryKey: entityKey('beamery', 'contact', id), status: 'active', updatedAt: now });
    await deps.ledger.clearCreationStarted(key);
    // Everything was written by the create; the memberships still need their own calls.
    return { contactId: id, outcome: 'created', previous: { entityKey: key, fieldHashes: withoutApplications(mapping), reconciledAt: now, revision: 0 } };
  }
  await deps.idMap.put({ greenhouseKey: key, beameryKey: entityKey('beamery', 'contact', decision.contactId), status: 'active', updatedAt: now });
  // A taken-over contact has no sync state of ours: every group is written.
  return { contactId: decision.contactId, outcome: decision.kind === 'update' ? 'update' : 'linked', previous: undefined };
}

/** How far Beamery's clock may be behind ours when its `updatedAt` of a contact we created is compared with our start. */
const CREATION_SKEW_MS = 5 * 60_000;

/**
 * The contact an earlier attempt created for this candidate and never linked, because its invocation
 * ended between Beamery's answer and the IdMap write (a timeout, a crash). A creation record says an
 * attempt began; the contact is found by the Greenhouse id the create wrote on it, among contacts
 * updated since then. Without a record nothing is listed, so an uninterrupted create costs no read.
 * With an email the match by email finds such a contact first; this is what finds one without.
 */
async function contactOfAnInterruptedCreate(key: string, deps: CandidateSyncDependencies): Promise<string | undefined> {
  const startedAt = await deps.ledger.creationStartedAt(key);
  if (startedAt === undefined) return undefined;
  const since = new Date(Date.parse(startedAt) - CREATION_SKEW_MS).toISOString();
  return (await deps.beamery.findContactOfCandidate(String(entityIdOf(key)), since))?.id;
}

function withoutApplications(mapping: ContactMapping): Record<string, string> {
  const { applications: _applications, ...rest } = hashFieldGroups(contactFieldGroups(mapping));
  return rest;
}

async function loadSnapshot(candidate: NonNullable<Awaited<ReturnType<GreenhouseApi['getCandidate']>>>, deps: CandidateSyncDependencies) {
  const { greenhouse, idMap } = deps;
  const applications = await collect(greenhouse.listApplications({ candidate_ids: [candidate.id] }));
  const jobIds = [...new Set(applications.flatMap((a) => (a.job_id ? [a.job_id] : [])))];
  const rejectedIds = applications.filter((a) => a.status === 'rejected').map((a) => a.id);
  const sourceId = firstApplicationSourceId(applications);
  const [jobs, stages, reasons, details, attachments, sources] = await Promise.all([
    jobIds.length ? collect(greenhouse.listJobs({ ids: jobIds })) : [],
    jobIds.length ? collect(greenhouse.listJobInterviewStages(jobIds)) : [],
    rejectedIds.length ? collect(greenhouse.listRejectionReasons({ includeDefaults: true })) : [],
    rejectedIds.length ? collect(greenhouse.listRejectionDetails({ application_ids: rejectedIds })) : [],
    collect(greenhouse.listAttachments({ candidate_ids: [candidate.id] })),
    // Only a contact's creation writes the source (seed); the listing is small and read whole.
    sourceId !== undefined ? collect(greenhouse.listSources()) : [],
  ]);
  const sourceName = sources.find((s) => s.id === sourceId)?.name ?? undefined;
  const linkedJobs = new Map<number, LinkedJob>();
  for (const job of jobs) {
    const jobLink = await idMap.byGreenhouse(entityKey('greenhouse', 'job', job.id));
    linkedJobs.set(job.id, {
      ...(jobLink?.status === 'active' ? { vacancyId: entityIdOf(jobLink.beameryKey) } : {}),
      confidential: job.confidential === true,
    });
  }
  return {
    candidate,
    applications,
    jobs: linkedJobs,
    stageNames: new Map(stages.map((s) => [s.id, s.name ?? ''] as const)),
    rejectionReasons: new Map(reasons.map((r) => [r.id, r.name ?? ''] as const)),
    rejectionReasonIds: rejectionReasonIdsOf(details),
    attachments,
    ...(sourceName ? { sourceName } : {}),
  };
}

/**
 * The candidate's fields changed, and its version is the one the bridge's own Beamery → Greenhouse
 * write produced: nothing changed after that write, and what it wrote came from Beamery. Only the
 * fields' own announcement qualifies: an application, note or attachment change has its own message
 * (its webhook's action, or the poller's `candidate_records_changed`) and may not move the
 * candidate's `updated_at`.
 */
async function isOwnWriteEcho(trigger: CandidateTrigger, candidate: Candidate, key: string, ledger: LedgerStore): Promise<boolean> {
  const fingerprint = ownWriteFingerprint(candidate);
  // A backfill reconciles everything it lists, whatever the bridge wrote last.
  if (trigger.action !== CANDIDATE_FIELDS_CHANGED || trigger.origin === 'backfill' || fingerprint === undefined) return false;
  return (await ledger.ownWriteVersion(key)) === fingerprint;
}

function greenhouseConsentAt(candidate: Candidate, keys: ConsentFieldKeys | undefined): string | undefined {
  if (!keys?.lastConsentDate) return undefined;
  const value = (key: string | undefined) => (key ? candidate.custom_fields?.[key]?.value : undefined);
  return consentGivenAt(value(keys.status), value(keys.lastConsentDate));
}

async function anyBlocked(emails: readonly string[], deps: CandidateSyncDependencies): Promise<boolean> {
  for (const email of emails) {
    if (await deps.ledger.isBlockedAsAnonymized(identityHash(email, deps.options.identityKey))) return true;
  }
  return false;
}

/**
 * Each note at least once and never twice (note-copy.ts: marked after the write, deduplicated by
 * content against the contact's notes).
 */
async function copyNotes(key: string, contactId: string, candidateId: number, mapping: ContactMapping, deps: CandidateSyncDependencies, created: boolean): Promise<number> {
  const notes = await collect(deps.greenhouse.listNotes({ candidate_ids: [candidateId] }));
  if (notes.length === 0) return 0;
  const authorIds = [...new Set(notes.flatMap((n) => (n.user_id ? [n.user_id] : [])))];
  const users = authorIds.length ? await collect(deps.greenhouse.listUsers({ ids: authorIds, includeServiceAccounts: true })) : [];
  const authors = new Map(users.map((u) => [u.id, { name: [u.first_name, u.last_name].filter(Boolean).join(' ') || undefined }] as const));
  const { copy } = selectNotes(notes, authors, { excludedApplicationIds: new Set(mapping.excludedApplicationIds), includeAiNotes: deps.options.copyAiNotes ?? false });
  return copyNotesOnce({
    ledger: deps.ledger,
    key,
    notes: copy.map(({ noteId, write }) => ({ sourceId: String(noteId), text: write.text, write })),
    target: {
      // A contact this reconcile created holds no notes yet: no read to find copies in it (a Beamery call per new contact).
      existing: async () => (created ? [] : deps.beamery.listNotesSince(contactId)),
      create: (write) => deps.beamery.createNote(contactId, write),
    },
    // The Beamery → Greenhouse direction lists this note too: marked, it is not sent back.
    onCopied: async (noteId) => {
      await deps.ledger.markCopied(pairStateKey(contactId), 'note', noteId);
    },
  });
}

/** Resumes and cover letters once each, downloaded at once (Greenhouse's URLs expire), within Beamery's limits. */
async function copyAttachments(key: string, contactId: string, mapping: ContactMapping, deps: CandidateSyncDependencies): Promise<number> {
  let copied = 0;
  for (const attachment of mapping.attachments.copy) {
    if (!(await deps.ledger.markCopied(key, 'attachment', String(attachment.id)))) continue;
    try {
      const file = await deps.greenhouse.downloadAttachment(attachment);
      const tooBig = attachmentSizeSkip(file.bytes.byteLength);
      if (tooBig) {
        await deps.audit.record({
          kind: 'sync-skipped',
          entityKey: key,
          summary: `attachment ${attachment.id} not copied: ${tooBig}`,
          at: isoNow(deps.clock),
        });
        continue;
      }
      const result = await deps.beamery.uploadAttachment(contactId, {
        fileName: attachment.filename ?? `attachment-${attachment.id}`,
        ...(file.contentType ? { contentType: file.contentType } : {}),
        bytes: file.bytes,
      });
      if (result === 'unsupported') {
        await deps.ledger.unmarkCopied(key, 'attachment', String(attachment.id));
        return copied;
      }
      copied++;
    } catch (error) {
      await deps.ledger.unmarkCopied(key, 'attachment', String(attachment.id));
      throw error;
    }
  }
  return copied;
}

async function skip(deps: CandidateSyncDependencies, key: string, reason: string, at: string): Promise<CandidateSyncResult> {
  await deps.audit.record({ kind: 'sync-skipped', entityKey: key, summary: `candidate not synced: ${reason}`, detail: { reason }, at });
  return { outcome: 'skipped', reason };
}
