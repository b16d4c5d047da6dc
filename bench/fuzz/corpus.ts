import { createHash, createHmac } from 'node:crypto';
import { signGreenhouseBody } from '#core/webhooks/signature';
import type { WebhookFixture } from '../../test/support/fixtures.ts';

/**
 * The webhook cases of `npm run fuzz`, generated from a seed: what is sent (bytes and raw headers),
 * whether its Signature header is the HMAC of exactly those bytes under the secret (`authentic`),
 * and the statuses the bridge may answer. Classes are dealt from a shuffled deck, so every class
 * turns up in every hundred cases whatever the total.
 */
export interface FuzzCase {
  readonly kind: CaseKind;
  readonly body: Buffer;
  /** Header names and values in the order and case they are sent. */
  readonly headers: readonly (readonly [string, string])[];
  /** The last Signature header (the one API Gateway hands the function) is a valid HMAC of `body`. */
  readonly authentic: boolean;
  /** The statuses this case may get; anything else is a broken invariant. */
  readonly expect: readonly number[];
}

export interface CorpusContext {
  readonly secret: string;
  readonly payloadCapBytes: number;
  /** The official examples (ping included), each as Greenhouse sends it. */
  readonly fixtures: readonly WebhookFixture[];
}

/** Class and its share of the deck, per hundred cases. */
const DECK = {
  official: 12,
  redelivery: 4,
  unsigned: 8,
  'signature-header': 10,
  tampered: 10,
  'random-bytes': 8,
  truncated: 6,
  'deep-nesting': 5,
  'wrong-types': 7,
  'invalid-ids': 8,
  'prototype-keys': 5,
  huge: 2,
  'unknown-action': 5,
  unicode: 4,
  'same-event-id': 4,
  'event-id-header': 2,
} as const satisfies Record<string, number>;
export type CaseKind = keyof typeof DECK;
export const CASE_KINDS = Object.keys(DECK) as CaseKind[];

// --- randomness ------------------------------------------------------------------------------------

export interface Rng {
  (): number;
  int(below: number): number;
  pick<T>(items: readonly T[]): T;
}

/** mulberry32: small, seedable, good enough to pick cases. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (() => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }) as Rng;
  next.int = (below) => Math.floor(next() * below);
  next.pick = (items) => items[next.int(items.length)]!;
  return next;
}

// --- generation ------------------------------------------------------------------------------------

/** `count` cases from `seed`: the same arguments always give the same cases. */
export function* fuzzCorpus(count: number, seed: number, context: CorpusContext): Generator<FuzzCase> {
  const rng = seededRng(seed);
  const make = caseMakers(rng, context, seed);
  let emitted = 0;
  // Every official example first, signed, so a run of any size covers them all.
  for (const fixture of context.fixtures) {
    if (emitted++ >= count) return;
    yield make.signed('official', fixture.raw, [200]);
  }
  let deck: CaseKind[] = [];
  let pending: FuzzCase[] = [];
  while (emitted < count) {
    if (pending.length === 0) {
      if (deck.length === 0) deck = shuffled(CASE_KINDS.flatMap((kind) => Array<CaseKind>(DECK[kind]).fill(kind)), rng);
      pending = make[deck.pop()!]();
    }
    emitted++;
    yield pending.shift()!;
  }
}

function shuffled<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

const BAD_IDS = ['-5', '0', '"0"', '"007"', `"${'9'.repeat(300)}"`, '9'.repeat(300), '1.5', '9007199254740993', '"9007199254740993"', '"-5"', '"12abc"', 'true', 'null', '{}', '[1]', '1e300', '-0', '""'];
const WRONG_TYPES = ['42', 'true', 'null', '[]', '{}', '""', '"x"', '[1,2]', '{"a":1}', '1e999'];
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];
const ODD_TEXT = ['😀', 'Zoë', '\uffff', '\ufffe', '\ud800', '\udfff', '\u0000', '\u001f', '\u2028', '\u202e', '𝔘𝔫𝔦', '<script>', '&amp;', '\\', '"'];
/** A placeholder value, replaced after JSON.stringify with raw JSON text (numbers JSON.stringify cannot write). */
const RAW_VALUE = '@@raw@@';

function caseMakers(rng: Rng, { secret, payloadCapBytes, fixtures }: CorpusContext, seed: number) {
  let serial = 0;
  const eventId = () => `fuzz-${seed}-${serial++}`;
  const routable = fixtures.filter((f) => f.action !== 'ping');
  const anyFixture = () => rng.pick(fixtures);
  const fixture = (action: string) => fixtures.find((f) => f.action === action)!;
  const carried = ['delete_candidate', 'delete_application', 'merge_candidate', 'offer_deleted', 'job_deleted', 'job_post_deleted'].map(fixture);

  const withHeaders = (kind: CaseKind, body: Buffer, signature: string | undefined, authentic: boolean, expect: readonly number[], id: string | undefined = eventId()): FuzzCase => {
    const headers: [string, string][] = [['Content-Type', 'application/json']];
    if (signature !== undefined) headers.push(['Signature', signature]);
    if (id !== undefined) headers.push(['Greenhouse-Event-ID', id]);
    return { kind, body, headers, authentic, expect };
  };
  const signed = (kind: CaseKind, body: Buffer, expect: readonly number[], id?: string): FuzzCase =>
    withHeaders(kind, body, signGreenhouseBody(body, secret), true, body.byteLength > payloadCapBytes ? [413] : expect, id ?? eventId());
  /** A fixture's JSON with `edit` applied, written back as bytes; `raw` replaces the RAW placeholder. */
  const edited = (f: WebhookFixture, edit: (json: Record<string, unknown>) => void, raw?: string): Buffer => {
    const json = structuredClone(f.json) as unknown as Record<string, unknown>;
    edit(json);
    const text = JSON.stringify(json);
    return Buffer.from(raw === undefined ? text : text.replace(JSON.stringify(RAW_VALUE), () => raw));
  };
  const hmac = (body: Buffer, key = secret) => createHmac('sha256', key).update(body).digest('hex');

  return {
    signed,

    official: () => [signed('official', anyFixture().raw, [200])],

    /** The same bytes under the same event id twice: one message (checked on the queues). */
    redelivery: () => {
      const f = rng() < 0.7 ? anyFixture() : { raw: Buffer.from(`not json ${rng.int(1e9)}`) };
      const id = eventId();
      const status = f.raw.toString().startsWith('not json') ? 400 : 200;
      return [signed('redelivery', f.raw, [status], id), signed('redelivery', f.raw, [status], id)];
    },

    unsigned: () => {
      const body = rng() < 0.8 ? anyFixture().raw : randomBytes(rng, rng.int(512));
      return [withHeaders('unsigned', body, rng() < 0.8 ? undefined : '', false, [401])];
    },

    'signature-header': () => {
      const f = anyFixture();
      const hex = hmac(f.raw);
      const authentic: string[] = [`sha256 ${hex.toUpperCase()}`, ` sha256 ${hex} `, `sha256 ${hex}\t`];
      const forged: string[] = [
        `sha256 ${hmac(f.raw, `${secret}x`)}`,
        `sha256 ${hmac(f.raw, '')}`,
        `sha1 ${createHmac('sha1', secret).update(f.raw).digest('hex')}`,
        `SHA256 ${hex}`,
        `sha256=${hex}`,
        `sha256  ${hex}`,
        `sha256\t${hex}`,
        `sha256 ${hex.slice(0, 63)}`,
        `sha256 ${hex}0`,
        `sha256 ${hex}00`,
        `sha256 ${hex.slice(0, 62)}zz`,
        `sha256 ${createHash('sha256').update(f.raw).digest('hex')}`,
        `sha256 ${createHmac('sha256', secret).update(f.raw).digest('base64')}`,
        `sha256 ${'0'.repeat(64)}`,
        `sha256 ${hmac(Buffer.concat([f.raw, Buffer.from('\n')]))}`,
        `${hex}`,
        'sha256',
        'sha256 ',
        `md5 ${hex}`,
        `sha256 ${hex} sha256 ${hex}`,
      ];
      if (rng() < 0.2) return [withHeaders('signature-header', f.raw, rng.pick(authentic), true, f.action === 'ping' ? [200] : [200])];
      if (rng() < 0.15) {
        // Two Signature headers: API Gateway hands the function the last one.
        const valid = `sha256 ${hex}`;
        const bogus = rng.pick(forged);
        const validLast = rng() < 0.5;
        const headers: [string, string][] = [['Signature', validLast ? bogus : valid], ['Signature', validLast ? valid : bogus], ['Greenhouse-Event-ID', eventId()]];
        return [{ kind: 'signature-header', body: f.raw, headers, authentic: validLast, expect: validLast ? [200] : [401] }];
      }
      if (rng() < 0.1) {
        // The right signature under another header name.
        return [{ kind: 'signature-header', body: f.raw, headers: [['X-Greenhouse-Signature', `sha256 ${hex}`], ['Greenhouse-Event-ID', eventId()]], authentic: false, expect: [401] }];
      }
      return [withHeaders('signature-header', f.raw, rng.pick(forged), false, [401])];
    },

    /** Signed, then changed: the signature no longer matches the bytes. */
    tampered: () => {
      const f = anyFixture();
      const signature = signGreenhouseBody(f.raw, secret);
      const text = f.raw.toString('utf8');
      const changes: (() => Buffer)[] = [
        () => {
          const b = Buffer.from(f.raw);
          const i = rng.int(b.length);
          b[i] = b[i]! ^ (1 << rng.int(8));
          return b;
        },
        () => Buffer.concat([f.raw, Buffer.from(rng.pick([' ', '\n', '}', 'x', '\0']))]),
        () => f.raw.subarray(0, f.raw.length - 1 - rng.int(Math.min(20, f.raw.length - 1))),
        () => Buffer.from(JSON.stringify(JSON.parse(text))),
        () => Buffer.from(JSON.stringify(JSON.parse(text), null, 2)),
        () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), f.raw]),
        () => Buffer.from(text.replace(/\d/, (d) => String((Number(d) + 1) % 10))),
        () => Buffer.from(text.replace(f.action, f.action.toUpperCase())),
        () => Buffer.from(text.replace('"action"', '"action" ')),
        () => Buffer.alloc(0),
      ];
      let body = rng.pick(changes)();
      if (body.equals(f.raw)) body = Buffer.concat([f.raw, Buffer.from(' ')]);
      return [withHeaders('tampered', body, signature, false, [401])];
    },

    'random-bytes': () => {
      const body = randomBytes(rng, rng.int(4) === 0 ? 0 : rng.int(2048));
      return [signed('random-bytes', body, [400])];
    },

    /** Cut before the last closing brace, so what is left cannot be a whole JSON object. */
    truncated: () => {
      const f = anyFixture();
      const end = f.raw.lastIndexOf('}');
      return [signed('truncated', f.raw.subarray(0, rng.int(end)), [400])];
    },

    'deep-nesting': () => {
      const depth = rng.pick([65, 100, 1_000, 4_500, 5_000, 10_000, 50_000]);
      const inner = rng.pick(['[', '{"a":']);
      const close = inner === '[' ? ']' : '}';
      const deep = `${inner.repeat(depth)}1${close.repeat(depth)}`;
      const action = rng.pick(['delete_candidate', 'delete_candidate', 'merge_candidate', 'update_candidate', 'ping', 'brand_new_action']);
      const idKey = action === 'update_candidate' ? 'candidate' : 'person';
      const body = Buffer.from(`{"action":"${action}","payload":{"${idKey}":{"id":37031511,"new_candidate_id":457456,"history":${deep}}}}`);
      if (rng() < 0.15) {
        // Within the limit: routed, payload and all.
        const shallow = `${'['.repeat(50)}1${']'.repeat(50)}`;
        return [signed('deep-nesting', Buffer.from(`{"action":"delete_candidate","payload":{"person":{"id":37031511,"history":${shallow}}}}`), [200])];
      }
      return [signed('deep-nesting', body, [400])];
    },

    'wrong-types': () => {
      const value = rng.pick(WRONG_TYPES);
      const f = rng.pick(routable);
      const shapes: [() => Buffer, number][] = [
        // "x" is a fine name for an action the catalogue does not know: kept, 200.
        [() => Buffer.from(`{"action":${value},"payload":{}}`), value === '"x"' ? 200 : 400],
        [() => edited(f, (j) => (j['payload'] = RAW_VALUE), value), 400],
        [() => Buffer.from(value), 400],
        [() => Buffer.from(`[${f.raw.toString()}]`), 400],
        [() => edited(f, (j) => delete j['payload']), 400],
        [() => edited(f, (j) => delete j['action']), 400],
      ];
      const [build, status] = rng.pick(shapes);
      return [signed('wrong-types', build(), [status])];
    },

    'invalid-ids': () => {
      const bad = rng.pick(BAD_IDS);
      // Ids that used to be queued (candidate -5, 0, 300 digits; job -7) and others the bridge groups on.
      const targeted: [string, string[]][] = [
        ['update_candidate', ['payload', 'candidate', 'id']],
        ['job_updated', ['payload', 'job', 'id']],
        ['new_candidate_application', ['payload', 'application', 'candidate', 'id']],
        ['delete_candidate', ['payload', 'person', 'id']],
        ['merge_candidate', ['payload', 'person', 'new_candidate_id']],
        ['offer_updated', ['payload', 'application_id']],
        ['candidate_anonymized', ['payload', 'candidate_id']],
      ];
      if (rng() < 0.6) {
        const [action, path] = rng.pick(targeted);
        return [signed('invalid-ids', edited(fixture(action), (j) => setAt(j, path, RAW_VALUE), bad), [400])];
      }
      // Any id-like field of any example: the bridge refuses it if it routes on it, and otherwise must
      // not care (the queue checks hold either way: no bad id ever reaches a group or the refs).
      const f = rng.pick(routable);
      const paths = idPaths(f.json);
      const path = rng.pick(paths);
      return [signed('invalid-ids', edited(f, (j) => setAt(j, path, RAW_VALUE), bad), [200, 400])];
    },

    'prototype-keys': () => {
      const key = rng.pick(PROTOTYPE_KEYS);
      const shapes: [string, number][] = [
        [`{"${key}":{"action":"update_candidate","payload":{"candidate":{"id":1}}}}`, 400],
        [`{"action":"update_candidate","payload":{"candidate":{"${key}":{"id":1}}}}`, 400],
        [`{"action":"update_candidate","payload":{"${key}":{"candidate":{"id":1}}}}`, 400],
        [`{"action":"update_candidate","payload":{"candidate":{"id":1,"${key}":{"polluted":true}}},"${key}":{"polluted":true}}`, 200],
        [`{"action":"delete_candidate","payload":{"person":{"id":1},"${key}":{"polluted":true,"id":2}}}`, 200],
        [`{"action":"${key}","payload":{}}`, 200],
        [`{"action":"ping","payload":{"web_hook_id":{"${key}":1}}}`, 200],
        [`{"action":"update_candidate","payload":{"candidate":{"id":{"${key}":1}}}}`, 400],
      ];
      const [text, status] = rng.pick(shapes);
      return [signed('prototype-keys', Buffer.from(text), [status])];
    },

    huge: () => {
      const roll = rng();
      if (roll < 0.4) {
        // Under the cap, padded in a field the bridge does not read: routed.
        const f = rng.pick(carried);
        const pad = Math.max(0, payloadCapBytes - f.raw.length - 64 - rng.int(4096));
        return [signed('huge', edited(f, (j) => ((j['payload'] as Record<string, unknown>)['padding'] = 'x'.repeat(pad))), [200])];
      }
      if (roll < 0.6) {
        // Under the cap, but a payload that grows past one SQS message when re-encoded (1e20 → 21 digits).
        const numbers = Math.floor((payloadCapBytes - 200) / 5);
        const body = Buffer.from(`{"action":"delete_candidate","payload":{"person":{"id":5,"n":[${Array(numbers).fill('1e20').join(',')}]}}}`);
        return [signed('huge', body, numbers * 22 > 1024 * 1024 ? [400] : [200])];
      }
      const over = Buffer.alloc(payloadCapBytes + 1 + rng.int(payloadCapBytes), 0x20);
      Buffer.from('{"action":"update_candidate","payload":{"candidate":{"id":1}}}').copy(over);
      return rng() < 0.5 ? [signed('huge', over, [413])] : [withHeaders('huge', over, undefined, false, [413])];
    },

    'unknown-action': () => {
      if (rng() < 0.7) {
        const name = rng.pick(['candidate_teleported', 'job_archived', 'prospect_created', 'x', 'A.b-c_9', 'delete_candidate_v2', 'Update_Candidate']);
        return [signed('unknown-action', Buffer.from(JSON.stringify({ action: name, payload: { candidate: { id: 1 } } })), [200])];
      }
      const odd = rng.pick(['has space', 'emoji😀', 'x'.repeat(65), '\u0000', 'a/b', 'a"b', '\ud800', '']);
      return [signed('unknown-action', Buffer.from(JSON.stringify({ action: odd, payload: {} })), [400])];
    },

    /** Text SQS or its emulator refuse, in a payload that travels with the message. */
    unicode: () => {
      const f = rng.pick(carried);
      const text = Array.from({ length: 1 + rng.int(6) }, () => rng.pick(ODD_TEXT)).join('');
      return [signed('unicode', edited(f, (j) => ((j['payload'] as Record<string, unknown>)['note'] = text)), [200])];
    },

    /** Two different bodies that cannot be routed, under one Greenhouse-Event-ID: both kept. */
    'same-event-id': () => {
      const id = eventId();
      const bodies = [
        Buffer.from(`{"action": truncated ${rng.int(1e9)}`),
        Buffer.from(JSON.stringify({ action: 'update_candidate', payload: { candidate: { id: -1 - rng.int(1000) } } })),
        randomBytes(rng, 1 + rng.int(64)),
      ];
      const a = rng.pick(bodies);
      let b = rng.pick(bodies);
      if (b.equals(a)) b = Buffer.concat([a, Buffer.from(' ')]);
      return [signed('same-event-id', a, [400], id), signed('same-event-id', b, [400], id)];
    },

    /** Greenhouse-Event-ID values SQS could not take as an id: the body hash stands in. */
    'event-id-header': () => {
      // A body of its own, so the body hash that stands in is this case's alone.
      const f = rng.pick(routable);
      const body = edited(f, (j) => (j['fuzz_case'] = serial));
      const id = rng.pick(['', ' ', 'has spaces', 'x'.repeat(129), 'évé', '\t', 'a\u00ffb', eventId().padEnd(128, '!'), eventId().padEnd(129, '!')]);
      return [withHeaders('event-id-header', body, signGreenhouseBody(body, secret), true, [200], id)];
    },
  } satisfies Record<CaseKind, () => FuzzCase[]> & { signed: typeof signed };
}

function randomBytes(rng: Rng, length: number): Buffer {
  const b = Buffer.alloc(length);
  for (let i = 0; i < length; i++) b[i] = rng.int(256);
  return b;
}

/** Paths of every `id` or `*_id` field holding a number, in a parsed example. */
function idPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => idPaths(v, [...path, i]));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) =>
    (key === 'id' || key.endsWith('_id')) && typeof v === 'number' ? [[...path, key]] : idPaths(v, [...path, key]),
  );
}

function setAt(root: Record<string, unknown>, path: readonly (string | number)[], value: unknown): void {
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1)!] = value;
}
