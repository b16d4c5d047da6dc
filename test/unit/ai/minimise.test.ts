import { describe, expect, it } from 'vitest';
import { minimiseResume } from '#core/ai/minimise';

describe('minimiseResume', () => {
  const resume = [
    'Noor Vale',
    'noor.vale@example.test · +44 20 7946 0001 · https://www.linkedin.com/in/noorvale',
    'Date of birth: 12 March 1990',
    'Nationality: Dutch',
    'Marital status: married, two children',
    'Gender: female',
    '',
    'Senior Data Engineer, Kestrel Labs (2019–2025)',
    '- Built Spark pipelines on AWS; cut batch cost 40%',
    '- Single sign-on with Okta; fixed race conditions in the ingest service',
    '- Portfolio at noorvale.dev/projects',
  ].join('\n');

  it('takes out contact details, links and every line stating a protected attribute, counting each kind', () => {
    const { text, removed } = minimiseResume(resume);
    expect(text).not.toMatch(/noor\.vale@|7946|linkedin|noorvale\.dev|1990|Dutch|married|female/i);
    expect(removed).toEqual({ email: 1, phone: 1, link: 2, 'proxy-line': 4, name: 0 });
  });

  it('keeps the experience, including skill lines whose words only look like proxies', () => {
    const { text } = minimiseResume(resume);
    expect(text).toContain('Senior Data Engineer, Kestrel Labs (2019–2025)');
    expect(text).toContain('Built Spark pipelines on AWS; cut batch cost 40%');
    expect(text).toContain('Single sign-on with Okta; fixed race conditions in the ingest service');
  });

  it('gives the same text for two resumes that differ only in protected-attribute proxies', () => {
    const other = resume.replace('Nationality: Dutch', 'Nationality: Nigerian').replace('Gender: female', 'Gender: male').replace('1990', '1965');
    expect(minimiseResume(other).text).toBe(minimiseResume(resume).text);
  });

  it("replaces the candidate's names, whole words only, in any case", () => {
    const { text, removed } = minimiseResume(resume + '\nReferences: ask NOOR or Vale-Smith; Noordam office', { names: ['Noor', 'Vale'] });
    expect(text.split('\n')[0]).toBe('[name] [name]');
    expect(text).toContain('ask [name] or [name]-Smith; Noordam office');
    expect(removed.name).toBe(4);
  });

  it('gives the same text for two resumes that differ only in the name', () => {
    const other = resume.replaceAll('Noor Vale', 'Jamal Okafor').replace('noor.vale@', 'j.okafor@');
    expect(minimiseResume(other, { names: ['Jamal', 'Okafor'] }).text).toBe(minimiseResume(resume, { names: ['Noor', 'Vale'] }).text);
  });

  it('drops the lines of the proxies a first evaluation let through, and keeps experience lines that only look like them', () => {
    const lines = [
      'Jordan Reyes (she/her)',
      'Work authorization: US citizen',
      'Ghanaian national, requires visa sponsorship',
      'Visa status: Tier 2',
      '2019–2020: maternity leave',
      'Mother of two young children',
      'Software Engineer, Visa Inc. (2015-2019)',
      'Staff Nurse, Children\'s Hospital; cared for senior citizens at home',
      'Led event sponsorship deals worth $2M',
    ];
    const { text, removed } = minimiseResume(lines.join('\n'));
    expect(text.split('\n')).toEqual([
      'Software Engineer, Visa Inc. (2015-2019)',
      "Staff Nurse, Children's Hospital; cared for senior citizens at home",
      'Led event sponsorship deals worth $2M',
    ]);
    expect(removed['proxy-line']).toBe(6);
    expect(removed.phone).toBe(0);
  });

  it('keeps year spans, which look like phone numbers to a digit pattern, and still removes phone numbers', () => {
    const { text } = minimiseResume('Acme (2015-2019) and Initech (2019 - 2023)\nCall 020 7946 0018');
    expect(text).toBe('Acme (2015-2019) and Initech (2019 - 2023)\nCall [phone]');
  });
});
