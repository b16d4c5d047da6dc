import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { LOCAL_REGION } from './defaults.ts';

/**
 * The `Context` Lambda hands a handler, for one local invocation. Powertools' Logger reads the
 * function name, request id and memory from it, so local logs carry the same keys as CloudWatch ones.
 */
export interface InvocationOptions {
  readonly functionName: string;
  readonly timeoutMs: number;
  readonly memoryLimitInMB?: number;
}

const LOCAL_ACCOUNT = '000000000000';

export function lambdaContext({ functionName, timeoutMs, memoryLimitInMB = 1024 }: InvocationOptions): Context {
  const deadline = Date.now() + timeoutMs;
  const unsupported = () => {
    throw new Error('the callback-style context methods are not supported; return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: String(memoryLimitInMB),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

export class InvocationTimedOut extends Error {
  override readonly name = 'InvocationTimedOut';
}

/**
 * Runs one invocation under the function's timeout. Lambda freezes a timed-out invocation; locally the
 * promise keeps running, but its result is ignored, as Lambda's would be.
 */
export async function invokeWithTimeout<T>(invoke: () => Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new InvocationTimedOut(`Task timed out after ${timeoutMs / 1000} seconds`)), timeoutMs);
  });
  try {
    return await Promise.race([invoke(), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
