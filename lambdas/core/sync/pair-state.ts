import { entityKey } from '#core/envelope';
import type { ContactFieldGroup } from '#core/mapping/contact';
import { hashFieldGroup } from '#core/mapping/field-groups';
import { personGroupHashes, type PersonGroup, type PersonView } from '#core/mapping/person';
import type { LedgerStore } from './ports.ts';

/**
 * The Greenhouse → Beamery half of the agreed state of a linked pair (docs/architecture.md "One
 * agreed state per linked pair"). The Beamery → Greenhouse reconciler keeps the pair's person-view
 * hashes in the SyncState of the Beamery contact key; this module lets the Greenhouse → Beamery
 * reconciler use and maintain the same record:
 * - before writing, a changed contact group whose value Beamery already holds is dropped (an echo of
 *   a Beamery → Greenhouse write, or a value both sides reached on their own);
 * - a group Beamery also changed since the agreed state is a conflict: Greenhouse wins, so it is
 *   still written, and reported for Audit;
 * - after writing, the agreed state becomes what both sides now hold for the groups written or found
 *   equal, so the Beamery poller finding our write does not send it back (and does send what only
 *   Beamery holds).
 * The Beamery → Greenhouse reconciler asks it too whether its write was the one change in the candidate
 * (`holdsAgreedState`), before taking the write's webhook for an echo.
 */

/** The person group each contact field group carries (integration and applications have none: always written when changed). */
export const PERSON_GROUP_OF: Readonly<Partial<Record<ContactFieldGroup, PersonGroup>>> = {
  identity: 'name',
  emails: 'emails',
  phones: 'phones',
  links: 'links',
  location: 'address',
  role: 'role',
  tags: 'tags',
};

/** Lists Beamery's PATCH appends to (docs/beamery-assumptions.md): holding every Greenhouse item is enough. */
const APPENDED: readonly PersonGroup[] = ['emails', 'phones', 'links'];

export function pairStateKey(contactId: string): string {
  return entityKey('beamery', 'contact', contactId);
}

export interface PairCheck {
  /** The changed contact groups still to write. */
  readonly write: ContactFieldGroup[];
  /** Changed groups whose value Beamery already holds: not written. */
  readonly echoes: ContactFieldGroup[];
  /** Person groups Beamery also changed since the agreed state, with another value: Greenhouse wins. */
  readonly conflicts: PersonGroup[];
}

export function checkAgainstBeamery(
  changed: readonly ContactFieldGroup[],
  greenhouse: PersonView,
  beamery: PersonView,
  base: Readonly<Record<string, string>> | undefined,
): PairCheck {
  const result: PairCheck = { write: [], echoes: [], conflicts: [] };
  for (const group of changed) {
    const person = PERSON_GROUP_OF[group];
    if (person === undefined) {
      result.write.push(group);
      continue;
    }
    if (holds(person, beamery, greenhouse)) {
      result.echoes.push(group);
      continue;
    }
    const agreed = base?.[person];
    if (agreed !== undefined && hashFieldGroup(beamery[person]) !== agreed) result.conflicts.push(person);
    result.write.push(group);
  }
  return result;
}

/**
 * What both sides hold for a person group after the Greenhouse value was written to Beamery. For a list
 * Beamery appends to, that is Greenhouse's list, not Beamery's union: an item only Beamery holds (a
 * phone added there while this write was under way) has not reached Greenhouse yet, and agreeing on
 * it would make the Beamery direction see no change and never send it (found by `npm run chaos`).
 */
export function agreedAfterWrite(group: PersonGroup, greenhouse: PersonView): unknown {
  if (!APPENDED.includes(group)) return greenhouse[group];
  return [...new Set(greenhouse[group] as readonly string[])].sort();
}

/** The agreed state after a Greenhouse → Beamery write of `groups` (and of the echoes found equal). */
export function baseAfterGreenhouseWrite(
  base: Readonly<Record<string, string>> | undefined,
  groups: readonly ContactFieldGroup[],
  greenhouse: PersonView,
): Record<string, string> {
  const next: Record<string, string> = { ...base };
  for (const group of groups) {
    const person = PERSON_GROUP_OF[group];
    if (person !== undefined) next[person] = hashFieldGroup(agreedAfterWrite(person, greenhouse));
  }
  return next;
}

/**
 * Whether Greenhouse holds the pair's agreed state in every group the Greenhouse → Beamery direction
 * carries, so a reconcile of it there would find nothing to send. A Beamery → Greenhouse write is taken
 * for the one change in the candidate it leaves (own-write.ts) only then: a person's edit not synced
 * yet is in the write's reply too, and differs from the agreed state (which keeps that group's older
 * value, or Beamery's losing one in a conflict), as do the items a list union brought from Greenhouse.
 * The candidate's `updated_at` cannot tell: an edit in the same second as the version last reconciled
 * keeps it, and a rename never reached Beamery that way (e2e beamery-to-greenhouse 4c).
 */
export function holdsAgreedState(agreed: Readonly<Record<string, string>>, greenhouse: PersonView): boolean {
  const hashes = personGroupHashes(greenhouse);
  return Object.values(PERSON_GROUP_OF).every((group) => agreed[group] === hashes[group]);
}

function holds(group: PersonGroup, beamery: PersonView, greenhouse: PersonView): boolean {
  if (APPENDED.includes(group)) {
    const held = new Set(beamery[group] as readonly string[]);
    return (greenhouse[group] as readonly string[]).every((item) => held.has(item));
  }
  return hashFieldGroup(beamery[group]) === hashFieldGroup(greenhouse[group]);
}

/**
 * Stores a new agreed state for the pair, keeping the Beamery direction's `reconciledAt` (its
 * coalescing mark) and retrying once if the other direction stored meanwhile.
 */
export async function storePairBase(
  ledger: Pick<LedgerStore, 'getSyncState' | 'putSyncState'>,
  contactId: string,
  update: (base: Readonly<Record<string, string>> | undefined) => Record<string, string>,
): Promise<void> {
  const key = pairStateKey(contactId);
  for (let attempt = 0; attempt < 3; attempt++) {
    const state = await ledger.getSyncState(key);
    const saved = await ledger.putSyncState({
      entityKey: key,
      fieldHashes: update(state?.fieldHashes),
      // Never read by this direction: nothing of Beamery's is covered by it.
      reconciledAt: state?.reconciledAt ?? new Date(0).toISOString(),
      ...(state?.sourceVersion !== undefined ? { sourceVersion: state.sourceVersion } : {}),
      revision: state?.revision ?? 0,
    });
    if (saved) return;
  }
  throw new Error('the pair state lost three revision races in a row');
}
