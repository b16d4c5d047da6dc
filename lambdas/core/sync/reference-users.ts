import { isoNow, type Clock } from '#core/clock';
import { entityKey } from '#core/envelope';
import { normaliseEmail } from '#core/identity-hash';
import type { GreenhouseApi } from '#core/ports/greenhouse-api';
import type { BeameryApi } from '#core/ports/beamery-api';
import type { IdMapStore, Link } from './ports.ts';

/**
 * The reference sync for users (the "users, sources and departments" of the hourly reference sync;
 * Beamery has no departments or sources endpoint, beamery-api.md §2.7, so users are the part that
 * links): every active Greenhouse user is linked in the IdMap to the Beamery user with the same
 * email, so note authors (and later credited-to) can be mapped both ways.
 *
 * Rules:
 * - Greenhouse users are read in one listing (service accounts are hidden by the client unless asked
 *   for); a user with `deactivated: true` is never linked.
 * - A match is by normalised email (trimmed, lower-case), over the Greenhouse `primary_email` and all
 *   of `emails`. It must be one-to-one: a Greenhouse user whose emails reach two Beamery users, or a
 *   Beamery user reached by two Greenhouse users, is not linked (counted `unmatched`) rather than
 *   attributing notes to the wrong person.
 * - A link is written only when new, not active, or pointing at another Beamery user; an unchanged
 *   link is not written again.
 * - An active link whose Greenhouse user is deactivated, or who no longer has a unique match (the
 *   Beamery user is gone, an email changed, or the match became ambiguous), is marked `deleted`.
 *
 * Not covered: a Greenhouse user removed from Harvest altogether (absent from the listing) keeps its
 * link, since the IdMap port has no scan; Harvest deactivates users rather than deleting them.
 *
 * The core logs nothing and keeps emails only for the length of the call; the IdMap gets ids.
 */
export interface UserSyncDependencies {
  readonly greenhouse: Pick<GreenhouseApi, 'listUsers'>;
  readonly beamery: Pick<BeameryApi, 'listUsers'>;
  readonly idMap: IdMapStore;
  readonly clock: Clock;
}

export interface UserSyncResult {
  /** Links written active: new, re-activated, or moved to another Beamery user. */
  readonly linked: number;
  /** Matches whose active link was already right: nothing written. */
  readonly unchanged: number;
  /** Active Greenhouse users without a unique match. */
  readonly unmatched: number;
  /** Active links marked `deleted`. */
  readonly unlinked: number;
}

/** What the matcher reads of a Greenhouse user (Harvest's `users` shape). */
export interface GreenhouseUserEmails {
  readonly id: number;
  readonly primary_email?: string | null;
  readonly emails?: readonly string[] | null;
}

/** What the matcher reads of a Beamery user. */
export interface BeameryUserEmail {
  readonly id: string;
  readonly email?: string | null;
}

export interface UserMatch {
  readonly greenhouseId: number;
  readonly beameryId: string;
}

export interface UserMatchResult {
  /** One-to-one matches, in the order of the Greenhouse users given. */
  readonly matches: readonly UserMatch[];
  /** Greenhouse ids without a unique match (no email in common, or an ambiguous one). */
  readonly unmatched: readonly number[];
}

function emailsOf(user: GreenhouseUserEmails): Set<string> {
  const all = [user.primary_email, ...(user.emails ?? [])];
  const normalised = new Set<string>();
  for (const email of all) {
    if (typeof email !== 'string') continue;
    const n = normaliseEmail(email);
    if (n !== '') normalised.add(n);
  }
  return normalised;
}

/**
 * Pairs Greenhouse users with Beamery users by normalised email, one-to-one. Pure: no I/O, no clock.
 */
export function matchUsersByEmail(greenhouseUsers: readonly GreenhouseUserEmails[], beameryUsers: readonly BeameryUserEmail[]): UserMatchResult {
  const beameryByEmail = new Map<string, Set<string>>();
  for (const user of beameryUsers) {
    if (typeof user.email !== 'string') continue;
    const email = normaliseEmail(user.email);
    if (email === '') continue;
    const ids = beameryByEmail.get(email) ?? new Set<string>();
    ids.add(user.id);
    beameryByEmail.set(email, ids);
  }

  // Greenhouse id → the single Beamery id its emails reach (undefined: none or several).
  const candidate = new Map<number, string | undefined>();
  for (const user of greenhouseUsers) {
    const reached = new Set<string>();
    for (const email of emailsOf(user)) for (const id of beameryByEmail.get(email) ?? []) reached.add(id);
    candidate.set(user.id, reached.size === 1 ? [...reached][0] : undefined);
  }

  const claims = new Map<string, number>();
  for (const beameryId of candidate.values()) if (beameryId !== undefined) claims.set(beameryId, (claims.get(beameryId) ?? 0) + 1);

  const matches: UserMatch[] = [];
  const unmatched: number[] = [];
  const seen = new Set<number>();
  for (const { id } of greenhouseUsers) {
    if (seen.has(id)) continue;
    seen.add(id);
    const beameryId = candidate.get(id);
    if (beameryId !== undefined && claims.get(beameryId) === 1) matches.push({ greenhouseId: id, beameryId });
    else unmatched.push(id);
  }
  return { matches, unmatched };
}

/** Runs the users reference sync once (hourly from the poller). */
export async function syncUsers(deps: UserSyncDependencies): Promise<UserSyncResult> {
  const active: GreenhouseUserEmails[] = [];
  const deactivated: number[] = [];
  for await (const user of deps.greenhouse.listUsers()) {
    if (user.deactivated === true) deactivated.push(user.id);
    else active.push(user);
  }
  const beameryUsers = await deps.beamery.listUsers();
  const { matches, unmatched } = matchUsersByEmail(active, beameryUsers);

  const now = () => isoNow(deps.clock);
  let linked = 0;
  let unchanged = 0;
  let unlinked = 0;

  for (const { greenhouseId, beameryId } of matches) {
    const greenhouseKey = entityKey('greenhouse', 'user', greenhouseId);
    const beameryKey = entityKey('beamery', 'user', beameryId);
    const existing = await deps.idMap.byGreenhouse(greenhouseKey);
    if (existing?.status === 'active' && existing.beameryKey === beameryKey) {
      unchanged += 1;
      continue;
    }
    await deps.idMap.put({ greenhouseKey, beameryKey, status: 'active', updatedAt: now() });
    linked += 1;
  }

  for (const greenhouseId of [...unmatched, ...deactivated]) {
    const existing = await deps.idMap.byGreenhouse(entityKey('greenhouse', 'user', greenhouseId));
    if (existing?.status !== 'active') continue;
    const link: Link = { greenhouseKey: existing.greenhouseKey, beameryKey: existing.beameryKey, status: 'deleted', updatedAt: now() };
    await deps.idMap.put(link);
    unlinked += 1;
  }

  return { linked, unchanged, unmatched: unmatched.length, unlinked };
}
