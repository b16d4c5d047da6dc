import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { ADMIN_PREFIX } from '../../shared/faults.ts';
import { SimClock } from '../../shared/clock.ts';
import { describeIssues, parseInput, type SimContext } from '../context.ts';
import { contactWriteSchema } from '../model.ts';
import { applyScenario, parseScenario, type Scenario } from '../scenario.ts';
import { capabilitiesSchema, resolveSettings, type DeepPartial, type SimulatorSettings } from '../settings.ts';
import { SimError } from '../sim-error.ts';

/**
 * The test and operator side door, under `/_admin`: never rate-limited, faulted or authenticated.
 * Records come back in the simulator's stored shape (not a wire variant), so assertions do not
 * depend on the envelope or spelling switched on.
 */
export function registerAdminRoutes(app: FastifyInstance, context: SimContext, initial: { scenario?: Scenario; settings: SimulatorSettings }): void {
  const { state, settings, clock, tokens, requests } = context;
  const p = (path: string) => `${ADMIN_PREFIX}${path}`;

  app.get(p('/state'), async () => ({ ...state.snapshot(), settings: settings.current, activeTokens: tokens.active, now: new Date(clock.now()).toISOString() }));

  /** Back to the start scenario, or to the scenario in the body (its settings applied over the start settings). */
  app.post(p('/reset'), async (request) => {
    const body = request.body === undefined || (typeof request.body === 'object' && request.body !== null && Object.keys(request.body).length === 0) ? undefined : request.body;
    const scenario = body === undefined ? initial.scenario : parseScenario(body);
    state.clear();
    settings.replace(resolveSettings(initial.settings, scenario?.settings as DeepPartial<SimulatorSettings> | undefined));
    if (scenario) applyScenario(state, scenario, clock.now());
    return counts();
  });

  /** Adds a scenario's records without clearing. */
  app.post(p('/seed'), async (request) => {
    applyScenario(state, parseScenario(request.body), clock.now());
    return counts();
  });

  app.get<{ Params: { id: string } }>(p('/contacts/:id'), async (request) => state.requireContact(request.params.id));

  /** A contact created in the Beamery UI. */
  app.post(p('/contacts'), async (request, reply) => reply.code(201).send(state.createContact(parseInput(contactWriteSchema, request.body))));

  /** A recruiter's edit in the Beamery UI: given fields replace, `updatedAt` moves. */
  app.patch<{ Params: { id: string } }>(p('/contacts/:id'), async (request) => state.editContact(request.params.id, parseInput(contactWriteSchema, request.body)));

  app.post<{ Params: { id: string } }>(p('/contacts/:id/touch'), async (request) => state.touchContact(request.params.id));

  /** A recruiter merging two duplicates in the Beamery UI (allowed even when both carry Greenhouse ids). */
  app.post(p('/contacts/merge'), async (request) => {
    const { primaryId, secondaryId } = parseInput(z.object({ primaryId: z.string().min(1), secondaryId: z.string().min(1) }), request.body);
    return state.mergeContacts(primaryId, secondaryId, { fromUi: true });
  });

  app.get(p('/settings'), async () => settings.current);
  app.patch(p('/settings'), async (request) => {
    try {
      return settings.update((request.body ?? {}) as DeepPartial<SimulatorSettings>);
    } catch (error) {
      throw new SimError(400, error instanceof z.ZodError ? describeIssues(error) : String(error));
    }
  });
  app.put(p('/capabilities'), async (request) => settings.update({ capabilities: parseInput(capabilitiesSchema.partial(), request.body) }).capabilities);

  app.post(p('/clock/advance'), async (request) => {
    const { ms, seconds } = parseInput(z.object({ ms: z.number().min(0).optional(), seconds: z.number().min(0).optional() }), request.body);
    if (!(clock instanceof SimClock)) throw new SimError(409, 'the simulator runs on a clock that cannot be advanced');
    clock.advance((ms ?? 0) + (seconds ?? 0) * 1000);
    return { now: new Date(clock.now()).toISOString() };
  });

  app.post(p('/tokens/revoke'), async () => ({ revoked: tokens.revokeAll() }));

  app.get(p('/requests'), async () => requests.snapshot());
  app.delete(p('/requests'), async (_request, reply) => {
    requests.reset();
    return reply.code(204).send();
  });

  function counts() {
    return { contacts: state.contacts.size, vacancies: state.vacancies.size, users: state.users.size, notes: state.notes.length };
  }
}
