import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/**
 * The official examples the project is tested against, copied byte for byte into the repository
 * (fixtures/, with each source's README), so a plain clone runs every test.
 */
export const FIXTURES_DIR = fileURLToPath(new URL('../../fixtures/', import.meta.url));
export const GREENHOUSE_FIXTURES_DIR = join(FIXTURES_DIR, 'greenhouse');

export interface WebhookFixture {
  readonly file: string;
  readonly action: string;
  /** The file's exact bytes, as Greenhouse would send them. */
  readonly raw: Buffer;
  readonly json: { action: string; payload: unknown };
}

export function greenhouseWebhookFixtures(): WebhookFixture[] {
  return readdirSync(GREENHOUSE_FIXTURES_DIR)
    .filter((f) => /^webhook-.*\.json$/.test(f) && f !== 'webhook-signature-test-vector.json')
    .sort()
    .map((file) => {
      const raw = readFileSync(join(GREENHOUSE_FIXTURES_DIR, file));
      const json = JSON.parse(raw.toString('utf8')) as WebhookFixture['json'];
      return { file, action: json.action, raw, json };
    });
}

export interface SignatureVector {
  readonly secret_key: string;
  readonly raw_body: string;
  readonly expected_hex_digest: string;
  readonly expected_signature_header_value: string;
}

export function signatureTestVector(): SignatureVector {
  return JSON.parse(
    readFileSync(join(GREENHOUSE_FIXTURES_DIR, 'webhook-signature-test-vector.json'), 'utf8'),
  ) as SignatureVector;
}
