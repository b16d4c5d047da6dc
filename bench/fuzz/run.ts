import { createHash } from 'node:crypto';
import { Agent, request } from 'node:http';
import type { Message } from '@aws-sdk/client-sqs';
import { parseEnvelope, type Envelope } from '#core/envelope';
import { greenhouseId } from '#core/webhooks/catalogue';
import { deliveryIdOf } from '#core/webhooks/delivery';
import { DEFAULT_PAYLOAD_CAP_BYTES } from '#lambdas/config';
import { MAX_PAYLOAD_CAP_BYTES } from '#lib/config';
import { QUEUES } from '#lib/resource-definitions';
import { startApiGateway } from '#local/api-gateway';
import { WEBHOOK_PATH } from '#local/defaults';
import { startSqsEmulator } from '#local/emulators';
import { createQueues } from '#local/resources';
import { greenhouseWebhookFixtures } from '../../test/support/fixtures.ts';
import { ingestOnQueues } from '../../test/support/ingest.ts';
import { drain } from '../../test/support/queues.ts';
import { CASE_KINDS, fuzzCorpus, type CaseKind, type FuzzCase } from './corpus.ts';

/**
 * Runs the fuzz corpus over HTTP on 127.0.0.1 through the local API Gateway into the real ingest
 * handler, on the SQS emulator's queues (created from the stack's definitions), and checks what it
 * answered against what landed on the queues.
 */
export interface FuzzOptions {
  readonly cases: number;
  readonly seed: number;
  /** Requests in flight at once. */
  readonly concurrency?: number;
  readonly payloadCapBytes?: number;
  readonly onProgress?: (done: number) => void;
}

/** Each invariant and how many cases or messages broke it: all must be 0. */
export interface FuzzChecks {
  /** An answer of 500 or more (the handler threw, or said SQS failed though it did not). */
  fiveHundreds: number;
  /** An unsigned, forged or tampered delivery answered anything but 401 (or 413 over the cap). */
  inauthenticAccepted: number;
  /** ...or a message of one found on a queue. */
  inauthenticQueued: number;
  /** A status outside what the case allows (e.g. a deep payload routed, an invalid id queued). */
  unexpectedStatus: number;
  /** A signed delivery answered 400 or "kept" whose exact bytes are not on the DLQ. */
  keptMissing: number;
  /** A signed delivery answered "queued" with nothing on a queue. */
  queuedMissing: number;
  /** Two messages for one delivery on one queue, or one kept body twice. */
  duplicates: number;
  /** A MessageGroupId or MessageDeduplicationId outside SQS's 1-128 printable ASCII characters. */
  sqsIdsOutOfLimits: number;
  /** A message whose body is not a valid envelope, or a routed one naming an id that is not a Greenhouse id. */
  badMessages: number;
  /** Object.prototype changed during the run. */
  prototypePolluted: number;
}

export interface FuzzReport {
  readonly cases: number;
  /** Cases whose Signature header is the HMAC of their bytes; the rest are unsigned, forged or tampered. */
  readonly signed: number;
  readonly seed: number;
  readonly seconds: number;
  /** Per class, how many cases got each answer ("200 queued", "400 invalid-id", "401", …). */
  readonly histogram: Record<CaseKind, Record<string, number>>;
  readonly messages: { readonly routed: number; readonly kept: number };
  readonly checks: FuzzChecks;
  /** The first few broken invariants, described (no body content). */
  readonly violations: string[];
}

const SECRET = 'fuzz-secret';
const SQS_ID = /^[\x21-\x7e]{1,128}$/;
const CHUNK = 500;
const KEPT_DEDUP = /^kept:[0-9a-f]{64}$/;

interface Answer {
  readonly status: number;
  /** `queued`, `kept` or `pong` for a 200; the reason for a 400. */
  readonly label?: string;
}

interface Sent {
  readonly kase: FuzzCase;
  readonly deliveryId: string;
  readonly bodyHash: string;
  readonly answer: Answer;
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const { cases, seed, concurrency = 8, payloadCapBytes = DEFAULT_PAYLOAD_CAP_BYTES } = options;
  // The corpus's expectations assume a kept body fits in one SQS message, as the stack's config ensures.
  if (payloadCapBytes > MAX_PAYLOAD_CAP_BYTES) throw new RangeError(`payloadCapBytes above ${MAX_PAYLOAD_CAP_BYTES}`);
  const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort().join();
  const started = performance.now();

  const emulator = await startSqsEmulator();
  const handlerErrors: unknown[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  try {
    const queues = await createQueues(emulator, { prefix: `fuzz-${seed}-` });
    const gateway = await startApiGateway({
      handler: ingestOnQueues(emulator.sqs, queues, SECRET, payloadCapBytes),
      onError: (error) => handlerErrors.push(error),
    });
    const url = new URL(`http://127.0.0.1:${gateway.port}${WEBHOOK_PATH}`);
    const sent: Sent[] = [];
    const routed: Landed[] = [];
    const kept: Landed[] = [];
    try {
      const corpus = fuzzCorpus(cases, seed, { secret: SECRET, payloadCapBytes, fixtures: greenhouseWebhookFixtures() });
      let chunk: FuzzCase[] = [];
      const flush = async () => {
        sent.push(...(await sendAll(chunk, url, agent, concurrency)));
        chunk = [];
        for (const q of QUEUES) {
          routed.push(...(await drain(emulator.sqs, queues[q.id].url)).map((m) => landed(m, q.id)));
          kept.push(...(await drain(emulator.sqs, queues[q.id].deadLetter.url)).map((m) => landed(m, q.id)));
        }
        options.onProgress?.(sent.length);
      };
      for (const kase of corpus) {
        chunk.push(kase);
        if (chunk.length === CHUNK) await flush();
      }
      await flush();
    } finally {
      await gateway.close();
    }

    const { checks, violations } = verify(sent, routed, kept);
    checks.fiveHundreds = Math.max(checks.fiveHundreds, handlerErrors.length);
    if (Object.getOwnPropertyNames(Object.prototype).sort().join() !== prototypeBefore) {
      checks.prototypePolluted = 1;
      violations.push('Object.prototype changed during the run');
    }
    return {
      cases: sent.length,
      signed: sent.filter((s) => s.kase.authentic).length,
      seed,
      seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
      histogram: histogramOf(sent),
      messages: { routed: routed.length, kept: kept.length },
      checks,
      violations,
    };
  } finally {
    agent.destroy();
    await emulator.stop();
  }
}

/** A message drained from a queue, with what the checks need. */
interface Landed {
  readonly queue: string;
  readonly groupId: string | undefined;
  readonly deduplicationId: string | undefined;
  readonly envelope: Envelope | undefined;
  /** sha256 of the kept raw bytes, for quarantined deliveries. */
  readonly rawHash: string | undefined;
}

function landed(message: Message, queue: string): Landed {
  let envelope: Envelope | undefined;
  try {
    envelope = parseEnvelope(message.Body ?? '');
  } catch {
    envelope = undefined;
  }
  return {
    queue,
    groupId: message.Attributes?.['MessageGroupId'],
    deduplicationId: message.Attributes?.['MessageDeduplicationId'],
    envelope,
    rawHash: envelope?.kind === 'greenhouse.quarantined' ? sha256(Buffer.from(envelope.rawBodyBase64, 'base64')) : undefined,
  };
}

async function sendAll(cases: readonly FuzzCase[], url: URL, agent: Agent, concurrency: number): Promise<Sent[]> {
  const results: Sent[] = new Array(cases.length);
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const i = next++;
      const kase = cases[i]!;
      const eventId = kase.headers.findLast(([name]) => name.toLowerCase() === 'greenhouse-event-id')?.[1];
      results[i] = { kase, deliveryId: deliveryIdOf(kase.body, eventId), bodyHash: sha256(kase.body), answer: await post(url, agent, kase) };
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

function post(url: URL, agent: Agent, kase: FuzzCase): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // Headers as a raw list keep their order, case and repeats; Node then adds none of its own.
    const headers = ['Host', url.host, ...kase.headers.flat(), 'Content-Length', String(kase.body.byteLength)];
    const req = request(url, { method: 'POST', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('end', () => {
        const status = res.statusCode ?? 0;
        let label: string | undefined;
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { status?: string; reason?: string };
          label = status === 200 ? body.status : status === 400 ? body.reason : undefined;
        } catch {
          label = undefined;
        }
        resolve({ status, ...(label === undefined ? {} : { label }) });
      });
      res.once('error', reject);
    });
    req.once('error', reject);
    req.end(kase.body);
  });
}

/** Every check at 0: what a clean run reports. */
export function passingChecks(): FuzzChecks {
  return {
    fiveHundreds: 0,
    inauthenticAccepted: 0,
    inauthenticQueued: 0,
    unexpectedStatus: 0,
    keptMissing: 0,
    queuedMissing: 0,
    duplicates: 0,
    sqsIdsOutOfLimits: 0,
    badMessages: 0,
    prototypePolluted: 0,
  };
}

function verify(sent: readonly Sent[], routed: readonly Landed[], kept: readonly Landed[]) {
  const checks = passingChecks();
  const violations: string[] = [];
  const broke = (check: keyof FuzzChecks, what: string) => {
    checks[check]++;
    if (violations.length < 20) violations.push(`${check}: ${what}`);
  };

  const routedByDelivery = countBy(routed, (m) => (m.envelope ? `${m.queue} ${m.envelope.deliveryId}` : undefined));
  const routedDeliveries = new Set(routed.map((m) => m.envelope?.deliveryId));
  const keptByBody = countBy(kept, (m) => (m.envelope && m.rawHash ? `${m.envelope.deliveryId} ${m.rawHash}` : undefined));
  const keptDeliveries = new Set(kept.map((m) => m.envelope?.deliveryId));

  for (const [i, { kase, deliveryId, bodyHash, answer }] of sent.entries()) {
    const what = `case ${i} (${kase.kind}, ${kase.body.byteLength} bytes) answered ${answer.status}${answer.label ? ` ${answer.label}` : ''}`;
    if (answer.status >= 500) broke('fiveHundreds', what);
    if (!kase.expect.includes(answer.status)) broke('unexpectedStatus', `${what}, expected ${kase.expect.join(' or ')}`);
    if (!kase.authentic) {
      if (answer.status !== 401 && answer.status !== 413) broke('inauthenticAccepted', what);
      if (routedDeliveries.has(deliveryId) || keptDeliveries.has(deliveryId)) broke('inauthenticQueued', what);
      continue;
    }
    if (answer.status === 400 || (answer.status === 200 && answer.label === 'kept')) {
      if (!keptByBody.has(`${deliveryId} ${bodyHash}`)) broke('keptMissing', what);
    }
    if (answer.status === 200 && answer.label === 'queued' && !routedDeliveries.has(deliveryId)) broke('queuedMissing', what);
  }

  for (const [key, n] of [...routedByDelivery, ...keptByBody]) if (n > 1) broke('duplicates', `${n} messages for ${key.split(' ')[0]}`);
  for (const m of [...routed, ...kept]) {
    if (!m.groupId || !SQS_ID.test(m.groupId) || !m.deduplicationId || !SQS_ID.test(m.deduplicationId)) {
      broke('sqsIdsOutOfLimits', `a message on ${m.queue} (group id ${m.groupId?.length ?? 0} chars, deduplication id ${m.deduplicationId?.length ?? 0} chars)`);
    }
  }
  for (const m of routed) {
    const e = m.envelope;
    if (e?.kind !== 'greenhouse.event' || !routesOnGreenhouseIds(e)) broke('badMessages', `a message on ${m.queue} that is not a routed event with Greenhouse ids`);
    else if (m.groupId !== e.entityKey) broke('badMessages', `a message on ${m.queue} outside its entity's group`);
  }
  for (const m of kept) {
    if (m.envelope?.kind !== 'greenhouse.quarantined' || !KEPT_DEDUP.test(m.deduplicationId ?? '')) {
      broke('badMessages', `a message on the ${m.queue} DLQ that is not a kept delivery deduplicated by its body`);
    }
  }
  return { checks, violations };
}

function routesOnGreenhouseIds(e: Extract<Envelope, { kind: 'greenhouse.event' }>): boolean {
  const match = /^greenhouse#[a-z_]+#(.+)$/.exec(e.entityKey);
  const { jobIds = [], ...single } = e.refs;
  const ids = [match?.[1], ...jobIds, ...Object.values(single)];
  return match !== null && ids.every((id) => greenhouseId(id) === id);
}

function histogramOf(sent: readonly Sent[]): FuzzReport['histogram'] {
  const histogram = Object.fromEntries(CASE_KINDS.map((kind) => [kind, {}])) as FuzzReport['histogram'];
  for (const { kase, answer } of sent) {
    const label = answer.label ? `${answer.status} ${answer.label}` : String(answer.status);
    histogram[kase.kind][label] = (histogram[kase.kind][label] ?? 0) + 1;
  }
  return histogram;
}

function countBy<T>(items: readonly T[], key: (item: T) => string | undefined): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const k = key(item);
    if (k !== undefined) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The report as lines for a terminal: one row per class, then the checks. */
export function formatReport(report: FuzzReport): string {
  const labels = [...new Set(Object.values(report.histogram).flatMap((h) => Object.keys(h)))].sort();
  const width = Math.max(...CASE_KINDS.map((k) => k.length), 5);
  const cell = (s: string | number) => String(s).padStart(Math.max(6, ...labels.map((l) => l.length)));
  const lines = [
    `fuzz: ${report.cases} cases (seed ${report.seed}: ${report.signed} signed, ${report.cases - report.signed} unsigned, forged or tampered) in ${report.seconds} s`,
    `${report.messages.routed} messages queued, ${report.messages.kept} kept on the DLQ`,
    '',
    `${'class'.padEnd(width)} ${labels.map(cell).join(' ')} ${cell('total')}`,
    ...CASE_KINDS.map((kind) => {
      const row = report.histogram[kind];
      const total = Object.values(row).reduce((a, b) => a + b, 0);
      return `${kind.padEnd(width)} ${labels.map((l) => cell(row[l] ?? '.')).join(' ')} ${cell(total)}`;
    }),
    '',
    ...Object.entries(report.checks).map(([name, n]) => `${n === 0 ? 'ok  ' : 'FAIL'} ${name}: ${n}`),
    ...report.violations.map((v) => `  ${v}`),
  ];
  return lines.join('\n');
}
