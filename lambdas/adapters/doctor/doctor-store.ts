import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import * as z from '#core/zod-mini';
import { brokenCapabilities, type DoctorReport } from '#core/doctor/report';

/**
 * The last `bridge doctor` report of a tenant, in the Ledger table under its own prefix: one item,
 * replaced by each run, so a check that passes again clears what an earlier run convicted. Evidence
 * holds ids, paths, statuses and field names only, never candidate data. No `expiresAt`: a finding
 * stays until the next run replaces it.
 */
export const doctorReportKey = (tenant: string) => ({ pk: `doctor#${tenant}`, sk: 'latest' });

const reportSchema = z.object({
  ranAt: z.string(),
  writeTest: z.boolean(),
  targets: z.object({ greenhouse: z.string(), beamery: z.string() }),
  checks: z.array(
    z.object({
      id: z.string(),
      status: z.enum(['ok', 'fail', 'unknown']),
      evidence: z.string(),
      capabilities: z.optional(z.array(z.string())),
    }),
  ),
});

export interface DoctorReports {
  save(report: DoctorReport): Promise<void>;
  latest(): Promise<DoctorReport | undefined>;
}

export class DynamoDbDoctorReports implements DoctorReports {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    dynamodb: DynamoDBClient,
    private readonly tableName: string,
    private readonly tenant: string,
  ) {
    this.documents = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
  }

  async save(report: DoctorReport): Promise<void> {
    await this.documents.send(new PutCommand({ TableName: this.tableName, Item: { ...doctorReportKey(this.tenant), report } }));
  }

  async latest(): Promise<DoctorReport | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: doctorReportKey(this.tenant), ConsistentRead: true }));
    if (!Item) return undefined;
    // A report written by another version that no longer parses is treated as absent, not trusted.
    const parsed = reportSchema.safeParse(Item['report']);
    return parsed.success ? parsed.data : undefined;
  }
}

/**
 * What the consumers read before relying on a capability: the broken ones of the last report, read
 * at most once per `maxAgeMs` per container, so a re-run of the doctor (after a fix) is picked up
 * within a minute without a read per message. A failed read keeps the last known answer (none at
 * first): the doctor's findings are advice on top of the clients' own checks, not a dependency.
 */
export function brokenCapabilitiesReader(reports: Pick<DoctorReports, 'latest'>, now: () => number, maxAgeMs = 60_000): () => Promise<ReadonlyMap<string, string>> {
  let cached: { at: number; broken: ReadonlyMap<string, string> } | undefined;
  return async () => {
    if (cached && now() - cached.at < maxAgeMs) return cached.broken;
    try {
      const report = await reports.latest();
      cached = { at: now(), broken: report ? brokenCapabilities(report) : new Map() };
    } catch {
      cached = { at: now(), broken: cached?.broken ?? new Map() };
    }
    return cached.broken;
  };
}
