/**
 * `npm run chaos`: the bridge's promise ("What reaches a dead-letter queue", docs/architecture.md)
 * under everything at once, a benchmark rather than a test. 2,000 changes in the Greenhouse and Beamery
 * simulators reach the bridge with every webhook delivered three times (same and new event ids) in
 * shuffled order, 20 % 5xx on both APIs, 429 storms, lost answers, and consumer processes killed with
 * SIGKILL mid-batch; and, the stack keeping its data on disk, the whole stack goes down and comes back
 * halfway. Then it prints what the bridge left: contacts per candidate, missing, duplicated, stale
 * fields, messages on each DLQ, healthy messages dead-lettered, and writes per real change. Exits 1
 * unless 0 missing, duplicated, stale and healthy messages dead-lettered. Details: bench/chaos/run.ts.
 *
 * Options: --changes N (2000), --rate N (changes per second, 8), --seed N, --no-stack-restart (in-memory
 * emulators, no whole-stack restart).
 * Results are also written to .bench/chaos.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { runChaos } from './chaos/run.ts';
import { describeChaos } from './chaos/summary.ts';

const { values } = parseArgs({
  allowNegative: true,
  options: {
    changes: { type: 'string' },
    rate: { type: 'string' },
    seed: { type: 'string' },
    'stack-restart': { type: 'boolean', default: true },
  },
});
const count = z.coerce.number().int().positive();
const options = z
  .object({ changes: count.optional(), rate: z.coerce.number().positive().optional(), seed: z.coerce.number().int().optional() })
  .parse(values);

const result = await runChaos({
  ...(options.changes !== undefined ? { changes: options.changes } : {}),
  ...(options.rate !== undefined ? { changesPerSecond: options.rate } : {}),
  ...(options.seed !== undefined ? { seed: options.seed } : {}),
  stackRestart: values['stack-restart'],
});
for (const line of describeChaos(result)) console.log(line);
mkdirSync('.bench', { recursive: true });
writeFileSync('.bench/chaos.json', `${JSON.stringify(result, null, 2)}\n`);
process.exitCode = result.passed ? 0 : 1;
