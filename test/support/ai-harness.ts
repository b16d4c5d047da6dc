import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { GreenhouseClient } from '#adapters/greenhouse/client';
import { InMemoryAiMemory } from '#adapters/store/ai-memory';
import { InMemoryAudit } from '#adapters/store/in-memory';
import { parseScenario } from '#local/simulators/greenhouse/scenario';
import { startHarness, type Harness } from '../integration/greenhouse/support.ts';

/**
 * What the AI workflow integration tests share: a provider wrapper that records its calls and can be
 * told to throw, and one Greenhouse simulator per file, reset before each test, with a fresh
 * in-memory AI memory and Audit.
 */

/** What a provider was asked, in order; with `failWith` set, each call throws it instead of answering. */
export class CallRecorder<I> {
  readonly calls: I[] = [];
  failWith: Error | undefined;

  record(input: I): void {
    this.calls.push(input);
    if (this.failWith) throw this.failWith;
  }

  reset(): void {
    this.calls.length = 0;
    this.failWith = undefined;
  }
}

type InputOf<F> = F extends (input: infer I) => unknown ? I : never;

/** `inner` (an offline provider) with `method` behind a CallRecorder. */
export function recorded<P extends object, K extends keyof P>(inner: P, method: K): P & CallRecorder<InputOf<P[K]>> {
  const recorder = new CallRecorder<InputOf<P[K]>>();
  const answer = inner[method] as (input: InputOf<P[K]>) => Promise<unknown>;
  const wrapped = async (input: InputOf<P[K]>) => {
    recorder.record(input);
    return answer.call(inner, input);
  };
  return Object.assign(recorder, inner, { [method]: wrapped }) as P & CallRecorder<InputOf<P[K]>>;
}

/** The simulator harness of the file, and the client, memory and Audit of the current test. */
export interface AiHarness extends Pick<Harness, 'sim' | 'clock' | 'admin'> {
  readonly client: GreenhouseClient;
  readonly memory: InMemoryAiMemory;
  readonly audit: InMemoryAudit;
}

/**
 * Registers the hooks: the simulator starts once on `scenario()`; before each test it is reset
 * (state and request counts), memory and Audit are new, and `recorders` are cleared.
 */
export function useAiHarness(scenario: () => Promise<unknown>, ...recorders: readonly CallRecorder<unknown>[]): AiHarness {
  let harness: Harness;
  let client: GreenhouseClient;
  let memory: InMemoryAiMemory;
  let audit: InMemoryAudit;

  beforeAll(async () => {
    harness = await startHarness({ scenario: parseScenario(await scenario()) });
    client = harness.client();
  });
  afterAll(() => harness?.close());

  beforeEach(async () => {
    await harness.admin('POST', '/reset');
    harness.sim.counts.reset();
    for (const recorder of recorders) recorder.reset();
    memory = new InMemoryAiMemory();
    audit = new InMemoryAudit();
  });

  return {
    get sim() {
      return harness.sim;
    },
    get clock() {
      return harness.clock;
    },
    admin: <T>(...args: Parameters<Harness['admin']>) => harness.admin<T>(...args),
    get client() {
      return client;
    },
    get memory() {
      return memory;
    },
    get audit() {
      return audit;
    },
  };
}
