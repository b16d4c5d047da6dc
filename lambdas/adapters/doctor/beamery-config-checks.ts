import type { CheckResult } from '#core/doctor/report';
import type { BridgeConfig } from '#lambdas/config';
import { BEAMERY_AUTH_VARIANTS, tryBeameryAuth } from '../beamery/auth.ts';
import { consentLocationCheck, greenhouseIdLocationCheck } from '../beamery/probes.ts';
import type { BeameryApiCredentials } from '#adapters/beamery/connection';

/**
 * The Beamery checks that compare the configuration with the tenant: which login it serves (item 9)
 * and where its contacts keep the Greenhouse id and consent (item 10).
 */

/**
 * `beamery.auth`: the configured variant first; when it fails, the other one is tried so the line
 * can say which setting would work, and its token serves the checks that follow.
 */
export async function beameryAuthentication(
  config: BridgeConfig,
  baseUrl: string,
  credentials: () => Promise<BeameryApiCredentials>,
  fetchImpl: typeof fetch = globalThis.fetch,
): Promise<{ check: CheckResult; authorization?: string }> {
  const id = 'beamery.auth';
  let read: BeameryApiCredentials;
  try {
    read = await credentials();
  } catch (error) {
    return { check: { id, status: 'fail', evidence: `credentials unreadable: ${(error as Error).message}`, capabilities: ['beamery.auth'] } };
  }
  const configured = config.beamery.auth;
  const attempt = await tryBeameryAuth(configured, baseUrl, read, fetchImpl);
  if (attempt.status === 'ok') return { check: { id, status: 'ok', evidence: `configured ${attempt.evidence}` }, ...(attempt.authorization ? { authorization: attempt.authorization } : {}) };
  const other = BEAMERY_AUTH_VARIANTS.find((v) => v !== configured)!;
  const alternative = await tryBeameryAuth(other, baseUrl, read, fetchImpl);
  const check: CheckResult = {
    id,
    status: attempt.status,
    evidence: `configured ${attempt.evidence}${alternative.status === 'ok' ? `; ${alternative.evidence.split(' (')[0]}: set BEAMERY_AUTH=${other}` : `; ${alternative.evidence}`}`,
    ...(attempt.status === 'fail' ? { capabilities: ['beamery.auth'] } : {}),
  };
  // The other checks still run with the login that works, so one run shows everything to fix.
  return alternative.authorization ? { check, authorization: alternative.authorization } : { check };
}

/** `beamery.greenhouse-id-field` and `beamery.consent-fields`, judged on the raw contacts the listing check read. */
export async function beameryFieldLocations(config: BridgeConfig, contacts: readonly Record<string, unknown>[]): Promise<CheckResult[]> {
  const { greenhouseIdField, consentStatusField, consentDateField } = config.beamery;
  return [
    { id: 'beamery.greenhouse-id-field', ...greenhouseIdLocationCheck(contacts, greenhouseIdField) },
    { id: 'beamery.consent-fields', ...consentLocationCheck(contacts, { status: consentStatusField, date: consentDateField }) },
  ];
}
