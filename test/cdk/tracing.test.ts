import { beforeAll, describe, expect, it } from 'vitest';
import { logicalIdOf, synthBridge, type SynthesizedBridge } from './support.ts';

describe('X-Ray tracing (the AWS side; lambdas/runtime.ts makes the subsegments)', () => {
  let bridge: SynthesizedBridge;

  beforeAll(() => {
    bridge = synthBridge({ bridge: { analytics: { enabled: true }, ai: { rediscovery: { enabled: true } } } });
  });

  it('turns active tracing on for every function', () => {
    const functions = Object.values(bridge.template.findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(7);
    for (const fn of functions) expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
  });

  it('traces the API stage, so a webhook\'s trace starts at the gateway', () => {
    const stageId = logicalIdOf(bridge.stack, bridge.stack.webhookApi.api.deploymentStage.stageName);
    expect(bridge.template.toJSON()['Resources'][stageId].Properties.TracingEnabled).toBe(true);
  });

  it('leaves the sampling to X-Ray\'s default rule and sets no tracer switches in the environment (the runtime decides)', () => {
    bridge.template.resourceCountIs('AWS::XRay::SamplingRule', 0);
    for (const fn of Object.values(bridge.template.findResources('AWS::Lambda::Function'))) {
      expect(Object.keys(fn.Properties.Environment.Variables).filter((name) => name.startsWith('POWERTOOLS_TRACE'))).toEqual([]);
    }
  });
});
