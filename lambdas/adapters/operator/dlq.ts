import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
  type Message,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { envelopeSchema } from '#core/envelope';
import { ENV, requireQueueUrl, type BridgeConfig } from '#lambdas/config';
import { QUEUES } from '#lib/resource-definitions';
import type { QueueId } from '#core/queues';
import { decodePollFailure, pollFailureReason, type PollFailure } from './poll-failure-record.ts';

/**
 * `bridge dlq list|show|redrive|delete`: what waits on the dead-letter queues, why, sending it back
 * and deleting it.
 *
 * Reading a queue means receiving: messages are received with a short visibility timeout, and once
 * read they are made visible again at once, so a listing leaves the queue as it found it (a DLQ has no
 * consumer and no redrive policy, so the receive counts cost nothing).
 */

/** The poller schedules' dead-letter queue, besides the three FIFO queues' own. */
export const POLLERS_DLQ = 'pollers';
export type DeadLetterQueueId = QueueId | typeof POLLERS_DLQ;
export const DEAD_LETTER_QUEUES: readonly DeadLetterQueueId[] = [...QUEUES.map((q) => q.id), POLLERS_DLQ];

/** What the consumers add when they dead-letter a message (lambdas/adapters/queue/consumer-queue.ts). */
const FAILURE_ATTRIBUTES = ['failureReason', 'failureCount', 'sourceQueue', 'firstSentAt'] as const;
/** Long enough to read the whole queue and resend what is chosen before anything comes back. */
const READ_VISIBILITY_SECONDS = 60;
/** A DLQ holding more than this is a case for `redrive` without `--ids`, not for reading by eye. */
export const MAX_READ = 1_000;

export interface DeadLetter {
  readonly queue: DeadLetterQueueId;
  readonly messageId: string;
  readonly groupId?: string;
  readonly deadLetteredAt?: string;
  readonly firstSentAt?: string;
  readonly failureReason?: string;
  readonly failureCount?: number;
  readonly sourceQueue?: string;
  /**
   * The envelope without its payload: what and which entity, never a person's data. A quarantined
   * delivery's raw body stays out too (it is the unrecognised webhook, PII and all); its reason and
   * detail are the bridge's own words and stay in. Absent on the pollers' DLQ, which holds no envelopes.
   */
  readonly envelope?:
    | { readonly valid: true; readonly kind: string; readonly entityKey: string; readonly origin: string; readonly observedAt: string; readonly deliveryId: string; readonly action?: string; readonly quarantineReason?: string; readonly quarantineDetail?: string }
    | { readonly valid: false };
  /** The pollers' DLQ only: the failed poll run, as Lambda or Scheduler recorded it. */
  readonly pollRun?: PollFailure;
  /** Only with `--body`: quarantined deliveries and event payloads hold PII. */
  readonly body?: string;
}

interface ReadMessage {
  readonly message: Message;
  readonly letter: DeadLetter;
}

/**
 * Every message on a queue's DLQ (up to MAX_READ). `act` is shown each one and answers whether it
 * took it (deleted it); the rest are made visible again. A FIFO queue hands out no more of a group
 * while part of it is being read, so a group with more than ten dead letters shows its first ten.
 */
async function readDeadLetters(
  sqs: SQSClient,
  queue: DeadLetterQueueId,
  url: string,
  options: { body: boolean },
  act?: (read: ReadMessage) => Promise<boolean>,
): Promise<DeadLetter[]> {
  const read: ReadMessage[] = [];
  const copies: Message[] = [];
  const handled = new Set<string>();
  try {
    while (read.length < MAX_READ) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: 10,
          // The pollers' DLQ is a standard queue, where a short poll samples some of SQS's servers and
          // can answer empty while messages wait; a long poll asks them all (a FIFO queue has no gaps).
          WaitTimeSeconds: queue === POLLERS_DLQ ? 1 : 0,
          VisibilityTimeout: READ_VISIBILITY_SECONDS,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      );
      if (Messages.length === 0) break;
      for (const message of Messages) {
        // A standard queue (the pollers') may hand out a message twice: the copy is released, not read again.
        if (read.some((r) => r.message.MessageId === message.MessageId)) {
          copies.push(message);
          continue;
        }
        const entry = { message, letter: describe(queue, message, options) };
        read.push(entry);
        if (act && (await act(entry))) handled.add(message.MessageId!);
      }
    }
  } finally {
    const unhandled = (message: Message) => !handled.has(message.MessageId!);
    await releaseAll(sqs, url, [...read.map((r) => r.message), ...copies].filter(unhandled));
  }
  return read.map((r) => r.letter);
}

/** Makes read messages visible again now instead of after READ_VISIBILITY_SECONDS. */
async function releaseAll(sqs: SQSClient, url: string, messages: readonly Message[]): Promise<void> {
  for (let i = 0; i < messages.length; i += 10) {
    const chunk = messages.slice(i, i + 10);
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: url,
        Entries: chunk.map((m, n) => ({ Id: String(n), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 })),
      }),
    );
  }
}

export function describe(queue: DeadLetterQueueId, message: Message, options: { body: boolean }): DeadLetter {
  const attribute = (name: string) => message.MessageAttributes?.[name]?.StringValue;
  const sent = Number(message.Attributes?.SentTimestamp);
  const deadLetteredAt = Number.isFinite(sent) && sent > 0 ? { deadLetteredAt: new Date(sent).toISOString() } : {};
  const body = options.body ? { body: message.Body ?? '' } : {};
  if (queue === POLLERS_DLQ) {
    const pollRun = decodePollFailure(message);
    return {
      queue,
      messageId: message.MessageId!,
      ...deadLetteredAt,
      ...optional('failureReason', pollFailureReason(pollRun)),
      ...(pollRun.attempts !== undefined ? { failureCount: pollRun.attempts } : {}),
      pollRun,
      ...body,
    };
  }
  const count = attribute('failureCount');
  return {
    queue,
    messageId: message.MessageId!,
    ...(message.Attributes?.MessageGroupId ? { groupId: message.Attributes.MessageGroupId } : {}),
    ...deadLetteredAt,
    ...optional('firstSentAt', attribute('firstSentAt')),
    ...optional('failureReason', attribute('failureReason')),
    ...(count !== undefined ? { failureCount: Number(count) } : {}),
    ...optional('sourceQueue', attribute('sourceQueue')),
    envelope: summarise(message.Body ?? ''),
    ...body,
  };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

function summarise(body: string): DeadLetter['envelope'] {
  let parsed;
  try {
    parsed = envelopeSchema.safeParse(JSON.parse(body));
  } catch {
    return { valid: false };
  }
  if (!parsed.success) return { valid: false };
  const e = parsed.data;
  return {
    valid: true,
    kind: e.kind,
    entityKey: e.entityKey,
    origin: e.origin,
    observedAt: e.observedAt,
    deliveryId: e.deliveryId,
    ...('action' in e && e.action !== undefined ? { action: e.action } : {}),
    ...(e.kind === 'greenhouse.quarantined' ? { quarantineReason: e.reason, quarantineDetail: e.detail } : {}),
  };
}

function requireDeadLetterQueueUrl(config: BridgeConfig, queue: DeadLetterQueueId): string {
  if (queue !== POLLERS_DLQ) return requireQueueUrl(config, queue, true);
  if (!config.pollerDeadLetterQueueUrl) throw new Error(`configuration: ${ENV.pollerDlqUrl} is not set`);
  return config.pollerDeadLetterQueueUrl;
}

export async function listDeadLetters(config: BridgeConfig, sqs: SQSClient, queues: readonly DeadLetterQueueId[], options: { body: boolean; ids?: readonly string[] }): Promise<DeadLetter[]> {
  const all: DeadLetter[] = [];
  for (const queue of queues) all.push(...(await readDeadLetters(sqs, queue, requireDeadLetterQueueUrl(config, queue), options)));
  return options.ids ? all.filter((letter) => options.ids!.includes(letter.messageId)) : all;
}

export interface DeleteResult {
  readonly queue: DeadLetterQueueId;
  /** What was deleted, as `list` shows it (no body). */
  readonly deleted: readonly DeadLetter[];
  /** Chosen ids not on the queue (already deleted or redriven, or a typo). */
  readonly notFound: readonly string[];
}

/**
 * Deletes the chosen dead letters of one queue, never all of them: the case is closed (reconciled,
 * or a poll run the next tick covered) or the runbook says the message can go. The others are made
 * visible again as a listing leaves them.
 */
export async function deleteDeadLetters(config: BridgeConfig, sqs: SQSClient, queue: DeadLetterQueueId, ids: readonly string[]): Promise<DeleteResult> {
  const url = requireDeadLetterQueueUrl(config, queue);
  const deleted: DeadLetter[] = [];
  await readDeadLetters(sqs, queue, url, { body: false }, async ({ message, letter }) => {
    if (!ids.includes(letter.messageId)) return false;
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle! }));
    deleted.push(letter);
    return true;
  });
  return { queue, deleted, notFound: ids.filter((id) => !deleted.some((d) => d.messageId === id)) };
}

export type RedriveResult =
  | { readonly queue: QueueId; readonly method: 'move-task'; readonly taskHandle: string }
  | { readonly queue: QueueId; readonly method: 'resend'; readonly moved: readonly string[] };

/**
 * Sends dead letters back to their queue. On AWS, a whole queue goes by SQS's own move task (it keeps
 * each message's group and is resumable). Chosen ids, and every local redrive (the emulator has no
 * move tasks), are received and resent: same body, same group, the producer's attributes without the
 * failure ones, and a deduplication id of the dead letter's own id, so a redrive interrupted between
 * the send and the delete sends one copy, not two. The copy is a new message: its failure count
 * starts again at zero.
 */
export async function redrive(config: BridgeConfig, sqs: SQSClient, queues: readonly QueueId[], options: { ids?: readonly string[] }): Promise<RedriveResult[]> {
  const results: RedriveResult[] = [];
  for (const queue of queues) {
    const source = requireQueueUrl(config, queue, true);
    const destination = requireQueueUrl(config, queue);
    if (config.runtime === 'aws' && options.ids === undefined) {
      const [sourceArn, destinationArn] = await Promise.all([queueArn(sqs, source), queueArn(sqs, destination)]);
      const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: sourceArn, DestinationArn: destinationArn }));
      results.push({ queue, method: 'move-task', taskHandle: TaskHandle ?? '' });
      continue;
    }
    const moved: string[] = [];
    await readDeadLetters(sqs, queue, source, { body: false }, async ({ message }) => {
      if (options.ids !== undefined && !options.ids.includes(message.MessageId!)) return false;
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: destination,
          MessageBody: message.Body!,
          MessageGroupId: message.Attributes?.MessageGroupId ?? 'unknown',
          MessageDeduplicationId: `redrive:${message.MessageId!}`,
          MessageAttributes: producerAttributes(message),
        }),
      );
      await sqs.send(new DeleteMessageCommand({ QueueUrl: source, ReceiptHandle: message.ReceiptHandle! }));
      moved.push(message.MessageId!);
      return true;
    });
    results.push({ queue, method: 'resend', moved });
  }
  return results;
}

function producerAttributes(message: Message): Record<string, MessageAttributeValue> {
  return Object.fromEntries(
    Object.entries(message.MessageAttributes ?? {}).filter(([name, value]) => !(FAILURE_ATTRIBUTES as readonly string[]).includes(name) && value.StringValue !== undefined).map(([name, value]) => [name, { DataType: value.DataType, StringValue: value.StringValue }]),
  );
}

async function queueArn(sqs: SQSClient, url: string): Promise<string> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return Attributes!.QueueArn!;
}

/** One line per dead letter, no body. */
export function formatDeadLetterList(letters: readonly DeadLetter[]): string {
  if (letters.length === 0) return 'no dead letters';
  return letters
    .map((l) => {
      const what = l.pollRun
        ? `poll ${l.pollRun.poller ?? '?'} (${l.pollRun.source})`
        : l.envelope?.valid
          ? `${l.envelope.kind} ${l.envelope.entityKey}${l.envelope.action ? ` ${l.envelope.action}` : ''}`
          : 'not a valid envelope';
      return `${l.queue}  ${l.messageId}  ${l.deadLetteredAt ?? '-'}  ${what}  failures=${l.failureCount ?? '-'}  ${l.failureReason ?? ''}`.trimEnd();
    })
    .join('\n');
}

/** Every field of each dead letter, a block each; the body only when it was asked for. */
export function formatDeadLetters(letters: readonly DeadLetter[]): string {
  if (letters.length === 0) return 'no such dead letters';
  return letters
    .map((l) => {
      const { envelope, pollRun, body, ...rest } = l;
      const decoded: [string, unknown][] = pollRun
        ? Object.entries(pollRun)
        : envelope?.valid
          ? Object.entries(envelope).filter(([k]) => k !== 'valid')
          : [['envelope', 'not a valid envelope']];
      const fields: [string, unknown][] = [...Object.entries(rest), ...decoded];
      const lines = fields.map(([k, v]) => `  ${k.padEnd(16)} ${String(v)}`);
      return [`${l.messageId}`, ...lines, ...(body !== undefined ? ['  body', body] : [])].join('\n');
    })
    .join('\n\n');
}
