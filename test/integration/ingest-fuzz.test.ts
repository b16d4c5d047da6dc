import { beforeAll, describe, expect, it } from 'vitest';
import { passingChecks, runFuzz, type FuzzReport } from '../../bench/fuzz/run.ts';
import { CASE_KINDS } from '../../bench/fuzz/corpus.ts';

/**
 * `npm run fuzz` at a small scale (bench/fuzz.ts runs 20,000 cases): 2,000 signed and unsigned
 * deliveries over HTTP through the local API Gateway, the real ingest handler and the SQS emulator.
 * Asserts the invariants only, never how long it took.
 */
describe('webhook fuzz, 2,000 cases', () => {
  let report: FuzzReport;
  const answers = (kind: keyof FuzzReport['histogram']) => Object.keys(report.histogram[kind]).sort();

  beforeAll(async () => {
    report = await runFuzz({ cases: 2_000, seed: 7 });
  });

  it('breaks no invariant', () => {
    expect(report.cases).toBe(2_000);
    expect(report.violations).toEqual([]);
    expect(report.checks).toEqual(passingChecks());
  });

  it('covered every class, and each class got the answers it exists to provoke', () => {
    for (const kind of CASE_KINDS) expect(Object.values(report.histogram[kind]).reduce((a, b) => a + b, 0), kind).toBeGreaterThan(0);
    expect(answers('unsigned')).toEqual(['401']);
    expect(answers('tampered')).toEqual(['401']);
    // Header variants that still carry the right HMAC (hex case, surrounding space, the last of two) pass.
    expect(answers('signature-header')).toEqual(expect.arrayContaining(['200 queued', '401']));
    expect(answers('signature-header').filter((a) => !['200 pong', '200 queued', '401'].includes(a))).toEqual([]);
    expect(answers('random-bytes')).toEqual(['400 malformed']);
    expect(answers('truncated')).toEqual(['400 malformed']);
    expect(answers('deep-nesting')).toContain('400 malformed');
    expect(answers('invalid-ids')).toContain('400 invalid-id');
    expect(answers('huge')).toEqual(expect.arrayContaining(['413', '400 malformed', '200 queued']));
    expect(answers('unknown-action')).toEqual(['200 kept', '400 malformed']);
    expect(answers('unicode')).toEqual(['200 queued']);
    expect(report.messages.routed).toBeGreaterThan(0);
    expect(report.messages.kept).toBeGreaterThan(0);
  });
});
