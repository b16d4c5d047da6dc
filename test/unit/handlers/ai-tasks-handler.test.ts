import { Logger } from '@aws-lambda-powertools/logger';
import type { ConsumerQueue } from '#adapters/queue/consumer-queue';
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ENVELOPE_VERSION, type Envelope, type GreenhouseEventEnvelope } from '#core/envelope';
import { CONSUMER_METRICS, aiMetrics } from '#core/metrics';
import { aiSettingsSchema } from '#core/ai/settings';
import { offlineScreeningProvider } from '#core/ai/screening/offline';
import { InMemoryAiMemory } from '#adapters/store/ai-memory';
import { InMemoryAudit } from '#adapters/store/in-memory';
import type { FeedbackRun } from '#core/ai/run-task';
import { makeAiTasksHandler } from '#handlers/make-ai-tasks-handler';

/**
 * The ai-tasks consumer's dispatch and metrics, without queues: which action runs which workflow, what
 * each outcome counts (the dashboard's inferences, tokens and estimated cost), and that a message it
 * cannot handle fails rather than disappearing. The workflows themselves are tested against the
 * Greenhouse simulator (test/integration/ai) and end to end (test/e2e/ai-workflows.test.ts).
 */
const event = (...envelopes: Envelope[]): SQSEvent => ({
  Records: envelopes.map((envelope, i) => ({
    messageId: `m${i}`,
    receiptHandle: `r${i}`,
    body: JSON.stringify(envelope),
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 's', ApproximateFirstReceiveTimestamp: '0', MessageGroupId: `g${i}` },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:ai-tasks.fifo',
    awsRegion: 'us-east-1',
  })),
});
const task = (action: string, applicationId = '42'): GreenhouseEventEnvelope => ({
  v: ENVELOPE_VERSION,
  kind: 'greenhouse.event',
  action,
  entityKey: `greenhouse#candidate#7`,
  origin: 'webhook',
  observedAt: '2026-11-23T10:00:00.000Z',
  deliveryId: `d-${action}`,
  refs: { applicationId, candidateId: '7' },
});

function harness(feedback: FeedbackRun) {
  const metrics: [string, number][] = [];
  const feedbackCalls: number[] = [];
  const screeningReads: number[] = [];
  const handler = makeAiTasksHandler({
    screening: {
      // An application that does not exist: screening reads it and stops, having written nothing.
      greenhouse: {
        listApplications: (query: { ids?: readonly number[] }) => (async function* () { screeningReads.push(...(query.ids ?? [])); })(),
      } as never,
      provider: offlineScreeningProvider,
      extractText: async () => ({ kind: 'not-screenable', reason: 'unused' }),
      memory: new InMemoryAiMemory(),
      audit: new InMemoryAudit(),
      clock: { now: () => 0, sleep: async () => undefined },
      optOut: { tag: 'AI review: opt out' },
    },
    synthesizeFeedback: async (applicationId) => (feedbackCalls.push(applicationId), feedback),
    applicationsOf: async (candidateId) => (candidateId === 7 ? [71, 72] : []),
    draftJobDescription: async () => ({ outcome: 'skipped', reason: 'disabled' }),
    checkOffer: async () => ({ outcome: 'skipped', reason: 'disabled' }),
    checkOverrides: async () => ({ outcome: 'skipped', reason: 'screening-off' }),
    settings: aiSettingsSchema.parse({ pricing: { inputPer1kTokensUsd: 0.002, outputPer1kTokensUsd: 0.01 } }),
    // The queue port alone: these tests exercise the dispatch, test/integration/fifo-consumer.test.ts the queue.
    queue: {
      id: 'ai-tasks',
      maxFailures: 5,
      retentionSeconds: 14 * 86_400,
      visibilityTimeoutSeconds: 900,
      handBack: async () => 0,
      countFailure: async () => 1,
      deadLetter: async () => undefined,
    } satisfies ConsumerQueue,
    logger: new Logger({ logLevel: 'SILENT' }),
    metrics: { addMetric: (name: string, _unit: unknown, value: number) => void metrics.push([name, value]), publishStoredMetrics: () => undefined },
  });
  return { handler, metrics, feedbackCalls, screeningReads };
}

describe('ai-tasks consumer', () => {
  it('screens new candidate applications, synthesises on stage changes and scorecard polls, and acknowledges the rest without a workflow run', async () => {
    const h = harness({ outcome: 'synthesised', inferences: [{ usage: { inputTokens: 1_500, outputTokens: 400 }, latencyMs: 900 }], failures: 0 });
    const response = await h.handler(event(task('new_candidate_application', '41'), task('candidate_stage_change', '42'), task('scorecards_changed', '43'), task('interview_deleted')));
    expect(response.batchItemFailures).toEqual([]);
    expect(h.screeningReads).toEqual([41]);
    expect(h.feedbackCalls).toEqual([42, 43]);
    // interview_deleted has no workflow: processed (acknowledged), and no workflow metric of its own.
    expect(h.metrics.filter(([name]) => name === CONSUMER_METRICS.processed)).toHaveLength(4);
    expect(h.metrics.filter(([name]) => name === aiMetrics('feedback').inferences)).toHaveLength(2);
  });

  it("a deleted scorecard names only the candidate: each of the candidate's applications is synthesised again", async () => {
    const h = harness({ outcome: 'nothing-ready', inferences: [], failures: 0 });
    const deleted: Envelope = { ...task('scorecard_deleted'), refs: { candidateId: '7', scorecardId: '5' } };
    expect((await h.handler(event(deleted))).batchItemFailures).toEqual([]);
    expect(h.feedbackCalls).toEqual([71, 72]);
  });

  it("records each synthesis's inference, latency, tokens and estimated cost from the configured prices", async () => {
    const h = harness({ outcome: 'synthesised', inferences: [{ usage: { inputTokens: 1_500, outputTokens: 400 }, latencyMs: 900 }], failures: 1 });
    await h.handler(event(task('scorecards_changed')));
    const m = aiMetrics('feedback');
    const value = (name: string) => h.metrics.filter(([n]) => n === name).map(([, v]) => v);
    expect(value(m.inferences)).toEqual([1]);
    expect(value(m.latencyMs)).toEqual([900]);
    expect(value(m.inputTokens)).toEqual([1_500]);
    expect(value(m.outputTokens)).toEqual([400]);
    expect(value(m.estimatedCostUsd)[0]).toBeCloseTo(1.5 * 0.002 + 0.4 * 0.01, 10);
    expect(value(m.errors)).toEqual([1]);
  });

  it('fails a message it cannot run (no application id, a quarantined delivery) instead of dropping it', async () => {
    const h = harness({ outcome: 'nothing-ready', inferences: [], failures: 0 });
    const quarantined = { ...task('x'), kind: 'greenhouse.quarantined', reason: 'unknown-action', detail: 'd', rawBodyBase64: '' } as unknown as Envelope;
    const withoutId = { ...task('candidate_stage_change'), refs: {} };
    const response = await h.handler(event(quarantined, withoutId, task('candidate_stage_change', '44')));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm0' }, { itemIdentifier: 'm1' }]);
    expect(h.feedbackCalls).toEqual([44]);
  });
});
