import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { isoNow, type Clock } from '#core/clock';
import type { CheckResult } from '#core/doctor/report';
import { mapTags } from '#core/mapping/contact';
import type { BridgeConfig } from '#lambdas/config';
import { describeError } from '#adapters/queue/message-outcome';
import { beameryClientFrom, greenhouseClientFrom } from '#wiring/api-clients';
import type { BeameryClient } from '../beamery/client.ts';
import type { GreenhouseClient } from '../greenhouse/client.ts';
import type { CustomField } from '#core/greenhouse/records';
import { collect } from '#core/async-iterables';
import { greenhouseTokenFor, type GreenhouseTenant } from './greenhouse-checks.ts';
import { statusText, type Probe } from './http-probe.ts';

/**
 * `bridge doctor --write-test`, for a sandbox tenant: one throwaway record in each system, changed
 * the way the sync changes records and read back after each write, then anonymized. Each step is one
 * line; a step that fails does not stop the others, and the record is anonymized whatever happened
 * (it carries only made-up values). Where the tenant's write semantics are open questions (custom
 * fields merged or replaced, selects by label, clearing with null) the lines say which reading the
 * tenant follows: the bridge is written to survive both, so these are `ok` with the evidence.
 */
export interface WriteCheckDependencies {
  readonly dynamodb: DynamoDBClient;
  readonly clock: Clock;
  readonly probe: Probe;
  readonly greenhouse: GreenhouseTenant;
}

/** A made-up person, recognisable in both systems as the doctor's. */
const THROWAWAY = { firstName: 'Bridge', lastName: 'Doctor' } as const;
const TAG = 'bridge doctor write test';
/** What the write test puts in a custom field of each simple type. */
const SAMPLE_VALUES: Readonly<Record<string, string | boolean | number>> = { short_text: 'bridge doctor', long_text: 'bridge doctor', yes_no: true, number: 7 };

const CLI_BUDGET_WAIT_MS = 60_000;

class StepFailed extends Error {}

function expectThat(condition: unknown, evidence: string): asserts condition {
  if (!condition) throw new StepFailed(evidence);
}

async function step(results: CheckResult[], id: string, run: () => Promise<string>): Promise<void> {
  try {
    results.push({ id, status: 'ok', evidence: await run() });
  } catch (error) {
    results.push({ id, status: 'fail', evidence: error instanceof StepFailed ? error.message : describeError(error) });
  }
}

export async function writeChecks(config: BridgeConfig, deps: WriteCheckDependencies): Promise<CheckResult[]> {
  const runId = isoNow(deps.clock).replace(/\D/g, '').slice(0, 14);
  // The tenant's shared budget is honoured, but a CLI may wait for it where a Lambda would hand back.
  const clients = { ...deps, budgetMaxWaitMs: CLI_BUDGET_WAIT_MS };
  return [
    ...(await greenhouseWrites(greenhouseClientFrom(config, clients), deps, runId)),
    ...(await beameryWrites(beameryClientFrom(config, { ...clients, ignoreDoctorFindings: true }), runId)),
  ];
}

async function greenhouseWrites(client: GreenhouseClient, deps: WriteCheckDependencies, runId: string): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  let id: number | undefined;
  await step(results, 'greenhouse.write.create-prospect', async () => {
    const created = await client.createCandidate({ first_name: THROWAWAY.firstName, last_name: `${THROWAWAY.lastName} ${runId}` });
    id = created.id;
    expectThat(await client.getCandidate(created.id), `candidate ${created.id} created but does not read back`);
    return `candidate ${created.id} created and read back`;
  });
  if (id === undefined) return results;
  const candidateId = id;
  const raw = async (json: unknown) => {
    const token = await greenhouseTokenFor(deps.greenhouse, deps.clock, deps.greenhouse.actingUserId);
    return deps.probe(new URL(`/v3/candidates/${candidateId}`, deps.greenhouse.baseUrl).toString(), { method: 'PATCH', json, headers: { authorization: `Bearer ${token}` } });
  };
  const read = async () => (await client.getCandidate(candidateId)) ?? { title: undefined, custom_fields: undefined };

  try {
    await step(results, 'greenhouse.write.title', async () => {
      await client.updateCandidate(candidateId, { title: 'Doctor check' });
      expectThat((await read()).title === 'Doctor check', 'title set but reads back otherwise');
      await client.updateCandidate(candidateId, { title: null });
      const cleared = (await read()).title;
      expectThat(!cleared, 'title cleared (sent as "") but still reads back');
      return 'set, read back, cleared (sent as ""), read back empty';
    });
    await step(results, 'greenhouse.contract.clear-title', async () => {
      await client.updateCandidate(candidateId, { title: 'Doctor check' });
      const answer = await raw({ title: null });
      if (answer.status === 422) return 'null is refused (422): only "" clears, as the bridge sends';
      expectThat(answer.status >= 200 && answer.status < 300, `PATCH {title: null} → ${statusText(answer)}`);
      return (await read()).title ? 'null is accepted but does not clear; "" does (the bridge sends "")' : 'null clears too (the bridge sends "")';
    });

    let definitions: Promise<CustomField[]> | undefined;
    const candidateFields = () => (definitions ??= collect(client.listCustomFields({ field_type: 'candidate' })).then((all) => all.filter((f) => f.active !== false)));
    const writableFields = async () => (await candidateFields()).filter((f) => f.value_type !== undefined && f.value_type !== null && f.value_type in SAMPLE_VALUES);
    await step(results, 'greenhouse.write.custom-field', async () => {
      const [field] = await writableFields();
      expectThat(field, 'no active candidate custom field of a simple type (text, yes/no, number) to write');
      const value = SAMPLE_VALUES[field.value_type!];
      await client.updateCandidate(candidateId, { custom_fields: [{ name_key: field.name_key, value }] });
      expectThat((await read()).custom_fields?.[field.name_key]?.value === value, `${field.name_key} set but reads back otherwise`);
      await client.updateCandidate(candidateId, { custom_fields: [{ name_key: field.name_key, value: null }] });
      const left = (await read()).custom_fields?.[field.name_key]?.value;
      expectThat(left === null || left === undefined || left === '', `${field.name_key} cleared (null) but still reads back a value`);
      return `${field.name_key} (${field.value_type}): set, read back, cleared with null, read back empty`;
    });
    await step(results, 'greenhouse.contract.custom-fields', async () => {
      const [a, b] = await writableFields();
      if (!a || !b) return 'fewer than two candidate custom fields of a simple type: merge or replace not tested (the bridge sends the complete set either way)';
      await client.updateCandidate(candidateId, { custom_fields: [a, b].map((f) => ({ name_key: f.name_key, value: SAMPLE_VALUES[f.value_type!] })) });
      const answer = await raw({ custom_fields: [{ name_key: a.name_key, value: SAMPLE_VALUES[a.value_type!] }] });
      expectThat(answer.status >= 200 && answer.status < 300, `PATCH with one custom field → ${statusText(answer)}`);
      const left = (await read()).custom_fields?.[b.name_key]?.value;
      return left !== null && left !== undefined
        ? 'a PATCH naming one field keeps the others (merge by key); the bridge sends the complete set either way'
        : 'a PATCH naming one field drops the others (replaces the set): the bridge sends the complete set, as it must here';
    });
    await step(results, 'greenhouse.contract.select-values', async () => {
      const select = (await candidateFields()).find((f) => f.value_type === 'single_select');
      if (!select) return 'no candidate single-select field: labels or ids not tested (the bridge writes option ids)';
      const [option] = await collect(client.listCustomFieldOptions({ custom_field_ids: [select.id] }));
      if (!option?.name) return `${select.name_key} has no option to write`;
      const answer = await raw({ custom_fields: [{ name_key: select.name_key, value: option.name }] });
      return answer.status === 422
        ? `${select.name_key}: a label is refused (422), option ids only; the bridge writes ids`
        : `${select.name_key}: a label → ${statusText(answer)}; the bridge writes option ids either way`;
    });
    await step(results, 'greenhouse.write.tag', async () => {
      await client.addTag(candidateId, TAG);
      const tag = await client.findTag(TAG);
      expectThat(tag, 'tag added but the tag does not list');
      const on = await collect(client.listAppliedCandidateTags({ candidate_ids: [candidateId], candidate_tag_ids: [tag.id] }));
      expectThat(on.length === 1, `tag added but ${on.length} applied rows read back`);
      await client.removeTag(candidateId, TAG);
      const off = await collect(client.listAppliedCandidateTags({ candidate_ids: [candidateId], candidate_tag_ids: [tag.id] }));
      expectThat(off.length === 0, 'tag removed but still applied');
      return 'added, read back, removed, read back gone';
    });
    await step(results, 'greenhouse.write.note', async () => {
      const note = await client.createNote({ candidate_id: candidateId, body: `bridge doctor write test ${runId}`, visibility: 'admin_only' });
      const notes = await collect(client.listNotes({ candidate_ids: [candidateId] }));
      expectThat(notes.some((n) => n.id === note.id), `note ${note.id} created but does not list`);
      return `note ${note.id} created and listed`;
    });
  } finally {
    await step(results, 'greenhouse.write.anonymize', async () => {
      await client.anonymizeCandidate(candidateId, ['full_name', 'current_company', 'current_title', 'tags', 'notes']);
      const after = await client.getCandidate(candidateId);
      expectThat(!after || !after.last_name?.startsWith(THROWAWAY.lastName), 'anonymized but the name still reads back');
      return `candidate ${candidateId} anonymized and read back without its name`;
    });
  }
  return results;
}

async function beameryWrites(client: BeameryClient, runId: string): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  let id: string | undefined;
  await step(results, 'beamery.write.create-contact', async () => {
    const created = await client.createContact({
      firstName: THROWAWAY.firstName,
      lastName: `${THROWAWAY.lastName} ${runId}`,
      primaryEmail: `bridge-doctor-${runId}@example.invalid`,
    });
    id = created.id;
    expectThat(await client.getContact(created.id), `contact ${created.id} created but does not read back`);
    return `contact ${created.id} created and read back`;
  });
  if (id === undefined) return results;
  const contactId = id;
  const read = async () => {
    const contact = await client.getContact(contactId);
    expectThat(contact, `contact ${contactId} no longer reads back`);
    return contact;
  };
  try {
    await step(results, 'beamery.write.role', async () => {
      await client.updateContact(contactId, { currentRole: { title: 'Doctor check', company: 'Bridge' } });
      const role = (await read()).currentRole;
      expectThat(role?.title === 'Doctor check' && role.company === 'Bridge', 'current role (title, company) set but reads back otherwise');
      // Never cleared by the bridge: a Beamery role is experience, history worth keeping.
      return 'current role (title and company) set and read back';
    });
    await step(results, 'beamery.write.tag', async () => {
      const tags = mapTags([TAG]);
      await client.updateContact(contactId, { tags });
      expectThat((await read()).tags.some((t) => t.id === tags[0]!.id), 'tag (with the id the bridge derives) set but does not read back');
      await client.updateContact(contactId, { tags: [] });
      expectThat(!(await read()).tags.some((t) => t.id === tags[0]!.id), 'tag removed but still reads back');
      return 'a tag with a bridge-derived id: added, read back, removed, read back gone';
    });
    await step(results, 'beamery.write.greenhouse-id', async () => {
      const value = `doctor-${runId}`;
      await client.updateContact(contactId, { greenhouseCandidateId: value });
      expectThat((await read()).greenhouseCandidateId === value, 'the Greenhouse id was written but does not read back at the configured location');
      return 'written and read back at the configured location';
    });
    await step(results, 'beamery.write.note', async () => {
      const note = await client.createNote(contactId, { text: `bridge doctor write test ${runId}`, isPrivate: true });
      if (note === 'unsupported') return 'notes are not supported by this tenant (capability notes): nothing to check';
      const notes = await client.listNotesSince(contactId);
      expectThat(notes === 'unsupported' || notes.some((n) => n.id === note.id), `note ${note.id} created but does not list`);
      return `note ${note.id} created${notes === 'unsupported' ? '' : ' and listed'}`;
    });
  } finally {
    await step(results, 'beamery.write.anonymize', async () => {
      const done = await client.anonymizeContact(contactId);
      expectThat(done !== 'unsupported', 'the tenant does not support anonymize (capability anonymize): the throwaway contact is left; delete it by hand');
      const after = await client.getContact(contactId);
      expectThat(!after || after.anonymized, 'anonymized but still reads back with its name');
      return `contact ${contactId} anonymized and read back stripped`;
    });
  }
  return results;
}
