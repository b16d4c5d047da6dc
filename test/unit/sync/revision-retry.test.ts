import { describe, expect, it } from 'vitest';
import { withRevisionRetry, type RevisionConflict } from '#core/sync/revision-retry';

function attempts(...answers: Array<string | RevisionConflict>) {
  let calls = 0;
  return {
    run: async () => answers[calls++] ?? 'nothing left',
    get calls() {
      return calls;
    },
  };
}

describe('withRevisionRetry', () => {
  it('answers the first result without a second run when it stored its state', async () => {
    const runs = attempts('updated');
    await expect(withRevisionRetry(() => runs.run(), 'lost')).resolves.toBe('updated');
    expect(runs.calls).toBe(1);
  });

  it('runs once more after a lost revision race and answers that run', async () => {
    const runs = attempts('conflict', 'unchanged');
    await expect(withRevisionRetry(() => runs.run(), 'lost')).resolves.toBe('unchanged');
    expect(runs.calls).toBe(2);
  });

  it('throws the given message after two lost races in a row, with no third run', async () => {
    const runs = attempts('conflict', 'conflict', 'updated');
    await expect(withRevisionRetry(() => runs.run(), 'job 7: reconcile lost two revision races in a row')).rejects.toThrow('job 7: reconcile lost two revision races in a row');
    expect(runs.calls).toBe(2);
  });
});
