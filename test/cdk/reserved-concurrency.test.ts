import { beforeAll, describe, expect, it } from 'vitest';
import { parseStackConfig } from '#lib/config';
import { logicalIdOf, synthBridge, type SynthesizedBridge } from './support.ts';

type FunctionOf = (bridge: SynthesizedBridge) => { functionArn: string };

const FUNCTIONS: Record<string, FunctionOf> = {
  greenhouseSync: (b) => b.stack.greenhouseSync.consumer.function,
  beamerySync: (b) => b.stack.beamerySync.consumer.function,
  aiTasks: (b) => b.stack.aiWorkflows.consumer.function,
  ingest: (b) => b.stack.webhookApi.ingest.function,
  push: (b) => b.stack.pushApi.push.function,
  poller: (b) => b.stack.polling.poller.function,
  pipelineReport: (b) => b.stack.pipelineReports!.report.function,
};

function reservedOf(bridge: SynthesizedBridge, fn: FunctionOf): unknown {
  const id = logicalIdOf(bridge.stack, fn(bridge).functionArn);
  return bridge.template.toJSON()['Resources'][id].Properties.ReservedConcurrentExecutions;
}

describe('reserved concurrency', () => {
  let defaults: SynthesizedBridge;

  beforeAll(() => {
    defaults = synthBridge({ bridge: { sync: { maxConcurrency: 4 }, analytics: { enabled: true } } });
  });

  it('reserves nothing by default (a small account could not deploy), and the event sources bound the consumers', () => {
    const reserved = Object.fromEntries(Object.entries(FUNCTIONS).map(([name, fn]) => [name, reservedOf(defaults, fn)]));
    expect(reserved).toEqual({
      greenhouseSync: undefined,
      beamerySync: undefined,
      aiTasks: undefined,
      ingest: undefined,
      push: undefined,
      poller: undefined,
      pipelineReport: undefined,
    });
    // Each consumer's event source asks for no more than the function may run.
    const mappings = Object.values(defaults.template.findResources('AWS::Lambda::EventSourceMapping'));
    expect(mappings).toHaveLength(3);
    for (const mapping of mappings) {
      expect(mapping.Properties.ScalingConfig).toEqual({ MaximumConcurrency: 4 });
    }
  });

  it('takes a configured value per function', () => {
    const reservedConcurrency = { greenhouseSync: 6, beamerySync: 5, aiTasks: 7, ingest: 20, push: 3, poller: 2, pipelineReport: 1 };
    const bridge = synthBridge({ bridge: { reservedConcurrency, analytics: { enabled: true } } });
    for (const [name, fn] of Object.entries(FUNCTIONS)) {
      expect(reservedOf(bridge, fn), name).toBe(reservedConcurrency[name as keyof typeof reservedConcurrency]);
    }
  });

  it("refuses a consumer's reserved concurrency below sync.maxConcurrency, naming the key and the rule", () => {
    const refusal = () => parseStackConfig({ sync: { maxConcurrency: 5 }, reservedConcurrency: { beamerySync: 4 } });
    expect(refusal).toThrow(/at reservedConcurrency\.beamerySync/);
    expect(refusal).toThrow(/4 is below sync\.maxConcurrency \(5\).*throttled.*at least 5/);
    expect(parseStackConfig({ sync: { maxConcurrency: 5 }, reservedConcurrency: { beamerySync: 5 } }).reservedConcurrency).toEqual({ beamerySync: 5 });
    expect(() => parseStackConfig({ reservedConcurrency: { aiTasks: 2 } })).toThrow(/reservedConcurrency\.aiTasks/);
    // The non-SQS functions have no event source to keep up with.
    expect(parseStackConfig({ reservedConcurrency: { ingest: 1, poller: 1 } }).reservedConcurrency).toEqual({ ingest: 1, poller: 1 });
    expect(() => parseStackConfig({ reservedConcurrency: { ingest: 0 } })).toThrow(/reservedConcurrency\.ingest/);
    expect(() => parseStackConfig({ reservedConcurrency: { unknown: 3 } })).toThrow(/unknown/);
  });
});
