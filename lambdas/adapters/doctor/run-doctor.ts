import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { systemClock } from '#adapters/system-clock';
import { isoNow, type Clock } from '#core/clock';
import type { CheckResult, DoctorReport } from '#core/doctor/report';
import type { BridgeConfig } from '#lambdas/config';
import { describeError } from '#adapters/queue/message-outcome';
import { beameryCredentialsFrom, greenhouseCredentialsFrom } from '#wiring/api-clients';
import { BEAMERY_BASE_URLS } from '#adapters/beamery/connection';
import { beameryChecks, type BeameryTenant } from './beamery-checks.ts';
import { beameryAuthentication, beameryFieldLocations } from './beamery-config-checks.ts';
import { DynamoDbDoctorReports } from './doctor-store.ts';
import { greenhouseChecks, type ExpectedField, type GreenhouseTenant } from './greenhouse-checks.ts';
import { httpProbe } from './http-probe.ts';
import { writeChecks } from './write-checks.ts';

/**
 * `bridge doctor`: the checks against the configured tenants, with the same configuration the Lambdas
 * read (lambdas/config.ts), and the report stored in the Ledger for the consumers (doctor-store.ts).
 */
export interface DoctorDependencies {
  /** Where the report is stored; none = not stored (a dry look without the stack's table). */
  readonly dynamodb?: DynamoDBClient;
  readonly fetch?: typeof fetch;
  readonly clock?: Clock;
}

export interface DoctorOptions {
  /** Also create, change and anonymize a throwaway record in each system (sandboxes only). */
  readonly writeTest: boolean;
}

export async function runDoctor(config: BridgeConfig, deps: DoctorDependencies, options: DoctorOptions): Promise<DoctorReport> {
  const clock = deps.clock ?? systemClock;
  const probe = httpProbe(deps.fetch);
  const ranAt = isoNow(clock);
  const greenhouse = greenhouseTenantFrom(config);
  const beamery = beameryTenantFrom(config, deps.fetch);
  const checks: CheckResult[] = [
    ...(await guarded('greenhouse.checks', () => greenhouseChecks(greenhouse, probe, clock))),
    ...(await guarded('beamery.checks', () => beameryChecks(beamery, probe))),
  ];
  if (options.writeTest) {
    const { dynamodb } = deps;
    if (!dynamodb) throw new Error('--write-test writes through the bridge\'s own clients, which share the rate budget in the Ledger table: configure it');
    checks.push(...(await guarded('write-test', () => writeChecks(config, { dynamodb, clock, probe, greenhouse }))));
  }
  const report: DoctorReport = { ranAt, writeTest: options.writeTest, targets: { greenhouse: greenhouse.baseUrl, beamery: beamery.baseUrl }, checks };
  const table = config.tableNames['ledger'];
  if (deps.dynamodb && table) await new DynamoDbDoctorReports(deps.dynamodb, table, config.tenant).save(report);
  return report;
}

/** A group of checks that broke off on an error of its own still leaves a line saying so; the others run. */
async function guarded(id: string, run: () => Promise<CheckResult[]>): Promise<CheckResult[]> {
  try {
    return await run();
  } catch (error) {
    return [{ id, status: 'unknown', evidence: `stopped early: ${describeError(error)}` }];
  }
}

export function greenhouseTenantFrom(config: BridgeConfig): GreenhouseTenant {
  return {
    baseUrl: config.greenhouse.apiBaseUrl,
    tokenUrl: config.greenhouse.tokenUrl,
    credentials: greenhouseCredentialsFrom(config),
    actingUserId: config.greenhouse.actingUserId,
    fields: expectedFields(config),
  };
}

/** The Greenhouse custom fields the configuration writes, with the value types each value fits. */
export function expectedFields(config: BridgeConfig): ExpectedField[] {
  const fields: ExpectedField[] = [];
  const { status, lastConsentDate } = config.beameryToGreenhouse.consentKeys;
  if (status) fields.push({ nameKey: status, fieldType: 'candidate', valueTypes: ['yes_no', 'single_select', 'short_text'], purpose: 'Beamery consent status' });
  if (lastConsentDate) fields.push({ nameKey: lastConsentDate, fieldType: 'candidate', valueTypes: ['date', 'short_text'], purpose: 'Beamery consent date' });
  const screening = config.ai.screening;
  if (screening.enabled && screening.mode === 'assist') {
    fields.push({ nameKey: screening.scoreField, fieldType: 'application', valueTypes: ['number', 'short_text'], purpose: 'AI screening score' });
  }
  return fields;
}

function beameryTenantFrom(config: BridgeConfig, fetchImpl: typeof fetch | undefined): BeameryTenant & { readonly baseUrl: string } {
  const baseUrl = config.beamery.baseUrl ?? (config.beamery.region ? BEAMERY_BASE_URLS[config.beamery.region] : undefined);
  if (!baseUrl) throw new Error('configuration: no Beamery base URL or region');
  const credentials = beameryCredentialsFrom(config);
  return {
    baseUrl,
    authenticate: () => beameryAuthentication(config, baseUrl, credentials, fetchImpl),
    fieldLocations: (contacts) => beameryFieldLocations(config, contacts),
  };
}
