import type { BeameryTransport } from './transport.ts';
import type { BeameryUser } from '#core/beamery/records';
import { parseUser } from './wire/activity.ts';
import { listAll } from './offset-paging.ts';

/** `GET /users`: MED that it exists (S1's URL example), ASSUMED shape (`{id, email, firstName, lastName}` in the usual envelope). */
export async function listUsers(t: BeameryTransport): Promise<BeameryUser[]> {
  return listAll(t, 'listUsers', 'users', parseUser);
}
