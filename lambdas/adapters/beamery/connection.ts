/**
 * Where and how the adapter reaches a Beamery tenant: its region's base URL, the credentials the
 * secret may hold, and the verdict shape of the doctor's read-only probes. Adapter matters only: the
 * sync sees Beamery through lambdas/core/ports/beamery-api.ts and lambdas/core/beamery/records.ts.
 */

export type BeameryRegion = 'us' | 'us-sandbox' | 'eu';

/** HIGH (S1; S3 lists the same three). Which one a tenant is on is confirmed with its Beamery CSM. */
export const BEAMERY_BASE_URLS: Readonly<Record<BeameryRegion, string>> = {
  us: 'https://frontier.beamery.com/v1',
  'us-sandbox': 'https://frontier.sandbox.beamery.com/v1',
  eu: 'https://frontier.beamery.eu/v1',
};

export interface BeameryCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** The API user's login for `GET /v1/auth` (auth variant `basic`). */
export interface BeameryBasicCredentials {
  readonly username: string;
  readonly password: string;
}

/** One read-only check's verdict for `bridge doctor`: `unknown` when the tenant gave no evidence either way. */
export interface DoctorProbe {
  readonly status: 'ok' | 'fail' | 'unknown';
  /** Method, path, status code, field locations and counts; never a credential, token or contact value. */
  readonly evidence: string;
}

/** What the credentials secret may hold: `basic` takes either shape (clientId as the username), `oauth` only the first. */
export type BeameryApiCredentials = BeameryCredentials | BeameryBasicCredentials;
