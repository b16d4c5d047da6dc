import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as catalogue from '#core/metrics';
import { EMITTED_METRICS, METRICS_NAMESPACE } from '#core/metrics';
import { FUNCTION_SERVICES, type LambdaFunctionName } from '#lambdas/runtime';
import { synthBridge, type SynthesizedBridge } from './support.ts';

/**
 * Every custom metric the functions emit costs $0.30 a month for each month it receives data, so each
 * must be read by someone: a dashboard widget, an alarm (both with the emitting function's `service`
 * dimension) or a line of the runbook (docs/operations.md, the name in backticks). The emitted list is
 * EMITTED_METRICS (lambdas/core/metrics.ts); the checks below keep it honest: every metric name the
 * catalogue defines is in it, and no function emits a name that is not a catalogue constant.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const RUNBOOK = readFileSync(join(ROOT, 'docs/operations.md'), 'utf8');

interface Emitted {
  readonly name: string;
  readonly service: string;
}

const emitted: Emitted[] = Object.entries(EMITTED_METRICS).flatMap(([fn, names]) =>
  names.map((name) => ({ name, service: FUNCTION_SERVICES[fn as LambdaFunctionName] })),
);

/** Exports of core/metrics.ts that name no metric: the namespace, services, prefixes and the catalogue itself. */
const NOT_METRIC_NAMES = new Set(['METRICS_NAMESPACE', 'SERVICES', 'AI_SERVICE', 'AI_WORKFLOW_METRIC_PREFIX', 'EMITTED_METRICS', 'aiMetrics']);

/** The metric names core/metrics.ts defines as constants (aiMetrics' names are checked by the emit-site rule below). */
function definedNames(): string[] {
  return Object.entries(catalogue)
    .filter(([key]) => !NOT_METRIC_NAMES.has(key))
    .flatMap(([, value]) => (typeof value === 'string' ? [value] : typeof value === 'object' && value !== null ? Object.values(value).filter((v) => typeof v === 'string') : []));
}

/** An emit call (`addMetric(`, `count(`, `.metric(`) whose name is a literal rather than a catalogue constant. */
const LITERAL_EMIT = /\b(?:addMetric|count|metric)\(\s*['"`]/;

function literalEmits(): string[] {
  return readdirSync(join(ROOT, 'lambdas'), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)))
    .flatMap((file) =>
      readFileSync(join(ROOT, file), 'utf8')
        .split('\n')
        .flatMap((line, i) => (LITERAL_EMIT.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
    );
}

interface Readers {
  readonly dashboard: string;
  readonly alarms: readonly { readonly namespace?: string; readonly name?: string; readonly service?: string }[];
}

function readersOf(bridge: SynthesizedBridge): Readers {
  const [dashboard] = Object.values(bridge.template.findResources('AWS::CloudWatch::Dashboard'));
  type Dimension = { Name: string; Value: unknown };
  type MetricProps = { Namespace?: string; MetricName?: string; Dimensions?: Dimension[] };
  const read = (m: MetricProps) => ({ namespace: m.Namespace, name: m.MetricName, service: m.Dimensions?.find((d) => d.Name === 'service')?.Value as string | undefined });
  const alarms = Object.values(bridge.template.findResources('AWS::CloudWatch::Alarm')).flatMap(({ Properties: p }) => {
    const math = (p.Metrics ?? []) as { MetricStat?: { Metric: MetricProps } }[];
    return [read(p as MetricProps), ...math.flatMap((m) => (m.MetricStat ? [read(m.MetricStat.Metric)] : []))];
  });
  return { dashboard: JSON.stringify(dashboard!.Properties.DashboardBody), alarms };
}

/** Where a metric is read, or nothing. */
function readersOfMetric(metric: Emitted, readers: Readers, runbook: string): string[] {
  const where: string[] = [];
  if (readers.dashboard.includes(`\\"${METRICS_NAMESPACE}\\",\\"${metric.name}\\",\\"service\\",\\"${metric.service}\\"`)) where.push('dashboard');
  if (readers.alarms.some((a) => a.namespace === METRICS_NAMESPACE && a.name === metric.name && a.service === metric.service)) where.push('alarm');
  if (runbook.includes(`\`${metric.name}\``)) where.push('runbook');
  return where;
}

describe('every emitted metric is read by a widget, an alarm or the runbook', () => {
  let readers: Readers;

  beforeAll(() => {
    // With the optional parts on, so their metrics' readers (the Pipeline analytics row) are in the template.
    readers = readersOf(synthBridge({ bridge: { analytics: { enabled: true } } }));
  });

  it('finds the emitted metrics and their readers (the checks below are not vacuous)', () => {
    expect(emitted.length).toBeGreaterThan(40);
    expect(emitted).toContainEqual({ name: 'WebhookVerified', service: 'ingest' });
    expect(emitted).toContainEqual({ name: 'BeameryCapabilityBroken', service: 'beamery-sync' });
    expect(readersOfMetric({ name: 'WebhookVerified', service: 'ingest' }, readers, RUNBOOK)).toContain('dashboard');
    expect(readersOfMetric({ name: 'BeameryCapabilityBroken', service: 'greenhouse-sync' }, readers, RUNBOOK)).toContain('alarm');
    expect(readersOfMetric({ name: 'MessagesRateLimited', service: 'ai-workflows' }, readers, RUNBOOK)).toContain('alarm');
    expect(readersOfMetric({ name: 'UsersUnmatched', service: 'greenhouse-poller' }, readers, RUNBOOK)).toEqual(['runbook']);
    // The right name with the wrong service is not read: a widget of one consumer does not cover another's.
    expect(readersOfMetric({ name: 'WebhookVerified', service: 'beamery-push' }, readers, '')).toEqual([]);
    expect(readersOfMetric({ name: 'NoSuchMetric', service: 'ingest' }, readers, 'a line naming `OtherMetric`')).toEqual([]);
    expect(LITERAL_EMIT.test("count('Unlisted', 1)")).toBe(true);
    expect(LITERAL_EMIT.test('report.metric(m.inferences, "Count", 1)')).toBe(false);
  });

  it('each emitted metric has a reader', () => {
    const unread = emitted.filter((metric) => readersOfMetric(metric, readers, RUNBOOK).length === 0).map((m) => `${m.name} (service ${m.service})`);
    expect(unread).toEqual([]);
  });

  it('every metric name core/metrics.ts defines is in the emitted list', () => {
    const listed = new Set(emitted.map((m) => m.name));
    const defined = definedNames();
    expect(defined).toContain('WebhookVerified');
    expect(defined.filter((name) => !listed.has(name))).toEqual([]);
  });

  it('the functions emit catalogue constants only, never a literal name', () => {
    expect(literalEmits()).toEqual([]);
  });

  it('each emitting function is a function of the stack', () => {
    for (const fn of Object.keys(EMITTED_METRICS)) expect(Object.keys(FUNCTION_SERVICES)).toContain(fn);
  });
});
