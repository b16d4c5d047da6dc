import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { extractResumeText } from '#adapters/resume-text';
import { InMemoryAiMemory } from '#adapters/store/ai-memory';
import { DynamoDbAudit } from '#adapters/store/audit';
import type { FairnessReport } from '#core/ai/fairness/report';
import { UNKNOWN } from '#core/ai/fairness/impact-ratios';
import { offlineScreeningProvider } from '#core/ai/screening/offline';
import { screenApplication } from '#core/ai/screening/workflow';
import { optOutSettingsSchema, screeningSettingsSchema } from '#core/ai/settings';
import { entityKey } from '#core/envelope';
import { ENV } from '#lambdas/config';
import { tableDefinition } from '#lib/resource-definitions';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/defaults';
import { startDynamoDbLocal, type DynamoDbLocal } from '#local/dynamodb-local';
import { createTables } from '#local/resources';
import { localDynamoDbClient } from '#local/sdk-clients';
import { EEOC_REFERENCE, type EeocGenerateInput } from '#local/simulators/greenhouse/admin/eeoc';
import { parseScenario } from '#local/simulators/greenhouse/scenario';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '#local/simulators/greenhouse/server';
import { bridgeInProcess } from '../../support/bridge-in-process.ts';
import { recorded } from '../../support/ai-harness.ts';
import { APPLICATIONS, ENABLED_JOB, aiScenario } from '../../support/ai-scenario.ts';
import { startHarness, type Harness } from '../greenhouse/support.ts';

/**
 * Issue 19's impact-ratio report on the Greenhouse simulator and DynamoDB Local: 60 generated
 * applications in the window (36 with the strong resume, 24 with the weak one), each screened by the
 * offline matcher into the DynamoDB Audit, with voluntary self-identification generated in the
 * simulator *before* screening so that a leak would show, and a disparity injected by giving the
 * weak resumes mostly to women. `bridge fairness-report --json` must flag it, and its ratios must
 * equal the hand computation below. The screening itself must never see or record an answer.
 *
 * Hand computation (selected = the strong resumes, score ≥ 60):
 *   strong (36, all selected): M×White 16, M×Asian 8, F×White 6, F×Asian 4, F×Native Hawaiian 1, declined both 1
 *   weak   (24, none selected): M×White 4, M×Asian 2, F×White 10, F×Asian 6, skipped both 2
 *   sex:   Male 30, 24 selected, 0.8 (reference); Female 27, 11, 11/27 = 0.407407, ratio 0.509259: flagged; unknown 3, 1
 *   race:  White 36, 22, 0.611111 (reference); Asian 20, 12, 0.6, ratio 0.981818; Native Hawaiian 1 (1.7 % of 60): excluded; unknown 3
 *   both:  M×White 20, 16, 0.8; M×Asian 10, 8, 0.8; F×White 16, 6, 0.375, ratio 0.46875: flagged; F×Asian 10, 4, 0.4, ratio 0.5: flagged
 */
const CREATED = '2026-11-02T10:00:00Z';
const THRESHOLD = 60;
const FIRST_CANDIDATE = 20_001;
const FIRST_APPLICATION = 21_001;
const FIRST_ATTACHMENT = 22_001;
const STRONG_COUNT = 36;
const WEAK_COUNT = 24;
/** In the window, with no resume: not screenable, so counted as an application without a score. */
const NO_RESUME_APPLICATION = 21_100;
const STRONG_RESUME = 9301;
const WEAK_RESUME = 9302;
const NHPI = 'Native Hawaiian or Other Pacific Islander';
const DECLINE = 'Decline To Self Identify';

const strongIds = Array.from({ length: STRONG_COUNT }, (_, i) => FIRST_APPLICATION + i);
const weakIds = Array.from({ length: WEAK_COUNT }, (_, i) => FIRST_APPLICATION + STRONG_COUNT + i);

const cell = (gender: string | null, race: string | null, share: number) => ({ gender, race, share, veteran_status: "I don't wish to answer", disability_status: "No, I don't have a disability" });
const STRONG_EEOC: EeocGenerateInput['cells'] = [cell('Male', 'White', 16), cell('Male', 'Asian', 8), cell('Female', 'White', 6), cell('Female', 'Asian', 4), cell('Female', NHPI, 1), cell(DECLINE, DECLINE, 1)];
const WEAK_EEOC: EeocGenerateInput['cells'] = [cell('Male', 'White', 4), cell('Male', 'Asian', 2), cell('Female', 'White', 10), cell('Female', 'Asian', 6), cell(null, null, 2)];

async function scenario(): Promise<unknown> {
  const base = (await aiScenario()) as Record<string, Record<string, unknown>[]>;
  const resumeOf = (id: number) => base['attachments']!.find((a) => a['id'] === id)!;
  const candidates = [];
  const applications = [];
  const attachments = [];
  for (let i = 0; i < STRONG_COUNT + WEAK_COUNT + 1; i++) {
    const candidateId = FIRST_CANDIDATE + i;
    const applicationId = i === STRONG_COUNT + WEAK_COUNT ? NO_RESUME_APPLICATION : FIRST_APPLICATION + i;
    candidates.push({ id: candidateId, first_name: 'Sam', last_name: `Applicant${i}`, created_at: CREATED });
    applications.push({ id: applicationId, candidate_id: candidateId, job_id: ENABLED_JOB, job_post_id: 871, job_interview_stage_id: 811, stage_name: 'Application Review', created_at: CREATED });
    if (applicationId === NO_RESUME_APPLICATION) continue;
    const resume = resumeOf(i < STRONG_COUNT ? STRONG_RESUME : WEAK_RESUME);
    attachments.push({ ...resume, id: FIRST_ATTACHMENT + i, application_id: applicationId, candidate_id: candidateId, filename: `resume-${applicationId}.pdf`, created_at: CREATED });
  }
  return { ...base, name: 'fairness-report', candidates: [...base['candidates']!, ...candidates], applications: [...base['applications']!, ...applications], attachments: [...base['attachments']!, ...attachments] };
}

const provider = recorded(offlineScreeningProvider, 'screen');
let ddbLocal: DynamoDbLocal | undefined;
let dynamodb: DynamoDBClient | undefined;
let harness: Harness | undefined;
let audit: DynamoDbAudit;
let dir: string;

beforeAll(async () => {
  ddbLocal = await startDynamoDbLocal();
  dynamodb = localDynamoDbClient(ddbLocal.endpoint);
  const tables = await createTables(dynamodb, 'fairness-');
  audit = new DynamoDbAudit(dynamodb, tables.audit);
  harness = await startHarness({ scenario: parseScenario(await scenario()) });
  await harness.admin('POST', '/generate/eeoc', { application_ids: strongIds, cells: STRONG_EEOC });
  await harness.admin('POST', '/generate/eeoc', { application_ids: weakIds, cells: WEAK_EEOC });

  const client = harness.client();
  const deps = {
    greenhouse: client,
    provider,
    extractText: extractResumeText,
    memory: new InMemoryAiMemory(),
    audit,
    clock: harness.clock,
    settings: screeningSettingsSchema.parse({ enabled: true, mode: 'shadow', scope: { jobIds: [ENABLED_JOB] }, threshold: THRESHOLD, reviewSamplePercent: 0 }),
    optOut: optOutSettingsSchema.parse({}),
  };
  // Outside the window (created 2026-11-01): screened, never counted.
  for (const id of [APPLICATIONS.strong, ...strongIds, ...weakIds, NO_RESUME_APPLICATION]) await screenApplication(id, deps);

  dir = await mkdtemp(join(tmpdir(), 'fairness-'));
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_') && !name.startsWith('GREENHOUSE_') && name !== ENV.aiSettings));
  const env: Record<string, string> = {
    [tableDefinition('audit').nameEnv]: tables.audit,
    [tableDefinition('ledger').nameEnv]: tables.ledger,
    [ENV.runtime]: 'local',
    [ENV.greenhouseApiBaseUrl]: harness.sim.url,
    [ENV.greenhouseTokenUrl]: `${harness.sim.url}/token`,
    [ENV.greenhouseClientId]: DEFAULT_CLIENT_ID,
    [ENV.greenhouseClientSecret]: DEFAULT_CLIENT_SECRET,
    [ENV.aiSettings]: JSON.stringify({ screening: { threshold: THRESHOLD }, fairness: { readDemographics: true } }),
    AWS_ENDPOINT_URL_DYNAMODB: ddbLocal.endpoint,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  };
  for (const name of Object.keys(process.env)) if (!(name in inherited) && !(name in env)) vi.stubEnv(name, undefined);
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
}, 120_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  await harness?.close();
  dynamodb?.destroy();
  await ddbLocal?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const rowOf = (report: FairnessReport, dimension: string, category: string) => {
  const row = report.dimensions.find((d) => d.dimension === dimension)?.rows.find((r) => r.category === category);
  if (!row) throw new Error(`no row ${dimension}: ${category}`);
  return row;
};

describe('bridge fairness-report on generated applications with an injected disparity', () => {
  it('the screening scored the strong resumes at or above the threshold and the weak ones below (the test’s premise)', async () => {
    const scoreOf = async (id: number) => (await audit.list(entityKey('greenhouse', 'application', id))).find((e) => typeof e.detail?.['score'] === 'number')?.detail?.['score'] as number;
    expect(await scoreOf(strongIds[0]!)).toBeGreaterThanOrEqual(THRESHOLD);
    expect(await scoreOf(weakIds[0]!)).toBeLessThan(THRESHOLD);
  });

  it('flags the disparity, excludes the category under 2 %, and its ratios equal the hand computation', async () => {
    const run = await bridgeInProcess('fairness-report', '--from', '2026-11-02', '--to', '2026-11-03', '--json');
    expect(run.exitCode, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as FairnessReport;
    expect(report).toMatchObject({ applications: 61, notScreened: 1, screened: 60, selected: 36, threshold: THRESHOLD });

    expect(rowOf(report, 'sex', 'Male')).toMatchObject({ applicants: 30, selected: 24, selectionRate: 0.8, impactRatio: 1, flagged: false });
    expect(rowOf(report, 'sex', 'Female')).toMatchObject({ applicants: 27, selected: 11, flagged: true });
    expect(rowOf(report, 'sex', 'Female').impactRatio).toBeCloseTo(0.509259, 6);
    expect(rowOf(report, 'sex', UNKNOWN)).toMatchObject({ applicants: 3, selected: 1, impactRatio: null, status: 'unknown' });

    expect(rowOf(report, 'race/ethnicity', 'White')).toMatchObject({ applicants: 36, selected: 22, impactRatio: 1 });
    expect(rowOf(report, 'race/ethnicity', 'Asian')).toMatchObject({ applicants: 20, selected: 12, flagged: false });
    expect(rowOf(report, 'race/ethnicity', 'Asian').impactRatio).toBeCloseTo(0.981818, 6);
    expect(rowOf(report, 'race/ethnicity', NHPI)).toMatchObject({ applicants: 1, selected: 1, impactRatio: null, status: 'excluded-small' });

    expect(rowOf(report, 'sex × race/ethnicity', 'Female × White')).toMatchObject({ applicants: 16, selected: 6, selectionRate: 0.375, flagged: true });
    expect(rowOf(report, 'sex × race/ethnicity', 'Female × White').impactRatio).toBeCloseTo(0.46875, 9);
    expect(rowOf(report, 'sex × race/ethnicity', 'Female × Asian').impactRatio).toBeCloseTo(0.5, 9);
    expect(report.flagged).toEqual(['sex: Female', 'sex × race/ethnicity: Female × White', 'sex × race/ethnicity: Female × Asian']);
    expect(report.method.join(' ')).toContain('four-fifths');
  });

  it('writes an HTML page to a file readable by its owner only', async () => {
    const out = join(dir, 'fairness.html');
    const run = await bridgeInProcess('fairness-report', '--from', '2026-11-02', '--to', '2026-11-03', '--html', '--out', out);
    expect(run.exitCode, run.stderr).toBe(0);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    const html = await readFile(out, 'utf8');
    expect(html).toContain('<tr class="flag"><td>Female</td>');
    expect(html).toContain('excluded (under 2 %)');
  });

  it('refuses to run (exit 2, naming the setting) while ai.fairness.readDemographics is off', async () => {
    vi.stubEnv(ENV.aiSettings, JSON.stringify({ screening: { threshold: THRESHOLD } }));
    try {
      const run = await bridgeInProcess('fairness-report', '--from', '2026-11-02', '--to', '2026-11-03');
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toContain('ai.fairness.readDemographics');
      expect(run.stdout).toBe('');
    } finally {
      vi.stubEnv(ENV.aiSettings, JSON.stringify({ screening: { threshold: THRESHOLD }, fairness: { readDemographics: true } }));
    }
  });

  it('no screening prompt and no Audit entry contains any self-identification answer, though the simulator held them all', async () => {
    const eeoc = await harness!.admin<{ application_id: number }[]>('GET', '/state?table=eeoc');
    expect(eeoc).toHaveLength(STRONG_COUNT + WEAK_COUNT);
    expect(provider.calls.length).toBeGreaterThan(0);
    const prompts = JSON.stringify(provider.calls);
    const entries = [];
    for (const id of [...strongIds, ...weakIds, NO_RESUME_APPLICATION]) entries.push(...(await audit.list(entityKey('greenhouse', 'application', id))));
    expect(entries.length).toBeGreaterThanOrEqual(STRONG_COUNT + WEAK_COUNT);
    const trail = JSON.stringify(entries);
    const answers = [...EEOC_REFERENCE.gender, ...EEOC_REFERENCE.race, ...EEOC_REFERENCE.veteran_status, ...EEOC_REFERENCE.disability_status];
    for (const answer of answers) {
      expect(prompts, answer).not.toContain(answer);
      expect(trail, answer).not.toContain(answer);
    }
    expect(`${prompts}${trail}`).not.toMatch(/\b(?:gender|race|veteran|disability|eeoc)\b/i);
  });
});
