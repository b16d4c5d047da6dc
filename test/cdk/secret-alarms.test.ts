import { beforeAll, describe, it } from 'vitest';
import { INGEST_METRICS, METRICS_NAMESPACE, PUSH_METRICS, SERVICES } from '#core/metrics';
import { synthBridge, type SynthesizedBridge } from './support.ts';

/** A webhook secret or push key too weak to use (lambdas/core/secret-strength.ts) alarms at its first refusal. */
describe('weak secret alarms', () => {
  let bridge: SynthesizedBridge;
  beforeAll(() => {
    bridge = synthBridge();
  });

  it('alarm on the first WebhookSecretWeak and PushKeyWeak of each Lambda', () => {
    for (const [metric, service] of [
      [INGEST_METRICS.secretWeak, SERVICES.ingest],
      [PUSH_METRICS.keyWeak, SERVICES.beameryPush],
    ] as const) {
      bridge.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: METRICS_NAMESPACE,
        MetricName: metric,
        Dimensions: [{ Name: 'service', Value: service }],
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    }
  });
});
