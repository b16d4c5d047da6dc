import { describe, expect, it } from 'vitest';
import type { Candidate } from '#core/greenhouse/records';
import { candidateProfile, normaliseProfileText, profileHash } from '#core/ai/rediscovery/profile';

const candidate: Candidate = {
  id: 4101,
  first_name: 'Imogen',
  last_name: 'Tarrow',
  preferred_name: 'Immy',
  title: 'Platform Engineer',
  company: 'Quillfeather Ltd',
  tags: ['Kubernetes', 'AI screening: needs review', 'Pronouns: she/her', 'Terraform'],
  email_addresses: [{ value: 'imogen.tarrow@mail.example', type: 'personal' }],
  custom_fields: { skills: { name: 'Skills', type: 'multi_select', value: [{ name: 'Go' }, { name: 'AWS' }] } },
} as Candidate;

const resumeText = [
  'Imogen "Immy" Tarrow',
  'imogen.tarrow@mail.example | +44 7700 900321 | https://www.linkedin.example/in/imogentarrow',
  'Date of birth: 2 May 1988',
  'Nationality: Welsh',
  '',
  'Platform Engineer, Quillfeather (2019 - 2025)',
  '- Ran 40 Kubernetes clusters on AWS; Tarrow-built Terraform modules used by 12 teams',
].join('\n');

const sources = {
  candidate,
  employments: [{ title: 'Site Reliability Engineer', company_name: 'Brindle Networks' }],
  educations: [{ degree: 'BSc', discipline: 'Computer Science', school_name: 'University of Harrowgate' }],
  resumeText,
};

describe('candidateProfile', () => {
  const profile = candidateProfile(sources, { excludedTags: ['AI screening: needs review'], skillFields: ['skills'] });

  it('leaves no name, email, phone, link or protected-attribute line in the text', () => {
    expect(profile.text).not.toMatch(/imogen|tarrow|immy/i);
    expect(profile.text).not.toMatch(/@|mail\.example|7700|900321|linkedin|https?:/i);
    expect(profile.text).not.toMatch(/1988|birth|welsh|nationality|she\/her|pronoun/i);
    expect(profile.removed).toMatchObject({ email: 1, phone: 1, link: 1 });
    expect(profile.removed.name).toBeGreaterThanOrEqual(4);
    expect(profile.removed['proxy-line']).toBe(3);
  });

  it('keeps titles, companies, education, skills and the experience', () => {
    expect(profile.text.split('\n')).toEqual([
      'Current: Platform Engineer, Quillfeather Ltd',
      'Experience: Site Reliability Engineer, Brindle Networks',
      'Education: BSc, Computer Science, University of Harrowgate',
      'Skill: Kubernetes',
      'Skill: Terraform',
      'Skill: Go',
      'Skill: AWS',
      'Resume:',
      'Platform Engineer, Quillfeather (2019 - 2025)',
      '- Ran 40 Kubernetes clusters on AWS; [name]-built Terraform modules used by 12 teams',
    ]);
  });

  it('drops lines that minimisation left with placeholders only, keeps placeholders inside a line', () => {
    expect(profile.text.split('\n').filter((line) => !/[\p{L}\p{N}]/u.test(line.replace(/\[\w+\]/g, '')))).toEqual([]);
    expect(profile.text).toContain('[name]-built Terraform');
  });

  it("leaves out the bridge's own AI tags", () => {
    expect(profile.text).not.toContain('AI screening');
    expect(candidateProfile(sources).text).toContain('Skill: AI screening: needs review');
  });

  it('hashes the same profile the same way, whatever whitespace extraction produced', () => {
    const again = candidateProfile({ ...sources, resumeText: resumeText.replaceAll('\n', '\r\n\n').replaceAll(' - ', '   -   ') }, { excludedTags: ['AI screening: needs review'], skillFields: ['skills'] });
    expect(again.text).toBe(profile.text);
    expect(again.hash).toBe(profile.hash);
    expect(profile.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(profileHash('a  b\n\n c')).toBe(profileHash('a b\nc'));
  });

  it('hashes a changed profile differently: a new skill, title or resume line re-embeds', () => {
    const options = { excludedTags: ['AI screening: needs review'], skillFields: ['skills'] };
    const hashes = new Set([
      profile.hash,
      candidateProfile({ ...sources, candidate: { ...candidate, tags: [...candidate.tags!, 'Rust'] } }, options).hash,
      candidateProfile({ ...sources, candidate: { ...candidate, title: 'Staff Platform Engineer' } }, options).hash,
      candidateProfile({ ...sources, resumeText: `${resumeText}\n- Led the on-call rota` }, options).hash,
    ]);
    expect(hashes.size).toBe(4);
  });

  it('hashes the same for two candidates who differ only in name and contact details', () => {
    const other = candidateProfile({
      ...sources,
      candidate: { ...candidate, id: 4102, first_name: 'Kwame', last_name: 'Asante', preferred_name: null },
      resumeText: resumeText.replaceAll('Imogen "Immy" Tarrow', 'Kwame "Kwame" Asante').replace('Tarrow-built', 'Asante-built').replaceAll('imogen.tarrow@', 'k.asante@').replace('imogentarrow', 'kasante'),
    }, { excludedTags: ['AI screening: needs review'], skillFields: ['skills'] });
    expect(other.text).toBe(profile.text);
    expect(other.hash).toBe(profile.hash);
  });

  it('normalises Unicode, spaces and blank lines', () => {
    expect(normaliseProfileText(' ﬁne\u00a0tuning \r\n\r\n\tX ')).toBe('fine tuning\nX');
  });
});
