import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { entityKey, type BeameryChangeEnvelope } from '#core/envelope';
import { BEAMERY_POLL_WATERMARK, beameryWindow, hasPushTag, pollDecision } from '#core/sync/beamery-poll';
import type { OutgoingMessage } from '#core/webhooks/delivery';
import { InMemoryIdMap, InMemoryLedger } from '#adapters/store/in-memory';
import type { QueuePublisher } from '#core/ports/queue-publisher';
import type { BeamerySimulator } from '#local/simulators/beamery/server';
import { runBeameryPoll, type BeameryPollDependencies } from '#core/sync/poll-beamery';
import { clientFor, startSimulator } from '../beamery/harness.ts';

describe('beameryWindow', () => {
  const now = Date.parse('2026-11-23T12:00:00.500Z');
  it('looks back ten minutes on a first run, to now', () => {
    expect(beameryWindow(undefined, now)).toEqual({ from: '2026-11-23T11:50:00.500Z', to: '2026-11-23T12:00:00.500Z' });
  });
  it('starts two minutes before the watermark, and lists again right after a run (no alignment)', () => {
    expect(beameryWindow('2026-11-23T11:55:00.000Z', now)).toEqual({ from: '2026-11-23T11:53:00.000Z', to: '2026-11-23T12:00:00.500Z' });
    expect(beameryWindow('2026-11-23T12:00:00.400Z', now).from).toBe('2026-11-23T11:58:00.400Z');
  });
  it('never starts after now, even with a watermark from a clock ahead', () => {
    expect(beameryWindow('2026-11-23T13:00:00.000Z', now).from).toBe('2026-11-23T11:58:00.500Z');
  });
});

describe('pollDecision', () => {
  const contact = (labels: string[], greenhouseCandidateId?: string) => ({
    tags: labels.map((label, i) => ({ id: `t${i}`, label })),
    ...(greenhouseCandidateId ? { greenhouseCandidateId } : {}),
  });

  it('enqueues linked contacts, contacts carrying a Greenhouse id, and contacts with the push tag; nothing else', () => {
    expect(pollDecision(contact([]), true, 'Add to Greenhouse')).toEqual({ enqueue: true, pushRequested: false });
    expect(pollDecision(contact([], '42'), false, 'Add to Greenhouse')).toEqual({ enqueue: true, pushRequested: false });
    expect(pollDecision(contact([' add to GREENHOUSE ']), false, 'Add to Greenhouse')).toEqual({ enqueue: true, pushRequested: true });
    expect(pollDecision(contact(['Sourced', 'Add to Greenhouse later']), false, 'Add to Greenhouse')).toEqual({ enqueue: false });
  });

  it('never treats a tag as a push request when no push tag is configured', () => {
    expect(hasPushTag(contact(['Add to Greenhouse']), undefined)).toBe(false);
    expect(hasPushTag(contact(['Add to Greenhouse']), '  ')).toBe(false);
    expect(pollDecision(contact(['Add to Greenhouse']), false, undefined)).toEqual({ enqueue: false });
  });
});

/** The Beamery simulator as the source, in-memory stores, and a publisher that records what it is given. */
describe('runBeameryPoll against the Beamery simulator', () => {
  let sim: BeamerySimulator;
  let idMap: InMemoryIdMap;
  let ledger: InMemoryLedger;
  let sent: OutgoingMessage[];
  let deps: BeameryPollDependencies & Pick<Parameters<typeof runBeameryPoll>[0], 'ledger' | 'clock'>;

  const admin = async <T>(method: 'POST' | 'PATCH', url: string, payload: unknown): Promise<T> => {
    const response = await sim.app.inject({ method, url: `/_admin${url}`, payload: payload as object });
    expect(response.statusCode, response.body).toBeLessThan(300);
    return response.json() as T;
  };
  const createContact = (body: Record<string, unknown>) => admin<{ id: string }>('POST', '/contacts', body);

  beforeEach(async () => {
    sim = await startSimulator();
    idMap = new InMemoryIdMap();
    ledger = new InMemoryLedger();
    sent = [];
    const publisher: QueuePublisher = { publish: async (messages) => void sent.push(...messages) };
    deps = { beamery: clientFor(sim), idMap, ledger, publisher, clock: sim.clock, pushTag: 'Add to Greenhouse' };
  });
  afterEach(async () => {
    await sim?.close();
  });

  it('enqueues linked and push-tagged contacts, ignores the rest, and moves the watermark only after', async () => {
    const linked = await createContact({ firstName: 'Ada', lastName: 'Linked', primaryEmail: 'ada@example.test' });
    const carriesId = await createContact({ firstName: 'Bo', lastName: 'Native', primaryEmail: 'bo@example.test', integrations: { greenhouse: { id: '777' } } });
    const tagged = await createContact({ firstName: 'Cy', lastName: 'Tagged', primaryEmail: 'cy@example.test', globalTags: [{ id: 'g1', value: 'Add to Greenhouse' }] });
    const plain = await createContact({ firstName: 'Di', lastName: 'Sourced', primaryEmail: 'di@example.test' });
    await idMap.put({ greenhouseKey: entityKey('greenhouse', 'candidate', 901), beameryKey: entityKey('beamery', 'contact', linked.id), status: 'active', updatedAt: new Date(0).toISOString() });

    const summary = await runBeameryPoll(deps);
    const envelopes = sent.map((m) => m.envelope as BeameryChangeEnvelope);
    const byContact = new Map(envelopes.map((e) => [e.entityKey, e]));
    expect([...byContact.keys()].sort()).toEqual([linked.id, carriesId.id, tagged.id].map((id) => entityKey('beamery', 'contact', id)).sort());
    expect(byContact.has(entityKey('beamery', 'contact', plain.id))).toBe(false);
    expect(byContact.get(entityKey('beamery', 'contact', tagged.id))).toMatchObject({ kind: 'beamery.change', origin: 'poll', pushRequested: true });
    expect(byContact.get(entityKey('beamery', 'contact', linked.id))).toMatchObject({ pushRequested: false });
    for (const message of sent) {
      expect(message.queue).toBe('beamery-changes');
      expect(message.groupId).toBe(message.envelope.entityKey);
    }
    expect(summary).toMatchObject({ poller: 'beamery', listed: 4, queued: 3, pushRequests: 1 });
    expect(await ledger.getWatermark(BEAMERY_POLL_WATERMARK)).toBe(summary.watermark);
  });

  it('finds a contact again in the overlap with the same deduplication id, and with a new one once it changes', async () => {
    const contact = await createContact({ firstName: 'Ed', lastName: 'Edited', primaryEmail: 'ed@example.test', integrations: { greenhouse: { id: '778' } } });
    await runBeameryPoll(deps);
    const first = sent.map((m) => m.deduplicationId);
    expect(first).toHaveLength(1);

    // A minute later, within the two-minute overlap: the same version is listed again.
    await admin('POST', '/clock/advance', { seconds: 60 });
    sent = [];
    await runBeameryPoll(deps);
    expect(sent.map((m) => m.deduplicationId)).toEqual(first);

    await admin('POST', '/clock/advance', { seconds: 60 });
    await admin('PATCH', `/contacts/${contact.id}`, { lastName: 'Edited-Again' });
    sent = [];
    await runBeameryPoll(deps);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.deduplicationId).not.toBe(first[0]);
    // Observed no earlier than the contact's version, so a reconcile that read it before the edit does not cover it.
    const edited = await clientFor(sim).getContact(contact.id);
    expect(Date.parse(sent[0]!.envelope.observedAt)).toBeGreaterThanOrEqual(Date.parse(edited!.updatedAt!));
  });

  it('keeps the watermark when publishing fails, so the next run lists the same time again', async () => {
    await createContact({ firstName: 'Fa', lastName: 'Failed', primaryEmail: 'fa@example.test', integrations: { greenhouse: { id: '779' } } });
    const failing: QueuePublisher = { publish: async () => Promise.reject(new Error('SQS unavailable')) };
    await expect(runBeameryPoll({ ...deps, publisher: failing })).rejects.toThrow(/SQS unavailable/);
    expect(await ledger.getWatermark(BEAMERY_POLL_WATERMARK)).toBeUndefined();
    await runBeameryPoll(deps);
    expect(sent).toHaveLength(1);
  });
});
