import { describe, expect, it } from 'vitest';
import { readConfig } from '#lambdas/config';
import { queueUrlsFor } from '#wiring/publisher-for';

const config = readConfig({
  BRIDGE_RUNTIME: 'local',
  GREENHOUSE_CHANGES_QUEUE_URL: 'http://127.0.0.1:1/q/greenhouse-changes.fifo',
  BEAMERY_CHANGES_QUEUE_URL: 'http://127.0.0.1:1/q/beamery-changes.fifo',
  BEAMERY_CHANGES_DLQ_URL: 'http://127.0.0.1:1/q/beamery-changes-dlq.fifo',
});

describe('queueUrlsFor', () => {
  it("answers the configured URL of each queue and dead-letter queue in the sender's scope", () => {
    const resolve = queueUrlsFor(config, { sender: 'ingest', queues: ['greenhouse-changes', 'beamery-changes'], deadLetters: ['beamery-changes'] });
    expect(resolve('greenhouse-changes', false)).toBe('http://127.0.0.1:1/q/greenhouse-changes.fifo');
    expect(resolve('beamery-changes', true)).toBe('http://127.0.0.1:1/q/beamery-changes-dlq.fifo');
  });

  it('refuses a queue outside the scope, naming the sender, even when its URL is configured', () => {
    const resolve = queueUrlsFor(config, { sender: 'the push handler', queues: ['beamery-changes'] });
    expect(() => resolve('greenhouse-changes', false)).toThrow('the push handler does not send to greenhouse-changes');
    expect(() => resolve('beamery-changes', true)).toThrow('the push handler does not send to beamery-changes (dead-letter)');
  });

  it('fails when built, naming the variable, when a queue of the scope has no URL', () => {
    expect(() => queueUrlsFor(config, { sender: 'ingest', queues: ['ai-tasks'] })).toThrow('AI_TASKS_QUEUE_URL is not set');
  });
});
