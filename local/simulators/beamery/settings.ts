import * as z from 'zod';

/**
 * Everything about the simulated Beamery tenant that a test may want to vary. Where Beamery's public
 * record disagrees with itself (docs envelope vs real client code, `updatedAt` vs `updatedTime`,
 * emails as objects or strings) or says nothing (PATCH array semantics, which features a tenant has),
 * the simulator offers each reading as a switch, so the client is tested against all of them rather
 * than against one guess. Defaults follow the documented shapes (S2) and the reference's best guesses.
 */

const ARRAY_MODE = z.enum(['append', 'replace']);

export const wireSettingsSchema = z.strictObject({
  /**
   * `documented`: `{success, contacts, pagination:{total,limit,offset,hasMore}}` (S2 docs, fixture) and
   * single objects as `{success, contact}`. `code`: `{contacts, total_count, last_batch}` as real client
   * code reads it (S4), single objects bare.
   */
  envelope: z.enum(['documented', 'code']).default('documented'),
  /** `updatedAt`/`createdAt` (S2, S10) or `updatedTime`/`createdTime` (S4 list responses). */
  timestamps: z.enum(['updatedAt', 'updatedTime']).default('updatedAt'),
  /**
   * How emails, phoneNumbers, links (and experience) read back: `objects` `[{id,value,type}]` (S2),
   * `strings` `["a@b"]` (the S4 write shape), `keyed` `{keys, values}` (legacy internal document, S5/S6).
   */
  listValues: z.enum(['objects', 'strings', 'keyed']).default('objects'),
});

/**
 * Paths with no public evidence that have a plausible alternative. The simulator serves only the
 * configured one and answers 404 on the other, as a tenant would if our guess were wrong.
 */
export const pathsSchema = z.strictObject({
  /** ASSUMED `GET /contact/{id}` (by analogy with the singular create/update, S4), or the plural REST form. */
  contactRead: z.enum(['/contact/{id}', '/contacts/{id}']).default('/contact/{id}'),
  /** ASSUMED vacancy create/get/update: `POST /vacancy`, `GET|PATCH /vacancy/{id}`, or the plural `/vacancies…`. */
  vacancy: z.enum(['/vacancy', '/vacancies']).default('/vacancy'),
});

/**
 * Where the tenant keeps what no public source locates (docs/beamery-assumptions.md). `greenhouseId`:
 * `integrations` accepts `integrations.greenhouse.id` on API writes (ASSUMED, today's client);
 * `ignored` drops `integrations` from API writes silently, as a field owned by the native integration
 * would be (admin edits and scenarios still set it). `consent`: `top-level` renders `consentStatus` and
 * `lastConsentDate` as fields (the seed's names); `custom-fields` renders them only as tenant custom
 * fields (the only public code, S4): a yes/no select (option id, `displayValue` label) and a date.
 */
export const fieldsSchema = z.strictObject({
  greenhouseId: z.enum(['integrations', 'ignored']).default('integrations'),
  consent: z.enum(['top-level', 'custom-fields']).default('top-level'),
  consentStatusFieldId: z.string().min(1).default('cf-consent-status'),
  consentDateFieldId: z.string().min(1).default('cf-consent-date'),
  /**
   * The name the API gives the seed's profile tags (ASSUMED): `tags` (the seed's Field Reference) or
   * `profileTags`; the other name is refused on API writes (400) and never rendered.
   */
  profileTags: z.enum(['tags', 'profileTags']).default('tags'),
  /**
   * The seed's vacancy fields without a public API name: `seed` accepts `department`, `manager`,
   * `sourcer` and `visibility` (the seed's Field References); `model-only` has only the S2 vacancy
   * model and refuses them as unknown fields (400), as a tenant would if they are UI-only.
   */
  vacancy: z.enum(['seed', 'model-only']).default('seed'),
});

export const capabilitiesSchema = z.strictObject({
  // None of these has public evidence (reference §2.1): a tenant without them answers 404.
  merge: z.boolean().default(true),
  anonymize: z.boolean().default(true),
  notes: z.boolean().default(true),
  attachments: z.boolean().default(true),
  vacancyStages: z.boolean().default(true),
});

/**
 * PATCH semantics per array field. S4: `phoneNumbers` in a PATCH "does not overwrite" (additive), and
 * sending `customFields` can blank values (full replacement). The identity lists (emails, links) are
 * assumed additive like phones; everything else is assumed to replace.
 */
export const patchArraysSchema = z.strictObject({
  emails: ARRAY_MODE.default('append'),
  phoneNumbers: ARRAY_MODE.default('append'),
  links: ARRAY_MODE.default('append'),
  globalTags: ARRAY_MODE.default('replace'),
  tags: ARRAY_MODE.default('replace'),
  customFields: ARRAY_MODE.default('replace'),
  experience: ARRAY_MODE.default('replace'),
  education: ARRAY_MODE.default('replace'),
  skills: ARRAY_MODE.default('replace'),
  languages: ARRAY_MODE.default('replace'),
});
export type PatchArrayField = keyof z.infer<typeof patchArraysSchema>;

export const behaviourSchema = z.strictObject({
  /** Unknown whether adding a note bumps the contact's `updatedAt` (reference §3.4); assumed not. */
  notesBumpContact: z.boolean().default(false),
  /** Unknown whether `updated_at` polling returns anonymized contacts (§3.6); assumed it does. */
  anonymizedInPolling: z.boolean().default(true),
  /** What `GET /contact/{id}` answers for a merged-away contact (§3.5): the document with `mergedIn`, or 404. */
  mergedRead: z.enum(['document', 'not-found']).default('document'),
  /** What `GET /contact/{id}` answers for an anonymized contact: the stripped document, or 404. */
  anonymizedRead: z.enum(['document', 'not-found']).default('document'),
});

export const simulatorSettingsSchema = z.strictObject({
  credentials: z
    .strictObject({
      clientId: z.string().min(1).default('local-beamery-client'),
      clientSecret: z.string().min(1).default('local-beamery-secret'),
    })
    .prefault({}),
  /**
   * Which login the tenant serves: `oauth` `POST /v1/oauth/token` (HIGH, S2/S4), `basic` `GET /v1/auth`
   * with Basic `username:password` (MED, S1's older render), or `both`. The other answers 404. Basic
   * checks `credentials.clientId` as the username, `clientSecret` as the password.
   */
  auth: z.enum(['oauth', 'basic', 'both']).default('oauth'),
  /** `expires_in` of minted tokens, in simulated seconds. Beamery's real value is undocumented. */
  tokenLifetimeSeconds: z.number().int().positive().default(3600),
  rateLimit: z
    .strictObject({
      /** Per tenant, 1-second fixed windows (HIGH, S1/S2). */
      perSecond: z.number().int().positive().default(40),
      /** The token endpoint's own limit (HIGH, S1). */
      tokenPerSecond: z.number().int().positive().default(30),
    })
    .prefault({}),
  wire: wireSettingsSchema.prefault({}),
  paths: pathsSchema.prefault({}),
  fields: fieldsSchema.prefault({}),
  capabilities: capabilitiesSchema.prefault({}),
  patchArrays: patchArraysSchema.prefault({}),
  behaviour: behaviourSchema.prefault({}),
});

export type SimulatorSettings = z.infer<typeof simulatorSettingsSchema>;
export type WireSettings = SimulatorSettings['wire'];
export type FieldSettings = SimulatorSettings['fields'];
export type Capability = keyof SimulatorSettings['capabilities'];

export type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/** Plain-object deep merge: arrays and scalars in `patch` replace, objects merge. */
export function mergeDeep<T>(base: T, patch: DeepPartial<T> | undefined): T {
  if (patch === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(patch)) return patch as T;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    out[key] = mergeDeep((base as Record<string, unknown>)[key], value as never);
  }
  return out as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function resolveSettings(...layers: (DeepPartial<SimulatorSettings> | undefined)[]): SimulatorSettings {
  const merged = layers.reduce<Record<string, unknown>>((acc, layer) => mergeDeep(acc, layer as never), {});
  return simulatorSettingsSchema.parse(merged);
}

/** The live settings of one simulator; the admin API and tests change them while it runs. */
export class SettingsHolder {
  private value: SimulatorSettings;

  constructor(initial: SimulatorSettings) {
    this.value = initial;
  }

  get current(): SimulatorSettings {
    return this.value;
  }

  update(patch: DeepPartial<SimulatorSettings>): SimulatorSettings {
    this.value = resolveSettings(this.value, patch);
    return this.value;
  }

  replace(next: SimulatorSettings): void {
    this.value = next;
  }
}
