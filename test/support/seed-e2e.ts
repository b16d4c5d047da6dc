import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '#local/simulators/greenhouse/server';
import type { E2eStack } from './e2e-stack.ts';
import { callJson } from './http.ts';
import { eventually, untilQuiet } from './queues.ts';

/**
 * What the seed-rule scenarios (test/e2e/seed-*.test.ts) do to the local stack: change Greenhouse
 * through its simulator's admin API or Harvest itself, wait for the bridge to settle, and read the
 * Beamery simulator and the IdMap.
 */
export const SEED_WAIT_MS = 15_000;

export interface StoredContact {
  readonly id: string;
  readonly experience: { role?: string }[];
  readonly globalTags: { value?: string }[];
}

export interface BeameryState {
  readonly vacancies: { id: string; status?: string; integrations?: { greenhouse?: { id?: string } } }[];
  readonly memberships: { contactId: string; vacancyId: string; stageId: string | null; rejectionReason?: string }[];
  readonly notes: { contactId: string; text: string; private: boolean }[];
}

export function seedScenarios(e2e: E2eStack, options: { readonly webhookSecret: string; readonly emailDomain: string }) {
  const { stack, sqs, idMap, beameryOrigin } = e2e;
  let harvestToken: string | undefined;
  let seq = 0;

  const greenhouse = <T = unknown>(method: string, path: string, body?: unknown) => callJson<T>(stack.greenhouse, method, `/_admin${path}`, body);
  const beamery = <T = unknown>(method: string, path: string, body?: unknown) => callJson<T>(beameryOrigin, method, `/_admin${path}`, body);
  const beameryState = () => beamery<BeameryState>('GET', '/state');

  /** A Harvest v3 call: notes fire no webhook in Greenhouse. */
  async function harvest<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    if (!harvestToken) {
      // Form-encoded credentials: what both readings of the token endpoint decode for these plain ones.
      const basic = Buffer.from(`${encodeURIComponent(DEFAULT_CLIENT_ID)}:${encodeURIComponent(DEFAULT_CLIENT_SECRET)}`).toString('base64');
      const response = await fetch(`${stack.greenhouse}/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
      harvestToken = ((await response.json()) as { access_token: string }).access_token;
    }
    return callJson<T>(stack.greenhouse, method, path, body, { authorization: `Bearer ${harvestToken}` });
  }

  async function createCandidate(first: string, last: string, jobId = 802): Promise<{ candidateId: number; applicationId: number }> {
    const created = await greenhouse<{ candidate: { id: number }; application: { id: number } }>('POST', '/candidates', {
      first_name: first,
      last_name: last,
      email_addresses: [{ value: `${first}.${last}.${++seq}.${Date.now()}@${options.emailDomain}`.toLowerCase(), type: 'personal' }],
      application: { job_id: jobId },
    });
    return { candidateId: created.candidate.id, applicationId: created.application.id };
  }

  async function linked(greenhouseKey: string): Promise<string> {
    const link = await eventually(async () => {
      const found = await idMap.byGreenhouse(greenhouseKey);
      return found?.status === 'active' ? found : undefined;
    }, SEED_WAIT_MS, `an active link for ${greenhouseKey}`);
    return link.beameryKey.split('#')[2]!;
  }

  async function settled(): Promise<void> {
    await greenhouse('POST', '/webhooks/settle');
    await untilQuiet(sqs, [stack.resources.queues['greenhouse-changes'].url], 750, SEED_WAIT_MS);
  }

  /** Greenhouse changes with its webhooks off: what a missed delivery looks like to the bridge. */
  async function withWebhooksOff(change: () => Promise<unknown>): Promise<void> {
    await settled();
    await greenhouse('PUT', '/webhooks', []);
    try {
      await change();
    } finally {
      await greenhouse('PUT', '/webhooks', [{ url: stack.webhookUrl, secret: options.webhookSecret }]);
    }
  }

  /** A change Greenhouse announces, so the candidate is reconciled again (notes ride along, seed). */
  async function reconcileAgain(candidateId: number, contactId: string): Promise<void> {
    const title = `Title ${++seq}`;
    await greenhouse('PATCH', `/candidates/${candidateId}`, { title });
    await eventually(async () => ((await beamery<StoredContact>('GET', `/contacts/${contactId}`)).experience[0]?.role === title ? true : undefined), SEED_WAIT_MS, `title ${title}`);
    await settled();
  }

  const notesOf = async (contactId: string) => (await beameryState()).notes.filter((n) => n.contactId === contactId);

  return { greenhouse, beamery, beameryState, harvest, createCandidate, linked, settled, withWebhooksOff, reconcileAgain, notesOf };
}
