/**
 * `npm run fuzz`: signed and unsigned webhook deliveries of every kind that should not get through,
 * or should get through intact, sent over HTTP on 127.0.0.1 through the local API Gateway into the
 * real ingest handler and the SQS emulator (bench/fuzz/). Prints how each class of case was answered
 * and the invariants: no 5xx, nothing unsigned or tampered accepted, every signed body the bridge
 * refuses kept byte for byte on the DLQ, no invalid id in a FIFO group, SQS ids within limits.
 * Exits non-zero if any invariant breaks. A benchmark, not a test: nothing here is timed against a bound.
 *
 *   npm run fuzz -- [--cases N] [--seed S] [--concurrency C]
 */
import { parseArgs } from 'node:util';
import { formatReport, runFuzz } from './fuzz/run.ts';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '20000' },
    seed: { type: 'string', default: '11' },
    concurrency: { type: 'string', default: '8' },
  },
});
const count = (name: string, value: string, min: number) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new RangeError(`--${name} must be an integer of at least ${min}`);
  return n;
};

const cases = count('cases', values.cases, 1);
const report = await runFuzz({
  cases,
  seed: count('seed', values.seed, 0),
  concurrency: count('concurrency', values.concurrency, 1),
  onProgress: (done) => process.stderr.write(`\r${done} / ${cases} cases`),
});
process.stderr.write('\n');
console.log(formatReport(report));
const broken = Object.values(report.checks).some((n) => n > 0);
process.exitCode = broken ? 1 : 0;
