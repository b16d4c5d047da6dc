import type { StackConfig } from '#lib/config';
import { functionEnvironment, type BridgeFunctionId, type SecretRef } from '#lib/function-environments';
import type { EventQueues } from './event-queues.ts';
import type { BridgeTables } from './tables.ts';

/** A construct's resources, for the variables lib/function-environments.ts lists for its function. */
export interface StackResources {
  readonly queues?: EventQueues;
  readonly tables?: BridgeTables;
  readonly secretArns?: Partial<Record<SecretRef, string>>;
}

export function stackEnvironment(id: BridgeFunctionId, config: StackConfig, resources: StackResources): Record<string, string> {
  const needed = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${id} needs ${what}, and its construct was not given them`);
    return value;
  };
  return functionEnvironment(id, config, {
    queueUrl: (queue, deadLetter) => {
      const found = needed(resources.queues, 'the event queues').get(queue);
      return deadLetter ? found.deadLetterQueue.queueUrl : found.queue.queueUrl;
    },
    tableName: (table) => needed(resources.tables, 'the tables').table(table).tableName,
    secretArns: resources.secretArns ?? {},
  });
}
