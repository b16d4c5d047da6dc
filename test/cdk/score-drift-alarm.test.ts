import { describe, expect, it } from 'vitest';
import { AI_SERVICE, SCREENING_OVERRIDE_METRICS } from '#core/metrics';
import { parseStackConfig } from '#lib/config';
import { logicalIdOf, synthBridge } from './support.ts';

/** The screening-score drift alarm (`aiDrift`) and the override metrics the dashboard reads. */

type Alarm = { Properties: Record<string, unknown> & { Metrics?: { Id: string; Expression?: string; MetricStat?: { Metric: { MetricName: string; Dimensions: unknown }; Period: number; Stat: string } }[] } };

function driftAlarms(alarms: Record<string, Alarm>): Alarm[] {
  return Object.values(alarms).filter((a) => a.Properties.Metrics?.some((m) => m.MetricStat?.Metric.MetricName === 'ScreeningScore'));
}

describe('screening score drift alarm', () => {
  it('without a baseline there is none', () => {
    const bridge = synthBridge({ bridge: { ai: { screening: { enabled: true } } } });
    expect(driftAlarms(bridge.template.findResources('AWS::CloudWatch::Alarm') as Record<string, Alarm>)).toEqual([]);
    expect(bridge.stack.aiWorkflows.alarms).toHaveLength(1);
  });

  it('with a baseline: the p50 over the window, this far from it, once the window holds enough scores; to the alarm topic', () => {
    const bridge = synthBridge({ bridge: { ai: { screening: { enabled: true } }, aiDrift: { baselineP50: 62, margin: 10, windowHours: 6, minSamples: 25 } } });
    const [alarm, ...more] = driftAlarms(bridge.template.findResources('AWS::CloudWatch::Alarm') as Record<string, Alarm>);
    expect(more).toEqual([]);
    const topic = { Ref: logicalIdOf(bridge.stack, bridge.stack.alarmTopic.topic.topicArn) };
    expect(alarm!.Properties).toMatchObject({ Threshold: 10, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1, TreatMissingData: 'notBreaching', AlarmActions: [topic], OKActions: [topic] });
    const metrics = alarm!.Properties.Metrics!;
    expect(metrics.find((m) => m.Expression)?.Expression).toBe('IF(n >= 25, ABS(p50 - 62), 0)');
    const stats = Object.fromEntries(metrics.filter((m) => m.MetricStat).map((m) => [m.Id, m.MetricStat!]));
    expect(stats['p50']).toMatchObject({ Stat: 'p50', Period: 6 * 3600, Metric: { MetricName: 'ScreeningScore', Dimensions: [{ Name: 'service', Value: AI_SERVICE }] } });
    expect(stats['n']).toMatchObject({ Stat: 'SampleCount', Period: 6 * 3600 });
    expect(bridge.stack.aiWorkflows.alarms).toHaveLength(2);
  });

  it('the configuration: defaults, and a window longer than a day or a baseline off the 0-100 scale refused', () => {
    expect(parseStackConfig({}).aiDrift).toEqual({ margin: 15, windowHours: 24, minSamples: 20 });
    expect(() => parseStackConfig({ aiDrift: { baselineP50: 60, windowHours: 25 } })).toThrow(/windowHours/);
    expect(() => parseStackConfig({ aiDrift: { baselineP50: 120 } })).toThrow(/baselineP50/);
  });

  it('the override metrics: one per kind, with the service dimension', () => {
    const bridge = synthBridge({ bridge: { ai: { screening: { enabled: true } } } });
    for (const [kind, name] of Object.entries(SCREENING_OVERRIDE_METRICS)) {
      expect(bridge.stack.aiWorkflows.screeningOverrideMetric(kind as keyof typeof SCREENING_OVERRIDE_METRICS)).toMatchObject({ metricName: name, dimensions: { service: AI_SERVICE }, statistic: 'Sum' });
    }
  });
});
