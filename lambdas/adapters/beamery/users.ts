import type { BeameryTransport } from './transport.ts';
import type { BeameryPage, BeameryUser } from '#core/beamery/records';
import { parseUser } from './wire/activity.ts';
import { parsePage } from './wire/envelope.ts';

/** `GET /users`: MED that it exists (S1's URL example), ASSUMED shape (`{id, email, firstName, lastName}` in the usual envelope). */
export async function listUsers(t: BeameryTransport): Promise<BeameryUser[]> {
  const users: BeameryUser[] = [];
  let offset: number | undefined = 0;
  while (offset !== undefined) {
    const request = { offset, limit: t.pageSize };
    const page: BeameryPage<BeameryUser> = await t.call('listUsers', {
      query: { limit: request.limit, offset: request.offset },
      parse: (body) => parsePage(body, 'users', parseUser, request),
    });
    users.push(...page.items);
    offset = page.nextOffset;
  }
  return users;
}
