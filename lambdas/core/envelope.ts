import * as z from '#core/zod-mini';

/**
 * The one message shape on every bridge queue. A message means "entity X may have changed": the
 * consumer reads X's current state from its source and reconciles, so the envelope carries ids, not
 * state. Only events whose entity is gone (deletions, merges, anonymization) carry the payload they
 * need, and quarantined deliveries carry the raw body so nothing is lost.
 */
export const ENVELOPE_VERSION = 1;

export const origins = ['webhook', 'poll', 'backfill', 'push'] as const;
export type Origin = (typeof origins)[number];

/** Ids the consumer may need besides the entity key (strings, as SQS attributes and DynamoDB keys are). */
export const refsSchema = z.partial(
  z.object({
    candidateId: z.string(),
    applicationId: z.string(),
    jobIds: z.array(z.string()),
    jobPostId: z.string(),
    offerId: z.string(),
    scorecardId: z.string(),
    interviewId: z.string(),
    winnerCandidateId: z.string(),
  }),
);
export type Refs = z.infer<typeof refsSchema>;

const base = {
  v: z.literal(ENVELOPE_VERSION),
  entityKey: z.string().check(z.minLength(1)),
  origin: z.enum(origins),
  observedAt: z.iso.datetime(),
  deliveryId: z.string().check(z.minLength(1)),
};

/** A Greenhouse event routed to the consumer that owns it. */
export const greenhouseEventSchema = z.object({
  ...base,
  kind: z.literal('greenhouse.event'),
  action: z.string().check(z.minLength(1)),
  refs: refsSchema,
  payload: z.optional(z.record(z.string(), z.unknown())),
});

/** A delivery the bridge verified but cannot route: kept on a dead-letter queue for an operator. */
export const quarantinedDeliverySchema = z.object({
  ...base,
  kind: z.literal('greenhouse.quarantined'),
  reason: z.enum(['unknown-action', 'unroutable', 'invalid-id', 'malformed']),
  action: z.optional(z.string()),
  detail: z.string(),
  rawBodyBase64: z.string(),
});

/**
 * "Beamery contact X may have changed", on beamery-changes.fifo: found by the Beamery poller (origin
 * `poll`), or asked for by a person or automation (origin `push`: the Add to Greenhouse button or
 * bulk push through `POST /beamery/push`, `bridge push`, or the push tag the poller saw).
 */
export const beameryChangeSchema = z.object({
  ...base,
  kind: z.literal('beamery.change'),
  /** A push was asked for: create the contact in Greenhouse if it is not linked yet. */
  pushRequested: z.boolean(),
  /** The contact's `updatedAt` when the poller saw it (absent on push requests). */
  sourceVersion: z.optional(z.string()),
});

export const envelopeSchema = z.discriminatedUnion('kind', [greenhouseEventSchema, quarantinedDeliverySchema, beameryChangeSchema]);

export type GreenhouseEventEnvelope = z.infer<typeof greenhouseEventSchema>;
export type BeameryChangeEnvelope = z.infer<typeof beameryChangeSchema>;
export type QuarantinedDelivery = z.infer<typeof quarantinedDeliverySchema>;
export type Envelope = z.infer<typeof envelopeSchema>;

export function parseEnvelope(body: string): Envelope {
  return envelopeSchema.parse(JSON.parse(body));
}

/** SQS's largest message: the body plus every attribute's name, type and value, in bytes. */
export const SQS_MAX_MESSAGE_BYTES = 1024 * 1024;

// SQS refuses U+FFFE and U+FFFF in a body (JSON.stringify already escapes control characters and
// lone surrogates); the emulator also refuses characters outside the BMP, which SQS accepts. Written
// as \u escapes they are still the same JSON value.
const SQS_REFUSED = /[\ud800-\udfff\ufffe\uffff]/g;

/** The message body of an envelope: its JSON, in characters every SQS accepts. */
export function envelopeBody(envelope: Envelope): string {
  return JSON.stringify(envelope).replace(SQS_REFUSED, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

/**
 * The string attributes a message carries besides its body, so that an operator browsing a queue in
 * the console sees what a message is without opening it.
 */
export function envelopeAttributes(envelope: Envelope): Record<string, string> {
  return 'action' in envelope && envelope.action ? { kind: envelope.kind, action: envelope.action } : { kind: envelope.kind };
}

/** What SQS counts against SQS_MAX_MESSAGE_BYTES for a body and its string attributes. */
export function messageBytes(body: string, attributes: Record<string, string>): number {
  let bytes = Buffer.byteLength(body);
  for (const [name, value] of Object.entries(attributes)) bytes += Buffer.byteLength(name) + 'String'.length + Buffer.byteLength(value);
  return bytes;
}

export function entityKey(system: 'greenhouse' | 'beamery', type: string, id: string | number): string {
  return `${system}#${type}#${id}`;
}

/** The id part of an entity key (`greenhouse#candidate#42` → `42`): the inverse of entityKey. */
export function entityIdOf(key: string): string {
  return key.split('#')[2]!;
}
