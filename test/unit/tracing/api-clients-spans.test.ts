import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BeameryClient, clearBeameryTokenCache } from '#adapters/beamery/client';
import { GreenhouseClient } from '#adapters/greenhouse/client';
import { clearGreenhouseTokenCache } from '#adapters/greenhouse/token-cache';
import { DEFAULT_BEAMERY_SCENARIO_PATH } from '#local/simulators/beamery/paths';
import { readScenarioFile } from '#local/simulators/beamery/scenario';
import { startBeamerySimulator, type BeamerySimulator } from '#local/simulators/beamery/server';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_SCENARIO_PATH, startGreenhouseSimulator, type GreenhouseSimulator } from '#local/simulators/greenhouse/server';
import { annotationValues, recordingSpans } from './recording-spans.ts';

const BEAMERY_CREDENTIALS = { clientId: 'test-client', clientSecret: 'test-secret' } as const;

/**
 * The Greenhouse and Beamery clients hand their TraceSpans to every ApiClient they make, the token
 * endpoints' included: each call to either API is a span, whichever path made it. Against the
 * simulators, in this process.
 */
describe('the API clients, traced', () => {
  let greenhouseSim: GreenhouseSimulator;
  let beamerySim: BeamerySimulator;

  beforeAll(async () => {
    clearGreenhouseTokenCache();
    clearBeameryTokenCache();
    [greenhouseSim, beamerySim] = await Promise.all([
      startGreenhouseSimulator({ scenario: DEFAULT_SCENARIO_PATH, rateLimit: { limit: 10_000, tokenLimit: 1_000 } }),
      readScenarioFile(DEFAULT_BEAMERY_SCENARIO_PATH).then((scenario) => startBeamerySimulator({ scenario, settings: { credentials: BEAMERY_CREDENTIALS } })),
    ]);
  });
  afterAll(async () => {
    await Promise.all([greenhouseSim?.close(), beamerySim?.close()]);
  });

  it('Greenhouse: the read and the token mint it needed, each its own Greenhouse span without the candidate id', async () => {
    const { port, spans } = recordingSpans();
    const greenhouse = new GreenhouseClient({
      baseUrl: greenhouseSim.url,
      tokenUrl: `${greenhouseSim.url}/token`,
      credentials: async () => ({ clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET }),
      spans: port,
    });
    const candidate = await greenhouse.getCandidate(901);

    expect(candidate?.first_name).toBe('Lena');
    // In the order they were opened: the read first, the mint inside it (its Authorization header).
    expect(spans).toEqual([
      { name: 'Greenhouse', annotations: { operation: 'GET /v3/candidates', status: 200, attempts: 1 } },
      { name: 'Greenhouse', annotations: { operation: 'POST /token', status: 200, attempts: 1 } },
    ]);
    for (const value of annotationValues(spans)) expect(value).not.toMatch(/901|lena|marsh/i);
  });

  it('Beamery: the token mint and an email lookup, each its own Beamery span without the email', async () => {
    const { port, spans } = recordingSpans();
    const beamery = new BeameryClient({ baseUrl: beamerySim.url, credentials: async () => BEAMERY_CREDENTIALS, spans: port });
    const contacts = await beamery.findContactsByEmail('avery.example@example.com');

    expect(contacts.map((contact) => contact.firstName)).toEqual(['Avery']);
    expect(spans.map((span) => span.annotations['operation'])).toEqual(expect.arrayContaining(['POST /v1/oauth/token', 'GET /v1/contacts']));
    expect(spans).toHaveLength(2);
    for (const span of spans) expect(span).toEqual({ name: 'Beamery', annotations: { operation: expect.any(String), status: 200, attempts: 1 } });
    for (const value of annotationValues(spans)) expect(value).not.toMatch(/avery|@|example/i);
  });
});
