import { describe, expect, it } from 'vitest';
import { MAX_REQUIREMENTS, requirementsFromJobPost } from '#core/ai/screening/job-requirements';

describe('requirementsFromJobPost', () => {
  it('takes each list item of the post as one requirement, as text', () => {
    const html = '<p>About us &amp; the team</p><ul><li>5+ years with <strong>Python</strong></li><li>AWS &#39;serverless&#39; &lt;Lambda&gt;</li><li> </li></ul>';
    expect(requirementsFromJobPost(html)).toEqual(['5+ years with Python', "AWS 'serverless' <Lambda>"]);
  });

  it('falls back to sentences for a post without lists', () => {
    expect(requirementsFromJobPost('<p>You know SQL. You have shipped Spark jobs!</p>')).toEqual(['You know SQL.', 'You have shipped Spark jobs!']);
  });

  it('keeps at most the first 40, without repeats', () => {
    const html = `<ul>${Array.from({ length: 50 }, (_, i) => `<li>Skill ${i % 45}</li>`).join('')}</ul>`;
    const requirements = requirementsFromJobPost(html);
    expect(requirements).toHaveLength(MAX_REQUIREMENTS);
    expect(new Set(requirements).size).toBe(MAX_REQUIREMENTS);
  });
});
