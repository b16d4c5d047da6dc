import type { SQSClient } from '@aws-sdk/client-sqs';
import { parseEnvelope } from '#core/envelope';
import type { LocalResources } from '#local/resources';
import { greenhouseIdOf } from '#local/simulators/beamery/state';
import type { QueueId } from '#core/queues';
import { callJson } from '../../test/support/http.ts';
import { drain } from '../../test/support/queues.ts';
import { POISON_MARKERS } from './changes.ts';

/**
 * What a quiet chaos run left behind, read from the simulators' admin state and the dead-letter
 * queues: for every candidate the run created, its Beamery contacts (exactly one unless private) and
 * whether that contact carries Greenhouse's final values of every field the run changed (names, title
 * and company, the stage on the job's vacancy, phone numbers both ways); and every message on a DLQ,
 * healthy (a real entity's change) or the poison the run sent on purpose.
 */
export interface Verdict {
  readonly candidates: number;
  readonly nonPrivate: number;
  readonly exactlyOne: number;
  readonly missing: readonly number[];
  readonly duplicated: readonly number[];
  readonly privateLeaked: readonly number[];
  /** Stale fields by name, and a few examples `candidate field: Beamery value ≠ Greenhouse value`. */
  readonly stale: { readonly total: number; readonly byField: Record<string, number>; readonly examples: readonly string[] };
  /** Vacancies beyond one per job. */
  readonly duplicatedVacancies: number;
  readonly deadLetters: Record<QueueId, { readonly total: number; readonly healthy: number; readonly poison: number; readonly reasons: Record<string, number> }>;
  readonly healthyDeadLettered: number;
}

interface GhCandidate {
  id: number;
  first_name: string;
  last_name: string;
  title: string | null;
  company: string | null;
  private: boolean;
  phone_numbers: { value: string }[];
}
interface GhApplication {
  id: number;
  candidate_id: number;
  job_id: number | null;
  stage_name: string | null;
}
interface BmContact {
  id: string;
  firstName?: string;
  lastName?: string;
  experience: { role?: string; organisationName?: string; current?: boolean }[];
  phoneNumbers: { value: string }[];
  integrations?: Record<string, unknown>;
}
interface BmState {
  contacts: BmContact[];
  vacancies: { id: string; stages: { id: string; name: string }[]; integrations?: Record<string, unknown> }[];
  memberships: { contactId: string; vacancyId: string; stageId: string | null }[];
}

const phoneKey = (value: string) => value.replace(/[^\d+]/g, '');
const blank = (value: string | null | undefined) => (value ?? '').trim() || undefined;

export async function judge(
  sources: { readonly greenhouse: string; readonly beameryOrigin: string; readonly sqs: SQSClient; readonly resources: LocalResources },
  candidateIds: ReadonlySet<number>,
): Promise<Verdict> {
  const [candidates, applications, beamery] = await Promise.all([
    callJson<GhCandidate[]>(sources.greenhouse, 'GET', '/_admin/state?table=candidates'),
    callJson<GhApplication[]>(sources.greenhouse, 'GET', '/_admin/state?table=applications'),
    callJson<BmState>(sources.beameryOrigin, 'GET', '/_admin/state'),
  ]);
  const mine = candidates.filter((c) => candidateIds.has(c.id));
  const contactsOf = groupBy(beamery.contacts, (c) => greenhouseIdOf(c));
  const vacancyOf = new Map<string, BmState['vacancies'][number]>();
  const vacanciesPerJob = groupBy(beamery.vacancies, (v) => greenhouseIdOf(v));
  for (const [job, vacancies] of vacanciesPerJob) vacancyOf.set(job, vacancies[0]!);

  const missing: number[] = [];
  const duplicated: number[] = [];
  const privateLeaked: number[] = [];
  const byField: Record<string, number> = {};
  const examples: string[] = [];
  const stale = (candidate: number, field: string, beameryValue: unknown, greenhouseValue: unknown) => {
    byField[field] = (byField[field] ?? 0) + 1;
    if (examples.length < 8) examples.push(`${candidate} ${field}: Beamery ${JSON.stringify(beameryValue)} ≠ Greenhouse ${JSON.stringify(greenhouseValue)}`);
  };

  for (const candidate of mine) {
    const contacts = contactsOf.get(String(candidate.id)) ?? [];
    if (candidate.private) {
      if (contacts.length > 0) privateLeaked.push(candidate.id);
      continue;
    }
    if (contacts.length === 0) missing.push(candidate.id);
    if (contacts.length > 1) duplicated.push(candidate.id);
    const contact = contacts[0];
    if (!contact) continue;
    if (contact.firstName !== blank(candidate.first_name)) stale(candidate.id, 'first name', contact.firstName, candidate.first_name);
    if (contact.lastName !== blank(candidate.last_name)) stale(candidate.id, 'last name', contact.lastName, candidate.last_name);
    const role = contact.experience.find((e) => e.current);
    if (blank(role?.role) !== blank(candidate.title)) stale(candidate.id, 'title', role?.role, candidate.title);
    if (blank(role?.organisationName) !== blank(candidate.company)) stale(candidate.id, 'company', role?.organisationName, candidate.company);
    for (const application of applications.filter((a) => a.candidate_id === candidate.id && a.job_id !== null)) {
      const vacancy = vacancyOf.get(String(application.job_id));
      const membership = vacancy && beamery.memberships.find((m) => m.contactId === contact.id && m.vacancyId === vacancy.id);
      const stage = membership && vacancy.stages.find((s) => s.id === membership.stageId)?.name;
      if (stage !== application.stage_name) stale(candidate.id, 'stage', stage, application.stage_name);
    }
    const inGreenhouse = new Set(candidate.phone_numbers.map((p) => phoneKey(p.value)));
    const inBeamery = new Set(contact.phoneNumbers.map((p) => phoneKey(p.value)));
    const onlyInBeamery = [...inBeamery].filter((p) => !inGreenhouse.has(p));
    const onlyInGreenhouse = [...inGreenhouse].filter((p) => !inBeamery.has(p));
    if (onlyInBeamery.length > 0) stale(candidate.id, 'phones (to Greenhouse)', onlyInBeamery, [...inGreenhouse]);
    if (onlyInGreenhouse.length > 0) stale(candidate.id, 'phones (to Beamery)', [...inBeamery], onlyInGreenhouse);
  }

  const deadLetters = {} as Verdict['deadLetters'];
  let healthyDeadLettered = 0;
  for (const [id, queue] of Object.entries(sources.resources.queues) as [QueueId, LocalResources['queues'][QueueId]][]) {
    // Received and deleted: a FIFO queue hands out no second message of a group while one is held.
    const messages = await drain(sources.sqs, queue.deadLetter.url);
    let poison = 0;
    const reasons: Record<string, number> = {};
    for (const message of messages) {
      const reason = message.MessageAttributes?.['failureReason']?.StringValue ?? quarantineReason(message.Body ?? '') ?? 'no reason given';
      reasons[reason] = (reasons[reason] ?? 0) + 1;
      if (isPoison(message.Body ?? '')) poison++;
    }
    deadLetters[id] = { total: messages.length, healthy: messages.length - poison, poison, reasons };
    healthyDeadLettered += messages.length - poison;
  }

  return {
    candidates: mine.length,
    nonPrivate: mine.filter((c) => !c.private).length,
    exactlyOne: mine.filter((c) => !c.private && (contactsOf.get(String(c.id))?.length ?? 0) === 1).length,
    missing,
    duplicated,
    privateLeaked,
    stale: { total: Object.values(byField).reduce((a, b) => a + b, 0), byField, examples },
    duplicatedVacancies: [...vacanciesPerJob.values()].reduce((n, v) => n + v.length - 1, 0),
    deadLetters,
    healthyDeadLettered,
  };
}

/** A quarantined delivery whose raw body is one the run sent as poison. */
function isPoison(body: string): boolean {
  try {
    const envelope = parseEnvelope(body);
    if (envelope.kind !== 'greenhouse.quarantined') return false;
    const raw = Buffer.from(envelope.rawBodyBase64, 'base64').toString('utf8');
    return POISON_MARKERS.some((marker) => raw.includes(marker));
  } catch {
    return false;
  }
}

function quarantineReason(body: string): string | undefined {
  try {
    const envelope = parseEnvelope(body);
    return envelope.kind === 'greenhouse.quarantined' ? `quarantined: ${envelope.reason}` : undefined;
  } catch {
    return undefined;
  }
}

function groupBy<T>(items: readonly T[], key: (item: T) => string | undefined): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k !== undefined) map.set(k, [...(map.get(k) ?? []), item]);
  }
  return map;
}
