import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import { TABLE_NAMES, type TableName } from './records.ts';

/**
 * A scenario file (`scenarios/greenhouse/*.json`): one array per v3 resource, each row a partial
 * v3 record with its id (missing fields get factory defaults). Conveniences that v3 itself does
 * not have: candidates may carry `tags` (names; turned into candidate_tags and applied rows),
 * attachments may carry `text` instead of base64 `content`, and offers may carry their `approval`
 * chain (`{sequential?, approver_groups: [{approvals_required?, user_ids}]}`, turned into an
 * `offer_candidate` approval flow with its approver groups and approvers) and take `job_id` and
 * `candidate_id` from their application when they leave them out.
 */
const row = z.looseObject({ id: z.number().int().positive() });
/** An offer's approval chain (state.ts ApprovalChain), in scenarios and the admin API. */
export const approvalChain = z.object({
  sequential: z.boolean().optional(),
  approver_groups: z.array(z.object({ approvals_required: z.number().int().min(1).optional(), user_ids: z.array(z.number().int()).min(1) })).min(1),
});
const rows = z.array(row).default([]);

const tableShape = Object.fromEntries(TABLE_NAMES.map((name) => [name, rows])) as Record<TableName, typeof rows>;

export const scenarioSchema = z.object({
  name: z.string().default('unnamed'),
  description: z.string().optional(),
  ...tableShape,
  candidates: z
    .array(row.extend({ first_name: z.string(), last_name: z.string(), tags: z.array(z.string()).optional() }))
    .default([]),
  attachments: z
    .array(row.extend({ application_id: z.number().int(), text: z.string().optional(), content: z.string().optional() }))
    .default([]),
  offers: z.array(row.extend({ application_id: z.number().int(), approval: approvalChain.optional() })).default([]),
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;

export const EMPTY_SCENARIO: Scenario = scenarioSchema.parse({ name: 'empty' });

export function parseScenario(input: unknown): Scenario {
  return scenarioSchema.parse(input);
}

export async function loadScenarioFile(path: string): Promise<Scenario> {
  return parseScenario(JSON.parse(await readFile(path, 'utf8')));
}
