import type { ContactWrite, VacancyWrite } from '#core/beamery/records';
import type { GreenhouseIdField } from './greenhouse-id.ts';
import { uniqueStrings } from './values.ts';
import { DEFAULT_PROFILE_TAGS_FIELD } from './contact.ts';

/**
 * Our writes → Beamery request bodies, in the shape real client code sends (S4, MED): identity lists
 * as plain strings, the current position as one `experience` entry with `current: true` (S4 notes
 * that writing `primaryExperience` "is not working"), tags as `globalTags [{id, value}]`, custom
 * fields as `[{id, value}]` and never empty (S4: sending them can blank existing values).
 */

type Body = Record<string, unknown>;

function put(body: Body, key: string, value: unknown): void {
  if (value !== undefined) body[key] = value;
}

export function contactBody(
  write: ContactWrite,
  greenhouseField: GreenhouseIdField,
  currentCustomFields?: readonly { id: string; value: unknown }[],
  profileTagsField: string = DEFAULT_PROFILE_TAGS_FIELD,
): Body {
  const body: Body = {};
  put(body, 'firstName', write.firstName);
  put(body, 'lastName', write.lastName);
  put(body, 'primaryEmail', write.primaryEmail);
  if (write.emails || write.primaryEmail) {
    // The primary address is listed too: Beamery's email search looks at the list (S4 filters on primaryEmail).
    const emails = uniqueStrings([write.primaryEmail, ...(write.emails ?? [])], true);
    if (emails.length > 0) body['emails'] = emails;
  }
  put(body, 'primaryPhoneNumber', write.primaryPhoneNumber);
  if (write.phoneNumbers && write.phoneNumbers.length > 0) body['phoneNumbers'] = uniqueStrings([...write.phoneNumbers], false);
  if (write.links && write.links.length > 0) body['links'] = uniqueStrings([...write.links], false);
  put(body, 'location', write.location ? { ...write.location } : undefined);
  if (write.currentRole && (write.currentRole.title || write.currentRole.company)) {
    body['experience'] = [{ organisationName: write.currentRole.company, role: write.currentRole.title, current: true }];
  }
  if (write.tags) body['globalTags'] = write.tags.map((t) => (t.label ? { id: t.id, value: t.label } : { id: t.id }));
  if (write.profileTags) body[profileTagsField] = uniqueStrings([...write.profileTags], true);
  put(body, 'assignedTo', write.assignedToUserId);
  put(body, 'status', write.statusLabel !== undefined ? { value: write.statusLabel } : undefined);
  put(body, 'creationSource', write.creationSource !== undefined ? { value: write.creationSource } : undefined);
  put(body, 'source', write.source !== undefined ? { value: write.source } : undefined);

  let customFields = write.customFields ? [...write.customFields] : undefined;
  if (write.greenhouseCandidateId !== undefined) {
    if (greenhouseField.kind === 'integrations') {
      body['integrations'] = { greenhouse: { id: write.greenhouseCandidateId, ...(write.greenhouseProfileUrl ? { url: write.greenhouseProfileUrl } : {}) } };
    } else {
      // Custom fields replace as a whole: carry every other value along with ours.
      const base = customFields ?? [...(currentCustomFields ?? [])];
      customFields = [...base.filter((f) => f.id !== greenhouseField.fieldId), { id: greenhouseField.fieldId, value: write.greenhouseCandidateId }];
    }
  }
  if (customFields && customFields.length > 0) body['customFields'] = customFields.map((f) => ({ id: f.id, value: f.value }));
  return body;
}

export function vacancyBody(write: VacancyWrite): Body {
  const body: Body = {};
  put(body, 'title', write.title);
  put(body, 'status', write.status);
  put(body, 'departmentId', write.departmentId);
  put(body, 'description', write.description);
  put(body, 'salary', write.salary);
  put(body, 'type', write.employmentType);
  put(body, 'priority', write.priority);
  put(body, 'published', write.published);
  put(body, 'remote', write.remote);
  put(body, 'jobUrl', write.jobUrl);
  put(body, 'requisitionId', write.requisitionId);
  put(body, 'location', write.location ? { ...write.location } : undefined);
  put(body, 'owner', write.ownerUserId);
  if (write.greenhouseJobId !== undefined) body['integrations'] = { greenhouse: { id: write.greenhouseJobId } };
  if (write.stages) body['stages'] = write.stages.map((s, index) => ({ name: s.name, order: s.order ?? index + 1 }));
  if (write.tags) body['globalTags'] = write.tags.map((t) => (t.label ? { id: t.id, value: t.label } : { id: t.id }));
  return body;
}
