import { describe, expect, it } from 'vitest';
import { routeTemplateOf } from '#adapters/http/api-client';

/** What a trace may show of a request: its route, never a value from its path or query. */
describe('routeTemplateOf', () => {
  it.each([
    ['GET', 'https://harvest.greenhouse.io/v3/candidates/48213377', 'GET /v3/candidates/{id}'],
    ['POST', 'https://harvest.greenhouse.io/v3/candidates/48213377/anonymize', 'POST /v3/candidates/{id}/anonymize'],
    ['PATCH', 'https://harvest.greenhouse.io/v3/applied_candidate_tags/9911', 'PATCH /v3/applied_candidate_tags/{id}'],
    ['POST', 'https://harvest.greenhouse.io/v3/approval_flows/77/request_approvals', 'POST /v3/approval_flows/{id}/request_approvals'],
    ['GET', 'https://harvest.greenhouse.io/v3/application_stages', 'GET /v3/application_stages'],
    ['POST', 'https://auth.greenhouse.io/token', 'POST /token'],
  ] as const)('keeps the words and version of %s %s', (method, url, template) => {
    expect(routeTemplateOf(method, url)).toBe(template);
  });

  it('hides UUIDs, hex ids and numeric ids, wherever they are in the path', () => {
    expect(routeTemplateOf('PUT', 'https://frontier.beamery.com/v1/contact/0b7e1c9a-0000-4000-8000-000000000001/vacancies/8f0c1e2a-0000-4000-8000-000000000002')).toBe(
      'PUT /v1/contact/{id}/vacancies/{id}',
    );
    expect(routeTemplateOf('GET', 'https://frontier.beamery.com/v1/contact/5f8d0d55b54764421b7156c9')).toBe('GET /v1/contact/{id}');
    expect(routeTemplateOf('GET', 'https://frontier.beamery.com/v1/contact/a1b2c3d4e5f6a7b8c9d0/notes')).toBe('GET /v1/contact/{id}/notes');
  });

  it('hides an email address in the path, encoded or not', () => {
    expect(routeTemplateOf('GET', 'https://api.example.test/v1/contact/lena.marsh@example.test')).toBe('GET /v1/contact/{id}');
    expect(routeTemplateOf('GET', `https://api.example.test/v1/contact/${encodeURIComponent('lena.marsh@example.test')}`)).toBe('GET /v1/contact/{id}');
  });

  it('hides a segment that merely looks like a word but is not lowercase (a name, a file)', () => {
    expect(routeTemplateOf('GET', 'https://api.example.test/v1/people/LenaMarsh')).toBe('GET /v1/people/{id}');
    expect(routeTemplateOf('GET', 'https://api.example.test/v1/files/resume.pdf')).toBe('GET /v1/files/{id}');
    expect(routeTemplateOf('GET', 'https://api.example.test/v1/people/lena-marsh')).toBe('GET /v1/people/{id}');
  });

  it('drops the query string, which can hold an email address', () => {
    const template = routeTemplateOf('GET', 'https://frontier.beamery.com/v1/contacts?email=lena.marsh%40example.test&limit=1');
    expect(template).toBe('GET /v1/contacts');
    expect(routeTemplateOf('GET', 'https://harvest.greenhouse.io/v3/candidates?email=lena.marsh@example.test&candidate_ids=901')).toBe('GET /v3/candidates');
  });
});
