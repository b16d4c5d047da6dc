import { signGreenhouseBody } from '#core/webhooks/signature';
import { seededRandom } from '#local/simulators/shared/random';
import { callJson } from '../../test/support/http.ts';
import type { Dispatcher } from './webhook-relay.ts';

/**
 * The changes a chaos run makes, as people would in the two tools: recruiters creating candidates
 * (some private) on a handful of jobs, editing their names, titles and companies, moving them through
 * the job's stages in Greenhouse; and, for a share of changes, adding a phone number to a synced
 * contact in Beamery and pushing it to Greenhouse (POST /beamery/push, the Beamery side's only
 * event). A few signed but malformed deliveries go in too: the poison the dead-letter queue is for.
 */
export interface ChangeMix {
  /** Share of changes that create a candidate (the rest edit one). */
  readonly create: number;
  /** Share of created candidates that are private (never to reach Beamery). */
  readonly private: number;
  /** Share of edits made in Beamery and pushed (the rest are made in Greenhouse). */
  readonly beamery: number;
  /** Signed malformed deliveries per change (one every 1/poison changes, the first included). */
  readonly poison: number;
}

export const DEFAULT_MIX: ChangeMix = { create: 0.2, private: 0.05, beamery: 0.1, poison: 0.005 };

export interface ChangeTargets {
  readonly greenhouse: string;
  readonly beameryOrigin: string;
  readonly pushUrl: () => string;
  readonly pushApiKey: string;
  readonly webhookUrl: () => string;
  readonly webhookSecret: string;
  readonly dispatcher: Dispatcher;
}

export interface ChangeCounts {
  readonly byKind: Record<string, number>;
  /** Changes made in Greenhouse / in Beamery (pushed). */
  greenhouse: number;
  beamery: number;
  poison: number;
}

/** What the run created, for the verdict. */
export interface Created {
  readonly candidates: Map<number, { readonly applicationId: number; readonly private: boolean }>;
}

interface MadeCandidate {
  readonly id: number;
  readonly applicationId: number;
  readonly private: boolean;
}

/** What every poison body contains, so the verdict tells it from a healthy message on a DLQ. */
export const POISON_MARKERS = ['"chaos_poison"', 'chaos_unknown_action'] as const;

const STAGES = ['Application Review', 'Phone Screen', 'Technical Interview', 'Onsite', 'Offer'];

/** Jobs the candidates apply to, created before webhooks flow (each candidate's sync creates its vacancy). */
export async function createJobs(greenhouse: string, count: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const job = await callJson<{ id: number }>(greenhouse, 'POST', '/_admin/jobs', { name: `Chaos Job ${i + 1}`, stages: STAGES });
    ids.push(job.id);
  }
  return ids;
}

export class ChangeMaker {
  readonly counts: ChangeCounts = { byKind: {}, greenhouse: 0, beamery: 0, poison: 0 };
  readonly created: Created = { candidates: new Map() };
  private readonly random: () => number;
  private readonly pool: MadeCandidate[] = [];
  private contactIds: string[] = [];
  private contactsReadAt = 0;
  private phoneSerial = 0;

  constructor(
    private readonly targets: ChangeTargets,
    private readonly jobIds: readonly number[],
    private readonly mix: ChangeMix,
    seed: number,
  ) {
    this.random = seededRandom(seed);
  }

  /** Makes change number `i` (0-based). */
  async make(i: number): Promise<void> {
    if (this.mix.poison > 0 && i % Math.round(1 / this.mix.poison) === 0) this.poison(i);
    if (this.pool.length < 5 || this.random() < this.mix.create) return this.create(i);
    if (this.random() < this.mix.beamery && (await this.editInBeamery())) return;
    const candidate = this.pool[Math.floor(this.random() * this.pool.length)]!;
    const roll = this.random();
    if (roll < 0.3 && (await this.moveStage(candidate))) return;
    if (roll < 0.55) return this.count('name', callJson(this.targets.greenhouse, 'PATCH', `/_admin/candidates/${candidate.id}`, { last_name: `Chaos-${i}` }));
    const edit = this.random() < 0.5 ? { title: `Title ${i}` } : { title: `Title ${i}`, company: `Company ${i % 97}` };
    return this.count('role', callJson(this.targets.greenhouse, 'PATCH', `/_admin/candidates/${candidate.id}`, edit));
  }

  private async create(i: number): Promise<void> {
    const isPrivate = this.random() < this.mix.private;
    const job = this.jobIds[Math.floor(this.random() * this.jobIds.length)]!;
    const { candidate, application } = await callJson<{ candidate: { id: number }; application: { id: number } }>(
      this.targets.greenhouse,
      'POST',
      '/_admin/candidates',
      {
        first_name: `Person${i}`,
        last_name: 'Chaos',
        title: 'Engineer',
        is_private: isPrivate,
        email_addresses: [{ value: `person${i}@chaos.example.test`, type: 'personal' }],
        phone_numbers: [{ value: `+1555${String(i).padStart(7, '0')}`, type: 'mobile' }],
        application: { job_id: job },
      },
    );
    const created = { id: candidate.id, applicationId: application.id, private: isPrivate };
    this.pool.push(created);
    this.created.candidates.set(candidate.id, created);
    this.tally(isPrivate ? 'create private' : 'create');
  }

  private async moveStage(candidate: MadeCandidate): Promise<boolean> {
    try {
      await callJson(this.targets.greenhouse, 'POST', `/_admin/applications/${candidate.applicationId}/move`, {});
    } catch (error) {
      // At the last stage already: the caller makes another kind of edit.
      if (/: 422 /.test(String(error))) return false;
      throw error;
    }
    this.tally('stage');
    return true;
  }

  /** Adds a phone number to a synced candidate's contact in Beamery and pushes it; false while none is synced yet. */
  private async editInBeamery(): Promise<boolean> {
    const contactIds = await this.syncedContacts();
    if (contactIds.length === 0) return false;
    const contactId = contactIds[Math.floor(this.random() * contactIds.length)]!;
    const contact = await callJson<{ phoneNumbers: { value: string }[] }>(this.targets.beameryOrigin, 'GET', `/_admin/contacts/${contactId}`);
    const phone = `+1666${String(++this.phoneSerial).padStart(7, '0')}`;
    await callJson(this.targets.beameryOrigin, 'PATCH', `/_admin/contacts/${contactId}`, { phoneNumbers: [...contact.phoneNumbers.map((p) => p.value), phone] });
    this.targets.dispatcher.enqueue(
      {
        url: this.targets.pushUrl,
        kind: 'push',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.targets.pushApiKey}` },
        body: Buffer.from(JSON.stringify({ contactIds: [contactId] })),
      },
      0,
    );
    this.counts.beamery++;
    this.counts.byKind['beamery phone'] = (this.counts.byKind['beamery phone'] ?? 0) + 1;
    return true;
  }

  /** Contacts linked to a candidate of this run, as Beamery's admin state said at most three seconds ago. */
  private async syncedContacts(): Promise<string[]> {
    if (Date.now() - this.contactsReadAt > 3_000) {
      const state = await callJson<{ contacts: { id: string; integrations?: { greenhouse?: { id?: string } } }[] }>(this.targets.beameryOrigin, 'GET', '/_admin/state');
      this.contactIds = state.contacts.flatMap((c) => (this.created.candidates.has(Number(c.integrations?.greenhouse?.id)) ? [c.id] : []));
      this.contactsReadAt = Date.now();
    }
    return this.contactIds;
  }

  /** Signed, so they pass the signature check, and malformed: kept on the DLQ, never retried. */
  private poison(i: number): void {
    const body = Buffer.from(this.counts.poison % 2 === 0 ? `{"action":"update_candidate","chaos_poison":${i},"payload":{"candidate":` : JSON.stringify({ action: 'chaos_unknown_action', payload: { n: i } }));
    this.targets.dispatcher.enqueue({
      url: this.targets.webhookUrl,
      kind: 'poison',
      headers: { 'content-type': 'application/json', signature: signGreenhouseBody(body, this.targets.webhookSecret), 'greenhouse-event-id': `chaos-poison-${i}` },
      body,
    });
    this.counts.poison++;
  }

  private async count(kind: string, change: Promise<unknown>): Promise<void> {
    await change;
    this.tally(kind);
  }

  private tally(kind: string): void {
    this.counts.greenhouse++;
    this.counts.byKind[kind] = (this.counts.byKind[kind] ?? 0) + 1;
  }
}
