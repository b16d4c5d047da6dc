import { NotFound, Unsupported } from '#core/api-errors';
import { getContact } from './contacts.ts';
import { CapabilityBroken } from './errors.ts';
import { BEAMERY_OPERATIONS } from './operations.ts';
import type { BeameryTransport } from './transport.ts';
import { UNSUPPORTED, type BeameryMembership, type BeameryPage, type BeameryVacancy, type Unsupportable, type VacancyWrite } from '#core/beamery/records';
import { parseMembership } from './wire/activity.ts';
import { idOf, parsePage, unwrapOne } from './wire/envelope.ts';
import { parseVacancy, vacancyWriteBody } from './wire/vacancy.ts';
import { listAll, offsetPaged } from './offset-paging.ts';

/**
 * Vacancies (LOW list, ASSUMED get/create/update; create and update behind the `vacancyCreate` and
 * `vacancyUpdate` capabilities) and a contact's vacancy membership and stage (ASSUMED, behind the
 * `vacancyStages` capability). Greenhouse is the source of truth for jobs; the
 * bridge writes vacancies and never reads them back into Greenhouse.
 */

export async function listVacancies(t: BeameryTransport, cursor: { offset: number } = { offset: 0 }): Promise<BeameryPage<BeameryVacancy>> {
  const request = { offset: cursor.offset, limit: t.pageSize };
  return t.call('listVacancies', { query: { limit: request.limit, offset: request.offset }, parse: (body) => parsePage(body, 'vacancies', parseVacancy, request) });
}

export async function* allVacancies(t: BeameryTransport): AsyncGenerator<BeameryVacancy> {
  yield* offsetPaged(t.pageSize, (request) => listVacancies(t, { offset: request.offset }));
}

/** The vacancy carrying this Greenhouse job id: the listing filters by no field, so it is read whole. */
export async function findVacancyOfJob(t: BeameryTransport, greenhouseJobId: string): Promise<BeameryVacancy | undefined> {
  for await (const vacancy of allVacancies(t)) if (vacancy.greenhouseJobId === greenhouseJobId) return vacancy;
  return undefined;
}

export async function getVacancy(t: BeameryTransport, id: string): Promise<BeameryVacancy | null> {
  try {
    return await t.call('getVacancy', { params: { id }, parse: (body) => parseVacancy(unwrapOne(body, 'vacancy')) });
  } catch (error) {
    if (error instanceof NotFound) return null;
    throw error;
  }
}

/**
 * ASSUMED `POST /vacancy`, behind the `vacancyCreate` capability: a create names no record, so a
 * 404/405/501 can only mean the route is missing, and the job sync gets a typed error naming the
 * capability instead of a bare NotFound. After an ambiguous failure, a vacancy already carrying this
 * Greenhouse job id is taken as the one written (S7: Beamery keys vacancy imports on the GH job id);
 * without a job id the outcome cannot be checked (WriteOutcomeUnknown).
 */
export async function createVacancy(t: BeameryTransport, write: VacancyWrite): Promise<{ id: string }> {
  const jobId = write.greenhouseJobId;
  const result = await t.gated(
    'vacancyCreate',
    () =>
      t.call('createVacancy', {
        json: vacancyWriteBody(write, t.vacancyFields),
        parse: (body) => ({ id: idOf(body, 'vacancy') }),
        verifyWrite:
          jobId !== undefined
            ? async () => {
                const ours = await findVacancyOfJob(t, jobId);
                return ours ? { id: ours.id } : undefined;
              }
            : undefined,
      }),
    async () => true,
  );
  return orThrowMissing(t, 'createVacancy', 'vacancyCreate', result, 'the create route answers 404 (a create names no record)');
}

/**
 * ASSUMED `PATCH /vacancy/{id}`, behind the `vacancyUpdate` capability. A 404 for a vacancy that the
 * listing (LOW `GET /vacancies`, not the equally ASSUMED `GET /vacancy/{id}`) holds means the route is
 * missing; for one it does not hold, the vacancy is gone (NotFound).
 */
export async function updateVacancy(t: BeameryTransport, id: string, write: VacancyWrite): Promise<{ id: string }> {
  const result = await t.gated(
    'vacancyUpdate',
    () => t.call('updateVacancy', { params: { id }, json: vacancyWriteBody(write, t.vacancyFields), parse: (body) => ({ id: body === undefined ? id : idOf(body, 'vacancy') }) }),
    () => vacancyListed(t, id),
  );
  return orThrowMissing(t, 'updateVacancy', 'vacancyUpdate', result, 'the update route answers 404 for a vacancy that GET /vacancies lists');
}

/** Configured off: the operator's Unsupported. Found missing: CapabilityBroken, which a consumer counts and alarms on. */
function orThrowMissing<T>(
  t: BeameryTransport,
  name: 'createVacancy' | 'updateVacancy',
  capability: 'vacancyCreate' | 'vacancyUpdate',
  result: Unsupportable<T>,
  evidence: string,
): T {
  if (result !== UNSUPPORTED) return result;
  const operation = `${BEAMERY_OPERATIONS[name].method} ${BEAMERY_OPERATIONS[name].path}`;
  if (t.capabilities.configuredOff(capability)) throw new Unsupported('beamery', operation, capability);
  throw new CapabilityBroken(operation, capability, evidence);
}

async function vacancyListed(t: BeameryTransport, id: string): Promise<boolean> {
  for await (const vacancy of allVacancies(t)) if (vacancy.id === id) return true;
  return false;
}

const bothExist = (t: BeameryTransport, contactId: string, vacancyId: string) => async () =>
  (await getContact(t, contactId)) !== null && (await vacancyListed(t, vacancyId));

/**
 * ASSUMED `PUT /contact/{id}/vacancies/{vacancyId}` with `{stage}` (a stage id or name; omitted = the
 * vacancy's first stage). One idempotent call both adds the contact and moves its stage.
 */
/**
 * ASSUMED `PUT /contact/{id}/vacancies/{vacancyId}` `{stage, rejectionReason}`: the membership is
 * written whole, so a PUT without a rejection reason clears one (an unrejected application).
 */
export async function setContactVacancyStage(
  t: BeameryTransport,
  contactId: string,
  vacancyId: string,
  stage?: string,
  details: MembershipDetails = {},
): Promise<Unsupportable<BeameryMembership>> {
  return t.gated(
    'vacancyStages',
    () =>
      t.call('setContactVacancyStage', {
        params: { id: contactId, vacancyId },
        json: { ...(stage === undefined ? {} : { stage }), ...(details.rejectionReason === undefined ? {} : { rejectionReason: details.rejectionReason }) },
        parse: (body) => parseMembership(body === undefined ? {} : unwrapOne(body, 'membership'), { contactId, vacancyId }),
      }),
    bothExist(t, contactId, vacancyId),
  );
}

export interface MembershipDetails {
  readonly rejectionReason?: string;
}

export async function removeContactFromVacancy(t: BeameryTransport, contactId: string, vacancyId: string): Promise<Unsupportable<'done'>> {
  return t.gated(
    'vacancyStages',
    () => t.call('removeContactFromVacancy', { params: { id: contactId, vacancyId }, parse: () => 'done' as const }),
    bothExist(t, contactId, vacancyId),
  );
}

export async function listContactVacancies(t: BeameryTransport, contactId: string): Promise<Unsupportable<BeameryMembership[]>> {
  return t.gated(
    'vacancyStages',
    () => listAll(t, 'listContactVacancies', 'vacancies', (raw) => parseMembership(raw, { contactId }), { params: { id: contactId } }),
    async () => (await getContact(t, contactId)) !== null,
  );
}
