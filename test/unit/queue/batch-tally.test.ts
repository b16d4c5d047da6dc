import { describe, expect, it } from 'vitest';
import { BatchTally } from '#core/queue/batch-tally';

describe('BatchTally.handBacks', () => {
  const batch = [
    { messageId: 'a1', groupId: 'a' },
    { messageId: 'a2', groupId: 'a' },
    { messageId: 'b1', groupId: 'b' },
    { messageId: 'c1', groupId: 'c' },
    { messageId: 'n1' },
  ];

  it('hands each waiting message back for its own time, and one skipped behind its group for the group’s longest', () => {
    const tally = new BatchTally();
    tally.wait(batch[0]!, 30, 'RateLimited: greenhouse');
    tally.wait(batch[2]!, 5, 'ServerError: beamery 503');
    tally.wait(batch[2]!, 12, 'ServerError: beamery 503');
    const { items, reasons } = tally.handBacks(batch, new Set(['a1', 'a2', 'b1']));
    expect(items).toEqual([
      { messageId: 'a1', seconds: 30 },
      { messageId: 'a2', seconds: 30 },
      { messageId: 'b1', seconds: 12 },
    ]);
    expect(reasons).toEqual({ 'RateLimited: greenhouse': 1, 'behind its group': 1, 'ServerError: beamery 503': 1 });
  });

  it('leaves out what did not fail, and a failed message with no wait of its own or of its group (a dead letter, reported done)', () => {
    const tally = new BatchTally();
    tally.wait(batch[0]!, 30, 'RateLimited: greenhouse');
    const { items } = tally.handBacks(batch, new Set(['c1', 'n1']));
    expect(items).toEqual([]);
  });
});
