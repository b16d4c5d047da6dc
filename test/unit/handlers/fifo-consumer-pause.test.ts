import { Logger } from '@aws-lambda-powertools/logger';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ENVELOPE_VERSION } from '#core/envelope';
import type { ConsumerQueue } from '#adapters/queue/consumer-queue';
import { makeFifoConsumer } from '#handlers/fifo-consumer';

/**
 * A paused flow (`bridge pause`) hands its batches back untried, uncounted. The one limit is the
 * queue's retention, as for every other wait: a message still paused when it runs out is kept on the
 * DLQ with its reason, rather than deleted by SQS unseen.
 */
const DAY_MS = 86_400_000;
const NOW = Date.parse('2026-12-20T00:00:00Z');

function record(id: string, sentAt: number): SQSRecord {
  const body = JSON.stringify({ v: ENVELOPE_VERSION, kind: 'beamery.change', action: 'contact_changed', entityKey: `beamery#contact#${id}`, origin: 'poll', observedAt: new Date(sentAt).toISOString(), deliveryId: id, refs: {} });
  return {
    messageId: id,
    receiptHandle: `rh-${id}`,
    body,
    attributes: { SentTimestamp: String(sentAt), ApproximateReceiveCount: '3', MessageGroupId: `g-${id}` } as SQSRecord['attributes'],
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:1:beamery-changes.fifo',
    awsRegion: 'us-east-1',
  };
}

describe('a paused consumer', () => {
  it('hands a fresh message back untried, and keeps one whose retention is running out on the DLQ with the reason', async () => {
    const handedBack: string[] = [];
    const deadLettered: { id: string; reason: string }[] = [];
    let handled = 0;
    const queue: ConsumerQueue = {
      id: 'beamery-changes',
      maxFailures: 5,
      retentionSeconds: 14 * 86_400,
      visibilityTimeoutSeconds: 360,
      handBack: async (items) => {
        handedBack.push(...items.map((i) => i.record.messageId));
        return 0;
      },
      countFailure: async () => 1,
      deadLetter: async (r, reason) => void deadLettered.push({ id: r.messageId, reason }),
    };
    const consumer = makeFifoConsumer({
      handle: async () => void handled++,
      queue,
      logger: new Logger({ logLevel: 'SILENT' }),
      metrics: { addMetric: () => undefined, publishStoredMetrics: () => undefined },
      now: () => NOW,
      pause: { isPaused: async () => true, waitSeconds: 60 },
    });
    const event: SQSEvent = { Records: [record('fresh', NOW - DAY_MS), record('old', NOW - 14 * DAY_MS + 60_000)] };
    const response = await consumer(event);

    expect(handled).toBe(0);
    expect(handedBack).toEqual(['fresh']);
    expect(deadLettered).toEqual([{ id: 'old', reason: expect.stringMatching(/retention ran out.*paused/) }]);
    // The dead letter is done for the source queue; the fresh one is still the queue's.
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'fresh' }]);
  });
});
