import * as z from '#core/zod-mini';
import type { BeameryStage, BeameryVacancy, VacancyWrite } from '#core/beamery/records';
import { vacancyBody } from './bodies.ts';
import { strip } from './contact.ts';
import { greenhouseIdFromIntegrations } from './greenhouse-id.ts';
import { asList, count, flag, id, listOf, location, parseOrThrow, reader, reference, tag, text, time, withRaw } from './values.ts';

/**
 * A vacancy → BeameryVacancy. Fields from reference §2.3 (MED, S2 partly reviewed; legacy extras
 * S5). Stages arrive as an array of `{id, name, order}` (the simulator's assumption), a keyed map, or
 * the legacy normalised `stages.entities.stages{<id>: {…}}` (S5). The Greenhouse job id is read
 * like a contact's (ASSUMED `integrations.greenhouse.id`; S7 says Beamery stores it, not where).
 */

const stage = z.pipe(
  z.looseObject({ id, name: text, value: text, label: text, order: count }),
  z.transform((s): BeameryStage | undefined => {
    const name = s.name ?? s.value ?? s.label;
    return name ? strip({ id: s.id, name, order: s.order }) : undefined;
  }),
);

const stagesOf = (input: unknown): BeameryStage[] => {
  const legacy = (input as { entities?: { stages?: unknown } } | undefined)?.entities?.stages;
  const items = legacy && typeof legacy === 'object' ? Object.values(legacy as object) : asList(input);
  return items
    .map((item) => stage.safeParse(item))
    .flatMap((r) => (r.success && r.data ? [r.data] : []))
    .sort((a, b) => (a.order ?? Number.MAX_SAFE_INTEGER) - (b.order ?? Number.MAX_SAFE_INTEGER));
};
const stages = z._default(z.pipe(z.unknown(), z.transform(stagesOf)), []);

const vacancyWire = z.looseObject({
  id,
  title: text,
  name: text,
  status: text,
  departmentId: text,
  description: text,
  salary: reader((v) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined)),
  type: text,
  priority: text,
  published: flag,
  remote: flag,
  jobUrl: text,
  requisitionId: text,
  location,
  owner: reference,
  integrations: z.optional(z.unknown()),
  stages,
  globalTags: listOf(tag),
  createdAt: time,
  createdTime: time,
  updatedAt: time,
  updatedTime: time,
});

export function parseVacancy(raw: unknown): BeameryVacancy {
  const v = parseOrThrow(vacancyWire, raw);
  const vacancy = strip({
    id: v.id,
    title: v.title ?? v.name,
    status: v.status,
    departmentId: v.departmentId,
    description: v.description,
    salary: v.salary,
    employmentType: v.type,
    priority: v.priority,
    published: v.published,
    remote: v.remote,
    jobUrl: v.jobUrl,
    requisitionId: v.requisitionId,
    location: v.location,
    ownerUserId: v.owner,
    greenhouseJobId: greenhouseIdFromIntegrations(v.integrations),
    stages: v.stages,
    tags: v.globalTags,
    createdAt: v.createdAt ?? v.createdTime,
    updatedAt: v.updatedAt ?? v.updatedTime,
  });
  return withRaw(vacancy as Omit<BeameryVacancy, 'raw'>, raw);
}

/**
 * Where the seed's vacancy fields that the public model lacks are written. The seed's "Field Reference"
 * column names them (`department`, `manager`, `sourcer`, `visibility`); no public API source does
 * (reference §2.3), so each is ASSUMED and configurable: a top-level field name, or `none` to leave the
 * field out for a tenant whose API refuses it.
 */
export interface VacancyFieldNames {
  /** Seed "Department" (`department`, string): the Greenhouse department's name. */
  readonly department?: string;
  /** Seed "Managed By" (`manager`, string): the hiring managers' names. */
  readonly managedBy?: string;
  /** Seed "Sourced By" (`sourcer`, string): the sourcers' names. */
  readonly sourcedBy?: string;
  /** Seed "Privacy" (`visibility`, enum): `private` for a confidential job, else `public`. */
  readonly privacy?: string;
}

export const DEFAULT_VACANCY_FIELD_NAMES: Required<VacancyFieldNames> = { department: 'department', managedBy: 'manager', sourcedBy: 'sourcer', privacy: 'visibility' };

/** Configuration text: a field name, or `none` (not written). */
export const vacancyFieldNameInput = z.string().check(z.trim(), z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'expected a field name or none' }));
const noneAsUndefined = z.transform((name: string) => (name === 'none' ? undefined : name));
export const vacancyFieldNameText = z.pipe(vacancyFieldNameInput, noneAsUndefined);

/** The setting of one field, defaulted before `none` becomes undefined (a default after it would undo `none`). */
export const vacancyFieldName = (defaultName: string) => z.pipe(z._default(vacancyFieldNameInput, defaultName), noneAsUndefined);

/** The vacancy request body: the S2 model's fields, then the seed's fields under the configured names. */
export function vacancyWriteBody(write: VacancyWrite, names: VacancyFieldNames = DEFAULT_VACANCY_FIELD_NAMES): Record<string, unknown> {
  const body = vacancyBody(write);
  const seedFields: readonly [string | undefined, unknown][] = [
    [names.department, write.department],
    [names.managedBy, write.managedBy],
    [names.sourcedBy, write.sourcedBy],
    [names.privacy, write.privacy],
  ];
  for (const [name, value] of seedFields) if (name !== undefined && value !== undefined) body[name] = value;
  return body;
}
