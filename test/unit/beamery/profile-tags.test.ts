import { describe, expect, it } from 'vitest';
import { readConfig } from '#lambdas/config';
import { contactBody } from '#adapters/beamery/wire/bodies';
import { DEFAULT_GREENHOUSE_ID_FIELD } from '#adapters/beamery/wire/greenhouse-id';
import { parseContact } from '#adapters/beamery/wire/contact';

/** The seed's profile tags live in a contact field whose name no public source confirms: `tags` unless configured. */
describe('Beamery profile tags on the wire', () => {
  it('are read from and written to `tags` by default, apart from the global tags', () => {
    const contact = parseContact({ id: 'c', tags: ['SRE', { value: 'Referral' }, 'sre'], globalTags: [{ id: 'g1', value: 'Talent Pool' }] });
    expect(contact.profileTags).toEqual(['SRE', 'Referral']);
    expect(contact.tags).toEqual([{ id: 'g1', label: 'Talent Pool' }]);
    expect(contactBody({ profileTags: ['Kotlin', 'kotlin', 'Go'] }, DEFAULT_GREENHOUSE_ID_FIELD)).toEqual({ tags: ['Kotlin', 'Go'] });
    // An empty list is sent: it is how the tags Greenhouse removed leave the contact.
    expect(contactBody({ profileTags: [] }, DEFAULT_GREENHOUSE_ID_FIELD)).toEqual({ tags: [] });
  });

  it('use the configured field name instead, and leave `tags` alone', () => {
    const contact = parseContact({ id: 'c', tags: ['Ignored'], profileTags: ['SRE'] }, { profileTagsField: 'profileTags' });
    expect(contact.profileTags).toEqual(['SRE']);
    expect(contactBody({ profileTags: ['SRE'] }, DEFAULT_GREENHOUSE_ID_FIELD, undefined, 'profileTags')).toEqual({ profileTags: ['SRE'] });
  });

  it('BEAMERY_PROFILE_TAGS_FIELD defaults to `tags` and must be a plain field name', () => {
    expect(readConfig({}).beamery.profileTagsField).toBe('tags');
    expect(readConfig({ BEAMERY_PROFILE_TAGS_FIELD: 'profileTags' }).beamery.profileTagsField).toBe('profileTags');
    expect(() => readConfig({ BEAMERY_PROFILE_TAGS_FIELD: 'tags[0]' })).toThrow('profileTagsField');
  });
});
