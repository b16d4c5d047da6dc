import * as z from '#core/zod-mini';
import { isoNow, type Clock } from '#core/clock';
import { entityKey, type GreenhouseEventEnvelope, entityIdOf } from '#core/envelope';
import { identityHash, normaliseEmail } from '#core/identity-hash';
import { greenhouseProfileUrl, mapTags, normaliseTagName } from '#core/mapping/contact';
import { ValidationFailed } from '#core/api-errors';
import type { BeameryApi } from '#core/ports/beamery-api';
import type { BeameryContact, ContactWrite } from '#core/beamery/records';
import { anonymizationPlan, isEmptyWrite } from './lifecycle-anonymization.ts';
import type { AuditStore, IdMapStore, LedgerStore, Link } from './ports.ts';

/**
 * What happens in Beamery when a Greenhouse candidate is merged, anonymized or deleted (seed: "Merge
 * Duplicates", "GDPR - Anonymize Contacts"). These three events are the ones whose entity is gone or
 * changed beyond reading back, so they work from the envelope's payload and the IdMap link rather than
 * from a fresh read of Greenhouse.
 *
 * - `merge_candidate` (`person.id` = loser, `person.new_candidate_id` = winner): the loser's link
 *   becomes `merged-into` the winner. A winner without a link takes over the loser's contact; two
 *   linked contacts are merged in Beamery with the winner's as primary, after the loser's contact is
 *   re-pointed at the winner's Greenhouse id (Beamery never merges contacts with different ATS ids,
 *   S11, and the loser's id no longer exists in Greenhouse). Where the tenant's API cannot merge, or
 *   Beamery refuses, the loser's contact is tagged (`mergeTag`) and an operator task is written.
 *   The handler should reconcile the winner afterwards (Greenhouse moved the loser's applications).
 * - `candidate_anonymized` (`candidate_id`, `anonymized_fields`): the contact's email addresses are
 *   read first and recorded as keyed identity hashes (a re-added person is not created until consent),
 *   then Beamery anonymizes the contact; where it cannot, the mapped fields are blanked with a PATCH
 *   (lifecycle-anonymization.ts) and an operator task names what could not be blanked. The link
 *   becomes `anonymized`, which the candidate reconciler already treats as "no more updates".
 * - `delete_candidate` (`person.id`): the link becomes `deleted`; the contact is kept (Beamery is the
 *   system of record for sourced talent) and tagged (`deletionTag`, unless turned off).
 *
 * Nothing is deleted by the bridge. Beamery is written first and the link last, so a run that failed
 * halfway is finished by its retry; a replay of a finished run finds the link in its final status and
 * writes nothing anywhere. Tag writes read the contact and add to its tags, so none are dropped.
 *
 * The core logs nothing; it returns what it did, and the handler logs ids from that.
 */

export const LIFECYCLE_ACTIONS = ['merge_candidate', 'candidate_anonymized', 'delete_candidate'] as const;
export type LifecycleAction = (typeof LIFECYCLE_ACTIONS)[number];

export function isLifecycleAction(action: string): action is LifecycleAction {
  return (LIFECYCLE_ACTIONS as readonly string[]).includes(action);
}

export const DEFAULT_DELETION_TAG = 'Deleted in Greenhouse';
export const DEFAULT_MERGE_TAG = 'Merged in Greenhouse';

/**
 * Seed "GDPR - Anonymize Contacts": `bidirectional` (either system's anonymization anonymizes the
 * other) or `greenhouse-authoritative` (only Greenhouse's does). Greenhouse → Beamery behaves the same
 * in both; the mode matters to the Beamery → Greenhouse half, and is carried through in the result.
 */
export type AnonymizationMode = 'bidirectional' | 'greenhouse-authoritative';

export interface LifecycleOptions {
  /** HMAC key of identity hashes (anonymized people), from Secrets Manager. */
  readonly identityKey: string;
  readonly anonymization: {
    readonly mode: AnonymizationMode;
    /**
     * Greenhouse field names to blank when the tenant's API cannot anonymize. Default: the event's
     * `anonymized_fields` (what the Greenhouse admin configured).
     */
    readonly fields?: readonly string[];
  };
  /** Label of the tag put on the contact of a deleted candidate (default `Deleted in Greenhouse`); false: no tag. */
  readonly deletionTag?: string | false;
  /** Label of the tag put on the loser's contact when Beamery cannot merge (default `Merged in Greenhouse`). */
  readonly mergeTag?: string;
  /** Base of Greenhouse's web app, for the profile URL written when a contact is re-pointed (default https://app.greenhouse.io). */
  readonly greenhouseAppUrl?: string;
}

export interface LifecycleDependencies {
  readonly beamery: Pick<BeameryApi, 'getContact' | 'updateContact' | 'mergeContacts' | 'anonymizeContact'>;
  readonly idMap: IdMapStore;
  readonly ledger: Pick<LedgerStore, 'recordAnonymized'>;
  readonly audit: Pick<AuditStore, 'record'>;
  readonly clock: Clock;
  readonly options: LifecycleOptions;
}

/**
 * What a merge did in Beamery:
 * - `link-moved`: the winner had no link and now has the loser's contact;
 * - `contacts-merged`: the two contacts were merged (winner's primary);
 * - `operator-task`: they could not be merged through the API; the loser's contact is tagged (when it
 *   still takes writes) and an operator task is in Audit;
 * - `same-contact`: both were already linked to one contact;
 * - `loser-contact-missing`: the loser's contact is gone from Beamery, nothing to merge;
 * - `winner-link-inactive`: the winner's link is merged-into/anonymized/deleted; no Beamery change, operator task.
 */
export type MergeEffect = 'link-moved' | 'contacts-merged' | 'operator-task' | 'same-contact' | 'loser-contact-missing' | 'winner-link-inactive';

/** `anonymized`: by Beamery's API; `fields-blanked`: by the PATCH fallback; `contact-missing`: nothing in Beamery to anonymize. */
export type AnonymizationEffect = 'anonymized' | 'fields-blanked' | 'contact-missing';

/** `added`: written now; `already-present`; `disabled` by configuration; `contact-missing`; `contact-read-only` (anonymized or merged away in Beamery). */
export type TagEffect = 'added' | 'already-present' | 'disabled' | 'contact-missing' | 'contact-read-only';

export type LifecycleResult =
  /** A replay: the link already has the status this event gives it. Nothing was written. */
  | { readonly outcome: 'unchanged'; readonly action: LifecycleAction; readonly candidateKey: string; readonly reason: string }
  /** Nothing to do (reason recorded in Audit, except for an action this module does not handle). */
  | { readonly outcome: 'skipped'; readonly action: string; readonly candidateKey?: string; readonly reason: string }
  | {
      readonly outcome: 'merged';
      readonly action: 'merge_candidate';
      readonly loserKey: string;
      readonly winnerKey: string;
      /** The contact the winner's link points at. */
      readonly contactId: string;
      readonly beamery: MergeEffect;
    }
  | {
      readonly outcome: 'anonymized';
      readonly action: 'candidate_anonymized';
      readonly candidateKey: string;
      readonly contactId: string;
      readonly beamery: AnonymizationEffect;
      readonly mode: AnonymizationMode;
      /** Identity hashes recorded in the Ledger (one per distinct email address of the contact). */
      readonly identitiesRecorded: number;
      /** With `fields-blanked`: the Greenhouse fields whose Beamery counterpart could not be blanked. */
      readonly notBlanked: readonly string[];
    }
  | {
      readonly outcome: 'deleted';
      readonly action: 'delete_candidate';
      readonly candidateKey: string;
      readonly contactId: string;
      readonly tag: TagEffect;
    };

export async function handleCandidateLifecycle(envelope: GreenhouseEventEnvelope, deps: LifecycleDependencies): Promise<LifecycleResult> {
  switch (envelope.action) {
    case 'merge_candidate':
      return handleMerge(envelope, deps);
    case 'candidate_anonymized':
      return handleAnonymized(envelope, deps);
    case 'delete_candidate':
      return handleDeleted(envelope, deps);
    default:
      return { outcome: 'skipped', action: envelope.action, reason: 'not-a-lifecycle-action' };
  }
}

// ---------------------------------------------------------------------------------------------
// Payloads
// ---------------------------------------------------------------------------------------------

const id = z.pipe(z.union([z.number().check(z.int()), z.string().check(z.regex(/^\d+$/))]), z.transform(String));
const mergePayload = z.looseObject({ person: z.looseObject({ id, new_candidate_id: id }) });
const deletePayload = z.looseObject({ person: z.looseObject({ id }) });
const anonymizedPayload = z.looseObject({ candidate_id: id, anonymized_fields: z.optional(z.array(z.string())) });

/** The payload's ids, else the refs the router stored (both come from the same webhook body). */
function mergeIds(envelope: GreenhouseEventEnvelope): { loserId: string; winnerId: string } | undefined {
  const parsed = mergePayload.safeParse(envelope.payload);
  if (parsed.success) return { loserId: parsed.data.person.id, winnerId: parsed.data.person.new_candidate_id };
  const { candidateId, winnerCandidateId } = envelope.refs;
  return candidateId && winnerCandidateId ? { loserId: candidateId, winnerId: winnerCandidateId } : undefined;
}

function deletedId(envelope: GreenhouseEventEnvelope): string | undefined {
  const parsed = deletePayload.safeParse(envelope.payload);
  return parsed.success ? parsed.data.person.id : envelope.refs.candidateId;
}

function anonymizedEvent(envelope: GreenhouseEventEnvelope): { candidateId: string; fields: readonly string[] } | undefined {
  const parsed = anonymizedPayload.safeParse(envelope.payload);
  if (parsed.success) return { candidateId: parsed.data.candidate_id, fields: parsed.data.anonymized_fields ?? [] };
  return envelope.refs.candidateId ? { candidateId: envelope.refs.candidateId, fields: [] } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Merge
// ---------------------------------------------------------------------------------------------

async function handleMerge(envelope: GreenhouseEventEnvelope, deps: LifecycleDependencies): Promise<LifecycleResult> {
  const action = 'merge_candidate';
  const ids = mergeIds(envelope);
  if (!ids) return skip(deps, action, envelope.entityKey, 'malformed-payload');
  const loserKey = entityKey('greenhouse', 'candidate', ids.loserId);
  const winnerKey = entityKey('greenhouse', 'candidate', ids.winnerId);
  if (loserKey === winnerKey) return skip(deps, action, loserKey, 'merged-into-itself');

  const loser = await deps.idMap.byGreenhouse(loserKey);
  if (!loser) return skip(deps, action, loserKey, 'not-linked');
  if (loser.status === 'merged-into' && loser.mergedInto === winnerKey) return unchanged(action, loserKey, 'already-merged-into');
  if (loser.status !== 'active') return skip(deps, action, loserKey, `link-${loser.status}`);

  const now = isoNow(deps.clock);
  const loserContactId = contactIdOf(loser);
  const winner = await deps.idMap.byGreenhouse(winnerKey);
  let effect: MergeEffect;
  let contactId: string;
  if (!winner) {
    await deps.idMap.put({ greenhouseKey: winnerKey, beameryKey: loser.beameryKey, status: 'active', updatedAt: now });
    effect = 'link-moved';
    contactId = loserContactId;
  } else if (winner.status !== 'active') {
    await operatorTask(deps, loserKey, `candidate merged into ${winnerKey}, whose link is ${winner.status}: Beamery contacts left as they are`, {
      reason: `winner-link-${winner.status}`,
      winnerKey,
      loserContactId,
      winnerContactId: contactIdOf(winner),
    });
    effect = 'winner-link-inactive';
    contactId = contactIdOf(winner);
  } else if (winner.beameryKey === loser.beameryKey) {
    effect = 'same-contact';
    contactId = loserContactId;
  } else {
    contactId = contactIdOf(winner);
    effect = await mergeLinkedContacts(deps, { loserKey, winnerKey, winnerId: ids.winnerId, loserContactId, winnerContactId: contactId });
  }
  await deps.idMap.put({ greenhouseKey: loserKey, beameryKey: loser.beameryKey, status: 'merged-into', mergedInto: winnerKey, updatedAt: now });
  return { outcome: 'merged', action, loserKey, winnerKey, contactId, beamery: effect };
}

interface MergePair {
  readonly loserKey: string;
  readonly winnerKey: string;
  readonly winnerId: string;
  readonly loserContactId: string;
  readonly winnerContactId: string;
}

async function mergeLinkedContacts(deps: LifecycleDependencies, pair: MergePair): Promise<MergeEffect> {
  const { beamery } = deps;
  const contact = await beamery.getContact(pair.loserContactId);
  if (!contact) return 'loser-contact-missing';
  // An earlier attempt merged and then failed before the link was written.
  if (contact.mergedIntoId === pair.winnerContactId) return 'contacts-merged';
  if (contact.mergedIntoId || contact.anonymized) return mergeByOperator(deps, pair, undefined, contact.anonymized ? 'loser-contact-anonymized' : 'loser-contact-merged-elsewhere');

  // The loser's Greenhouse id is gone; Beamery refuses to merge contacts carrying different ATS ids.
  if (contact.greenhouseCandidateId !== pair.winnerId) {
    await beamery.updateContact(pair.loserContactId, {
      greenhouseCandidateId: pair.winnerId,
      greenhouseProfileUrl: greenhouseProfileUrl(pair.winnerId, deps.options.greenhouseAppUrl),
    });
  }
  let answer: 'done' | 'unsupported' | 'refused';
  try {
    answer = await beamery.mergeContacts(pair.winnerContactId, pair.loserContactId);
  } catch (error) {
    // 409: Beamery will not merge these two (one anonymized or merged away meanwhile, ATS ids).
    if (!(error instanceof ValidationFailed && error.status === 409)) throw error;
    answer = 'refused';
  }
  if (answer === 'done') return 'contacts-merged';
  return mergeByOperator(deps, pair, contact, answer === 'unsupported' ? 'merge-unsupported' : 'merge-refused');
}

/** The fallback: the loser's contact tagged (if it still takes writes) and a task for an operator to merge by hand. */
async function mergeByOperator(deps: LifecycleDependencies, pair: MergePair, writable: BeameryContact | undefined, reason: string): Promise<MergeEffect> {
  const tag = writable ? await addTag(deps, writable, deps.options.mergeTag ?? DEFAULT_MERGE_TAG) : 'contact-read-only';
  await operatorTask(deps, pair.loserKey, `merge Beamery contact ${pair.loserContactId} into ${pair.winnerContactId} by hand (candidate merged into ${pair.winnerKey}): ${reason}`, {
    reason,
    winnerKey: pair.winnerKey,
    loserContactId: pair.loserContactId,
    winnerContactId: pair.winnerContactId,
    tag,
  });
  return 'operator-task';
}

// ---------------------------------------------------------------------------------------------
// Anonymization
// ---------------------------------------------------------------------------------------------

async function handleAnonymized(envelope: GreenhouseEventEnvelope, deps: LifecycleDependencies): Promise<LifecycleResult> {
  const action = 'candidate_anonymized';
  const event = anonymizedEvent(envelope);
  if (!event) return skip(deps, action, envelope.entityKey, 'malformed-payload');
  const key = entityKey('greenhouse', 'candidate', event.candidateId);
  const link = await deps.idMap.byGreenhouse(key);
  if (!link) return skip(deps, action, key, 'not-linked');
  if (link.status === 'anonymized') return unchanged(action, key, 'already-anonymized');
  if (link.status !== 'active') return skip(deps, action, key, `link-${link.status}`);

  const { beamery, options } = deps;
  const contactId = contactIdOf(link);
  // Read before anything is blanked: the addresses are what stops the person coming back without consent.
  const contact = await beamery.getContact(contactId);
  const emails = contact ? distinctEmails(contact) : [];
  for (const email of emails) await deps.ledger.recordAnonymized(identityHash(email, options.identityKey), envelope.observedAt);

  let effect: AnonymizationEffect = 'contact-missing';
  let notBlanked: readonly string[] = [];
  if (contact?.anonymized) effect = 'anonymized';
  else if (contact) {
    const answer = await beamery.anonymizeContact(contactId);
    if (answer === 'done') effect = 'anonymized';
    else {
      const plan = anonymizationPlan(options.anonymization.fields ?? event.fields, contact);
      if (!isEmptyWrite(plan.write)) await beamery.updateContact(contactId, plan.write);
      await operatorTask(deps, key, `anonymize Beamery contact ${contactId} by hand: the tenant's API cannot anonymize; fields not blanked: ${plan.notBlanked.join(', ') || 'none'}`, {
        reason: 'anonymize-unsupported',
        contactId,
        blanked: plan.blanked.join(','),
        notBlanked: plan.notBlanked.join(','),
      });
      effect = 'fields-blanked';
      notBlanked = plan.notBlanked;
    }
  }
  await deps.idMap.put({ ...link, status: 'anonymized', updatedAt: isoNow(deps.clock) });
  return { outcome: 'anonymized', action, candidateKey: key, contactId, beamery: effect, mode: options.anonymization.mode, identitiesRecorded: emails.length, notBlanked };
}

function distinctEmails(contact: BeameryContact): string[] {
  const all = [contact.primaryEmail, ...contact.emails].filter((e): e is string => typeof e === 'string' && e.trim() !== '');
  return [...new Map(all.map((e) => [normaliseEmail(e), e] as const)).values()];
}

// ---------------------------------------------------------------------------------------------
// Deletion
// ---------------------------------------------------------------------------------------------

async function handleDeleted(envelope: GreenhouseEventEnvelope, deps: LifecycleDependencies): Promise<LifecycleResult> {
  const action = 'delete_candidate';
  const candidateId = deletedId(envelope);
  if (!candidateId) return skip(deps, action, envelope.entityKey, 'malformed-payload');
  const key = entityKey('greenhouse', 'candidate', candidateId);
  const link = await deps.idMap.byGreenhouse(key);
  if (!link) return skip(deps, action, key, 'not-linked');
  if (link.status === 'deleted') return unchanged(action, key, 'already-deleted');
  if (link.status !== 'active') return skip(deps, action, key, `link-${link.status}`);

  const contactId = contactIdOf(link);
  const label = deps.options.deletionTag === undefined ? DEFAULT_DELETION_TAG : deps.options.deletionTag;
  let tag: TagEffect = 'disabled';
  if (label !== false) {
    const contact = await deps.beamery.getContact(contactId);
    tag = contact ? await addTag(deps, contact, label) : 'contact-missing';
  }
  await deps.idMap.put({ ...link, status: 'deleted', updatedAt: isoNow(deps.clock) });
  return { outcome: 'deleted', action, candidateKey: key, contactId, tag };
}

// ---------------------------------------------------------------------------------------------
// Shared
// ---------------------------------------------------------------------------------------------

/**
 * Adds a tag to the contact's current tags (read just before) and writes the whole list, so no tag
 * is dropped whether the tenant's PATCH replaces or appends `globalTags`. The tag id is derived from
 * the label as for Greenhouse tags (mapping/contact.ts `mapTags`).
 */
async function addTag(deps: LifecycleDependencies, contact: BeameryContact, label: string): Promise<TagEffect> {
  if (contact.anonymized || contact.mergedIntoId) return 'contact-read-only';
  const [tag] = mapTags([label]);
  if (!tag) return 'disabled';
  const wanted = normaliseTagName(label);
  if (contact.tags.some((t) => t.id === tag.id || (t.label !== undefined && normaliseTagName(t.label) === wanted))) return 'already-present';
  const write: ContactWrite = { tags: [...contact.tags, tag] };
  await deps.beamery.updateContact(contact.id, write);
  return 'added';
}

function contactIdOf(link: Link): string {
  return entityIdOf(link.beameryKey);
}

function unchanged(action: LifecycleAction, candidateKey: string, reason: string): LifecycleResult {
  return { outcome: 'unchanged', action, candidateKey, reason };
}

async function skip(deps: LifecycleDependencies, action: LifecycleAction, key: string, reason: string): Promise<LifecycleResult> {
  await deps.audit.record({ kind: 'sync-skipped', entityKey: key, summary: `${action} not applied: ${reason}`, detail: { action, reason }, at: isoNow(deps.clock) });
  return { outcome: 'skipped', action, candidateKey: key, reason };
}

async function operatorTask(deps: LifecycleDependencies, key: string, summary: string, detail: Record<string, string>): Promise<void> {
  await deps.audit.record({ kind: 'operator-task', entityKey: key, summary, detail, at: isoNow(deps.clock) });
}
