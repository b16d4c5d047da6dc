import { setTimeout as sleep } from 'node:timers/promises';
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type Message,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSMessageAttributes, SQSRecord, SQSRecordAttributes } from 'aws-lambda';
import { invokeWithTimeout, lambdaContext } from './lambda-context.ts';

/**
 * What Lambda's SQS event-source mapping does for a FIFO queue with ReportBatchItemFailures, for the
 * local stack and tests: long-poll, hand the consumer a batch of at most ten records, delete what it
 * reports done, and leave the rest alone. A left message reappears after the queue's visibility
 * timeout and, after maxReceiveCount receives, the queue's own redrive policy moves it to the DLQ;
 * the mapping never moves messages itself, exactly like Lambda's.
 */
export type SqsBatchHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export interface EventSourceMappingOptions {
  readonly sqs: SQSClient;
  readonly queue: { readonly url: string; readonly arn: string };
  readonly handler: SqsBatchHandler;
  /** For the Lambda context and error reports; defaults to the queue's name. */
  readonly functionName?: string;
  /** FIFO event sources take at most 10 (Lambda's limit and SQS's). */
  readonly batchSize?: number;
  /** Long-poll wait per receive; Lambda's pollers use the maximum, 20 s. */
  readonly waitTimeSeconds?: number;
  readonly functionTimeoutMs?: number;
  /**
   * Batches in flight at once, like MaximumConcurrency. FIFO order still holds: SQS hands out no
   * message of a group while another of that group is in flight.
   */
  readonly maxConcurrency?: number;
  readonly onError?: (error: unknown, stage: 'receive' | 'invoke' | 'delete') => void;
}

export interface EventSourceMapping {
  /** Stops polling, lets a running invocation finish, and resolves once nothing is in progress. */
  stop(): Promise<void>;
}

const FIFO_MAX_BATCH = 10;
const RECEIVE_RETRY_MS = 1_000;

export function startEventSourceMapping(options: EventSourceMappingOptions): EventSourceMapping {
  const {
    sqs,
    queue,
    handler,
    functionName = queue.arn.split(':').pop()!.replace(/\.fifo$/, ''),
    batchSize = FIFO_MAX_BATCH,
    waitTimeSeconds = 20,
    functionTimeoutMs = 60_000,
    maxConcurrency = 1,
    onError = (error, stage) => reportError(functionName, error, stage),
  } = options;
  if (batchSize < 1 || batchSize > FIFO_MAX_BATCH) throw new Error(`batchSize must be 1-${FIFO_MAX_BATCH} for a FIFO queue`);
  const region = queue.arn.split(':')[3] ?? '';
  const stopping = new AbortController();

  async function poll(): Promise<void> {
    while (!stopping.signal.aborted) {
      let messages: Message[];
      try {
        const received = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queue.url,
            MaxNumberOfMessages: batchSize,
            WaitTimeSeconds: waitTimeSeconds,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
          { abortSignal: stopping.signal },
        );
        messages = received.Messages ?? [];
      } catch (error) {
        if (stopping.signal.aborted) return;
        onError(error, 'receive');
        await sleep(RECEIVE_RETRY_MS, undefined, { signal: stopping.signal }).catch(() => undefined);
        continue;
      }
      // Once received, a batch is always handed over: dropping it would only delay it by a visibility timeout.
      if (messages.length > 0) await deliver(messages);
    }
  }

  async function deliver(messages: Message[]): Promise<void> {
    const event: SQSEvent = { Records: messages.map((m) => toRecord(m, queue.arn, region)) };
    const context = lambdaContext({ functionName, timeoutMs: functionTimeoutMs });
    let failed: ReadonlySet<string>;
    try {
      const response = await invokeWithTimeout(() => handler(event, context), functionTimeoutMs);
      failed = failedMessageIds(response, event);
    } catch (error) {
      onError(error, 'invoke');
      failed = new Set(event.Records.map((r) => r.messageId));
    }
    const done = event.Records.filter((r) => !failed.has(r.messageId));
    if (done.length === 0) return;
    try {
      const result = await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queue.url,
          Entries: done.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
        }),
      );
      if (result.Failed?.length) onError(new Error(`could not delete ${result.Failed.length} message(s): ${result.Failed.map((f) => f.Code).join(', ')}`), 'delete');
    } catch (error) {
      onError(error, 'delete');
    }
  }

  const pollers = Array.from({ length: maxConcurrency }, () => poll());
  let stopped: Promise<void> | undefined;
  return {
    stop: () =>
      (stopped ??= (async () => {
        stopping.abort();
        await Promise.all(pollers);
      })()),
  };
}

/**
 * Lambda's reading of a ReportBatchItemFailures response: nothing, or an empty list, means all done;
 * an identifier that is empty or not in the batch makes the whole batch a failure.
 */
export function failedMessageIds(response: SQSBatchResponse | void | null, event: SQSEvent): ReadonlySet<string> {
  const all = new Set(event.Records.map((r) => r.messageId));
  const failures = response?.batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return all;
  const failed = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !all.has(id)) return all;
    failed.add(id);
  }
  return failed;
}

export function toRecord(message: Message, eventSourceARN: string, awsRegion: string): SQSRecord {
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? '',
    attributes: recordAttributes(message.Attributes ?? {}),
    messageAttributes: recordMessageAttributes(message.MessageAttributes ?? {}),
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN,
    awsRegion,
  };
}

function recordAttributes(attributes: Partial<Record<string, string>>): SQSRecordAttributes {
  const optional = ['AWSTraceHeader', 'SequenceNumber', 'MessageGroupId', 'MessageDeduplicationId', 'DeadLetterQueueSourceArn'] as const;
  return {
    ApproximateReceiveCount: attributes['ApproximateReceiveCount'] ?? '1',
    SentTimestamp: attributes['SentTimestamp'] ?? '',
    SenderId: attributes['SenderId'] ?? '',
    ApproximateFirstReceiveTimestamp: attributes['ApproximateFirstReceiveTimestamp'] ?? '',
    ...Object.fromEntries(optional.flatMap((name) => (attributes[name] === undefined ? [] : [[name, attributes[name]]]))),
  };
}

/** The SDK's PascalCase attribute values become the event's camelCase ones, binary as base64. */
function recordMessageAttributes(attributes: Record<string, MessageAttributeValue>): SQSMessageAttributes {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name,
      {
        dataType: value.DataType ?? 'String',
        ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
        ...(value.BinaryValue === undefined ? {} : { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }),
        stringListValues: value.StringListValues ?? [],
        binaryListValues: (value.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64')),
      },
    ]),
  );
}

export function reportError(functionName: string, error: unknown, stage: string): void {
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  process.stderr.write(`${JSON.stringify({ level: 'ERROR', source: 'event-source-mapping', function: functionName, stage, error: detail })}\n`);
}
