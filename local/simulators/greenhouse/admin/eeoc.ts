import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { ADMIN_PREFIX } from '../../shared/faults.ts';
import { parseBody, unprocessable } from '../api-errors.ts';
import type { RouteDeps } from '../routes/context.ts';
import type { EeocAnswer, EeocRecord, Iso } from '../records.ts';
import type { GreenhouseState } from '../state.ts';

/**
 * Voluntary self-identification for a set of applications, in given shares, so a test can give one
 * group of applications one distribution and another group another (an injected disparity). The
 * categories and their ids are Greenhouse's EEOC reference [H for v1]; a cell's null is a skipped
 * question. Shares become counts by largest remainder and are dealt out in the order of the ids given,
 * so a test knows exactly who answered what.
 */
const A = ADMIN_PREFIX;

/** Greenhouse's EEOC reference: description → id [H for v1, assumed unchanged in v3]. */
export const EEOC_REFERENCE = {
  race: [
    'American Indian or Alaskan Native',
    'Asian',
    'Black or African American',
    'Hispanic or Latino',
    'White',
    'Native Hawaiian or Other Pacific Islander',
    'Two or More Races',
    'Decline To Self Identify',
  ],
  gender: ['Male', 'Female', 'Decline To Self Identify'],
  veteran_status: ['I am not a protected veteran', 'I identify as one or more of the classifications of a protected veteran', "I don't wish to answer"],
  disability_status: ['Yes, I have a disability (or previously had a disability)', "No, I don't have a disability", "I don't wish to answer"],
} as const;
type Question = keyof typeof EEOC_REFERENCE;
const QUESTIONS = Object.keys(EEOC_REFERENCE) as Question[];

const answer = z.string().min(1).nullable().optional();
export const eeocGenerateSchema = z.object({
  application_ids: z.array(z.number().int().positive()).min(1).max(100_000),
  cells: z
    .array(z.object({ race: answer, gender: answer, veteran_status: answer, disability_status: answer, share: z.number().positive() }))
    .min(1),
  submitted_at: z.iso.datetime().optional(),
});
export type EeocGenerateInput = z.infer<typeof eeocGenerateSchema>;

/** Counts per cell summing to `total`: floors first, then the largest remainders (earlier cells win ties). */
export function largestRemainder(shares: readonly number[], total: number): number[] {
  const sum = shares.reduce((a, b) => a + b, 0);
  const exact = shares.map((s) => (s / sum) * total);
  const counts = exact.map(Math.floor);
  const order = exact.map((e, i) => ({ i, rest: e - Math.floor(e) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (let k = 0; k < total - counts.reduce((a, b) => a + b, 0); k++) counts[order[k]!.i]! += 1;
  return counts;
}

function answerOf(question: Question, description: string | null | undefined): EeocAnswer | null {
  if (description === null || description === undefined) return null;
  const index = (EEOC_REFERENCE[question] as readonly string[]).indexOf(description);
  if (index < 0) throw unprocessable([{ field: question, message: `not an EEOC ${question} category: ${JSON.stringify(description)}` }]);
  return { id: index + 1, description };
}

/** Replaces the answers of the given applications; unknown applications are a 422. */
export function generateEeoc(state: GreenhouseState, input: EeocGenerateInput, now: Iso): EeocRecord[] {
  const missing = input.application_ids.filter((id) => !state.get('applications', id));
  if (missing.length > 0) throw unprocessable([{ field: 'application_ids', message: `no such applications: ${missing.slice(0, 5).join(', ')}` }]);
  const wanted = new Set(input.application_ids);
  for (const record of state.all('eeoc')) if (wanted.has(record.application_id)) state.tables.eeoc.delete(record.id);
  const counts = largestRemainder(
    input.cells.map((c) => c.share),
    input.application_ids.length,
  );
  const created: EeocRecord[] = [];
  let next = 0;
  input.cells.forEach((cell, c) => {
    const answers = Object.fromEntries(QUESTIONS.map((q) => [q, answerOf(q, cell[q])]));
    for (let k = 0; k < counts[c]!; k++) {
      const applicationId = input.application_ids[next++]!;
      const at = input.submitted_at ?? now;
      created.push(
        state.insert('eeoc', { application_id: applicationId, candidate_id: state.get('applications', applicationId)!.candidate_id, ...answers, submitted_at: at, created_at: at, updated_at: at }, now),
      );
    }
  });
  return created;
}

export function registerAdminEeocRoutes(app: FastifyInstance, deps: Pick<RouteDeps, 'state'> & { readonly now: () => Iso }): void {
  app.post(`${A}/generate/eeoc`, async (request) => {
    const created = generateEeoc(deps.state, parseBody(eeocGenerateSchema, request.body), deps.now());
    return { created: created.length, minId: created[0]?.id ?? null, maxId: created.at(-1)?.id ?? null };
  });
}
