import { CloudWatchClient, type GetMetricDataCommandInput, type GetMetricDataCommandOutput } from '@aws-sdk/client-cloudwatch';
import type { SQSClient, StartMessageMoveTaskCommandInput } from '@aws-sdk/client-sqs';

/**
 * AWS calls no local emulator answers, answered inside the real SDK client: a 'build' step middleware
 * (after the command's input is validated and serialized, before anything is signed or sent) records
 * the input and returns a canned output, or throws the service's own exception. Everything else the
 * client sends still goes where it is configured to.
 */

/** CloudWatch speaks RPC-v2 CBOR and has no emulator here: GetMetricData, answered by `answer`. */
export function cannedCloudWatch(answer: (input: GetMetricDataCommandInput) => Partial<GetMetricDataCommandOutput> | Error): { client: CloudWatchClient; inputs: GetMetricDataCommandInput[] } {
  const client = new CloudWatchClient({ region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  const inputs: GetMetricDataCommandInput[] = [];
  client.middlewareStack.add(
    () => async (args) => {
      const input = args.input as GetMetricDataCommandInput;
      inputs.push(input);
      const answered = answer(input);
      if (answered instanceof Error) throw answered;
      return { output: { $metadata: {}, ...answered }, response: {} };
    },
    { step: 'build', name: 'cannedGetMetricData' },
  );
  return { client, inputs };
}

/**
 * fauxqs has no StartMessageMoveTask: on `sqs` (an emulator's client) that one command is answered
 * with `taskHandle` and its input recorded; every other command reaches the emulator.
 */
export function interceptMoveTasks(sqs: SQSClient, taskHandle: string): StartMessageMoveTaskCommandInput[] {
  const inputs: StartMessageMoveTaskCommandInput[] = [];
  sqs.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'StartMessageMoveTaskCommand') return next(args);
      inputs.push(args.input as StartMessageMoveTaskCommandInput);
      return { output: { $metadata: {}, TaskHandle: taskHandle }, response: {} };
    },
    { step: 'build', name: 'cannedStartMessageMoveTask' },
  );
  return inputs;
}
