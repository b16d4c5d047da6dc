import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import { seededRandom } from '../shared/random.ts';
import { contactWriteSchema, vacancyWriteSchema } from './model.ts';
import { simulatorSettingsSchema } from './settings.ts';
import type { BeameryState } from './state.ts';

/**
 * A simulated tenant's starting data, as JSON (`scenarios/beamery/*.json`). Records are given in the
 * same shapes the API accepts on write, plus fixed ids and timestamps so tests can refer to them.
 * `generate` adds many fictional contacts for paging tests and the benchmark.
 */

const stamps = { id: z.string().min(1).optional(), createdAt: z.iso.datetime().optional(), updatedAt: z.iso.datetime().optional() };

export const scenarioSchema = z.strictObject({
  name: z.string().optional(),
  description: z.string().optional(),
  /** Settings the scenario needs (e.g. a capability switched off); deep-merged over the defaults. */
  settings: z.record(z.string(), z.unknown()).optional(),
  users: z
    .array(z.strictObject({ id: z.string().optional(), email: z.string(), firstName: z.string().optional(), lastName: z.string().optional(), role: z.string().optional() }))
    .default([]),
  vacancies: z.array(vacancyWriteSchema.extend(stamps)).default([]),
  contacts: z.array(contactWriteSchema.extend(stamps)).default([]),
  memberships: z.array(z.strictObject({ contactId: z.string(), vacancyId: z.string(), stage: z.string().optional() })).default([]),
  notes: z
    .array(z.strictObject({ contactId: z.string(), text: z.string(), private: z.boolean().default(false), authorId: z.string().optional(), createdAt: z.iso.datetime().optional() }))
    .default([]),
  generate: z
    .strictObject({
      contacts: z.number().int().min(0).max(100_000).default(0),
      seed: z.number().int().default(7),
      /** Spread generated `createdAt`/`updatedAt` over this many simulated minutes before now. */
      spreadMinutes: z.number().int().min(0).default(60 * 24),
    })
    .optional(),
});
export type Scenario = z.input<typeof scenarioSchema>;

export async function readScenarioFile(path: string): Promise<Scenario> {
  return parseScenario(JSON.parse(await readFile(path, 'utf8')));
}

export function parseScenario(input: unknown): Scenario {
  const parsed = scenarioSchema.safeParse(input);
  if (!parsed.success) throw new Error(`invalid Beamery scenario: ${z.prettifyError(parsed.error)}`);
  // Settings are checked here too, so a typo fails at load rather than being ignored.
  simulatorSettingsSchema.partial().parse(parsed.data.settings ?? {});
  return input as Scenario;
}

/** Adds a scenario's records to the state (call `state.clear()` first for a reset). */
export function applyScenario(state: BeameryState, input: Scenario, now: number): void {
  const scenario = scenarioSchema.parse(input);
  for (const user of scenario.users) state.addUser(user);
  for (const { id, createdAt, updatedAt, ...body } of scenario.vacancies) state.createVacancy(body, { id, createdAt, updatedAt });
  for (const { id, createdAt, updatedAt, ...body } of scenario.contacts) state.createContact(body, { id, createdAt, updatedAt });
  for (const m of scenario.memberships) state.setMembership(m.contactId, m.vacancyId, m.stage, false);
  for (const { contactId, ...note } of scenario.notes) state.addNote(contactId, note, false);
  if (scenario.generate && scenario.generate.contacts > 0) generateContacts(state, scenario.generate, now);
}

const FIRST = ['Ada', 'Bram', 'Cleo', 'Dara', 'Emil', 'Fen', 'Gus', 'Hana', 'Ilse', 'Joss', 'Kit', 'Lior', 'Mika', 'Nell', 'Odo', 'Pia', 'Quin', 'Rui', 'Sol', 'Tove'];
const LAST = ['Arden', 'Brook', 'Corran', 'Dale', 'Ember', 'Frost', 'Grove', 'Hollis', 'Ives', 'Jarrow', 'Kestrel', 'Lorne', 'Marsh', 'Nolan', 'Orme', 'Pike', 'Quarry', 'Reed', 'Shaw', 'Thorne'];
const ROLES = ['Software Engineer', 'Data Analyst', 'Product Designer', 'Recruiter', 'SRE', 'Engineering Manager'];
const COMPANIES = ['Example Corp', 'Sample Systems', 'Fictional Labs', 'Placeholder Ltd'];

/** Fictional people at example.com; deterministic for a seed, so runs compare. */
export function generateContacts(state: BeameryState, options: { contacts: number; seed: number; spreadMinutes: number }, now: number): void {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  for (let i = 0; i < options.contacts; i++) {
    const firstName = pick(FIRST);
    const lastName = pick(LAST);
    const at = new Date(now - Math.floor(random() * options.spreadMinutes * 60_000)).toISOString();
    state.createContact(
      {
        firstName,
        lastName,
        primaryEmail: `${firstName}.${lastName}.${i}@example.com`.toLowerCase(),
        experience: [{ organisationName: pick(COMPANIES), role: pick(ROLES), current: true }],
        creationSource: { value: 'generated' },
      },
      { createdAt: at, updatedAt: at },
    );
  }
}
