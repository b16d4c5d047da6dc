import { describe, expect, it } from 'vitest';
import { DEFAULT_VACANCY_FIELD_NAMES, vacancyFieldNameText, vacancyWriteBody } from '#adapters/beamery/wire/vacancy';

/** The seed's vacancy fields that Beamery's public model lacks: written under configurable names. */
describe('vacancy write body', () => {
  const write = { title: 'Engineer', departmentId: 'dep-1', department: 'Data', managedBy: 'Imogen Falk, Mira Kestrel', sourcedBy: 'Tobias Wren', privacy: 'private' } as const;

  it('writes Department, Managed By, Sourced By and Privacy under the seed’s Field References by default', () => {
    expect(vacancyWriteBody(write)).toEqual({
      title: 'Engineer',
      departmentId: 'dep-1',
      department: 'Data',
      manager: 'Imogen Falk, Mira Kestrel',
      sourcer: 'Tobias Wren',
      visibility: 'private',
    });
  });

  it('uses configured names and leaves out a field configured `none`', () => {
    const names = { ...DEFAULT_VACANCY_FIELD_NAMES, managedBy: 'hiringManager', privacy: vacancyFieldNameText.parse('none') };
    expect(vacancyWriteBody(write, names)).toEqual({ title: 'Engineer', departmentId: 'dep-1', department: 'Data', hiringManager: 'Imogen Falk, Mira Kestrel', sourcer: 'Tobias Wren' });
  });

  it('writes an empty string (a cleared field), and nothing for a field the write does not carry', () => {
    expect(vacancyWriteBody({ managedBy: '' })).toEqual({ manager: '' });
  });

  it('accepts only a field name or none as configuration', () => {
    expect(vacancyFieldNameText.parse(' manager ')).toBe('manager');
    expect(vacancyFieldNameText.safeParse('hiring manager').success).toBe(false);
    expect(vacancyFieldNameText.safeParse('customFields.x').success).toBe(false);
  });
});
