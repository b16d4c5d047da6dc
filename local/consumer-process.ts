import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { QUEUES } from '#lib/resource-definitions';
import type { QueueId } from '#core/queues';
import { reportError, startEventSourceMapping, type EventSourceMapping, type SqsBatchHandler } from './event-source-mapping.ts';
import { InvocationTimedOut } from './lambda-context.ts';
import { localSqsClient } from './sdk-clients.ts';
import { CONSUMER_HANDLERS, FUNCTION_NAMES } from './stack.ts';

/**
 * The bridge's queue consumers in a process of their own, against emulators and Greenhouse and Beamery
 * that are already running: what a chaos run kills with SIGKILL mid-batch and starts again, as Lambda
 * loses an instance. It reads the Lambdas' own environment (queue URLs, table names, endpoints and
 * credentials, as `lambdaEnvironment` and the SaaS settings of local/stack.ts give them), so a parent
 * that started the local stack in-process passes its own environment on, plus:
 *
 * - LOCAL_CONSUMER_QUEUES: the queues to consume, comma-separated (default: all three);
 * - LOCAL_CONSUMER_CONCURRENCY: batches in flight per queue (default 1, as the local stack; 5 is the
 *   deployed `sync.maxConcurrency`);
 * - LOCAL_CONSUMER_WAIT_SECONDS: long-poll wait (default 20), LOCAL_CONSUMER_TIMEOUT_MS: the function
 *   timeout (default 60,000).
 *
 * Prints `consuming <queues>` once it polls. SIGINT or SIGTERM stops polling, lets running batches
 * finish and exits 0; SIGKILL is the crash. An invocation that times out ends the process (exit 3):
 * Lambda stops a timed-out invocation's work with its execution environment, where a process that
 * went on would run that batch on beside its redelivery (a parent starts another in its place). Spawned with an IPC channel, it reports each batch's start
 * and end (`{ batch: 'start' | 'end', queue, records }`), so a parent can kill it while a batch runs.
 */
const queueIds = QUEUES.map((q) => q.id) as [QueueId, ...QueueId[]];
const settings = z
  .object({
    AWS_ENDPOINT_URL_SQS: z.url(),
    LOCAL_CONSUMER_QUEUES: z
      .string()
      .default(queueIds.join(','))
      .transform((list) => list.split(',').map((s) => s.trim()).filter(Boolean))
      .pipe(z.array(z.enum(queueIds)).min(1)),
    LOCAL_CONSUMER_CONCURRENCY: z.coerce.number().int().min(1).max(50).default(1),
    LOCAL_CONSUMER_WAIT_SECONDS: z.coerce.number().int().min(0).max(20).default(20),
    LOCAL_CONSUMER_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(60_000),
  })
  .safeParse(Object.fromEntries(Object.entries(process.env).filter(([, value]) => value !== '')));
if (!settings.success) {
  process.stderr.write(`consumer process: invalid settings\n${z.prettifyError(settings.error)}\n`);
  process.exit(2);
}
const env = settings.data;

const report = (message: { batch: 'start' | 'end'; queue: QueueId; records: number }) => {
  // A parent that went away must not take this process with it through an EPIPE.
  if (process.connected) process.send?.(message, undefined, undefined, () => undefined);
};

const sqs = localSqsClient(env.AWS_ENDPOINT_URL_SQS);
const mappings: EventSourceMapping[] = [];
let stopping = false;
const shutdown = () => {
  if (stopping) process.exit(1);
  stopping = true;
  Promise.all(mappings.map((m) => m.stop())).then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

try {
  for (const id of env.LOCAL_CONSUMER_QUEUES) {
    const definition = QUEUES.find((q) => q.id === id)!;
    const url = process.env[definition.urlEnv];
    if (!url) throw new Error(`${definition.urlEnv} is not set`);
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
    const handler = await CONSUMER_HANDLERS[id]();
    mappings.push(
      startEventSourceMapping({
        sqs,
        queue: { url, arn: Attributes!.QueueArn! },
        functionName: FUNCTION_NAMES.consumers[id],
        maxConcurrency: env.LOCAL_CONSUMER_CONCURRENCY,
        waitTimeSeconds: env.LOCAL_CONSUMER_WAIT_SECONDS,
        functionTimeoutMs: env.LOCAL_CONSUMER_TIMEOUT_MS,
        onError: (error, stage) => {
          if (error instanceof InvocationTimedOut) {
            process.stderr.write(`${FUNCTION_NAMES.consumers[id]}: ${error.message}; the environment is reset, as Lambda resets it\n`);
            process.exit(3);
          }
          reportError(FUNCTION_NAMES.consumers[id], error, stage);
        },
        handler: async (event, context) => {
          report({ batch: 'start', queue: id, records: event.Records.length });
          try {
            return await handler(event, context);
          } finally {
            report({ batch: 'end', queue: id, records: event.Records.length });
          }
        },
      }),
    );
  }
} catch (error) {
  process.stderr.write(`consumer process failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}
process.stdout.write(`consuming ${env.LOCAL_CONSUMER_QUEUES.join(',')}\n`);
