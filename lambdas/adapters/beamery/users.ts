import type { BeameryTransport } from './transport.ts';
import type { BeameryUser } from '#core/beamery/records';
import { collect } from '#core/async-iterables';
import { parseUser } from './wire/activity.ts';
import { parsePage } from './wire/envelope.ts';
import { offsetPaged } from './offset-paging.ts';

/** `GET /users`: MED that it exists (S1's URL example), ASSUMED shape (`{id, email, firstName, lastName}` in the usual envelope). */
export async function listUsers(t: BeameryTransport): Promise<BeameryUser[]> {
  const pages = offsetPaged(t.pageSize, (request) =>
    t.call('listUsers', {
      query: { limit: request.limit, offset: request.offset },
      parse: (body) => parsePage(body, 'users', parseUser, request),
    }),
  );
  return collect(pages);
}
