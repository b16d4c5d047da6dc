import { describe, expect, it } from 'vitest';
import type { StructuredModel, StructuredRequest } from '#core/ai/model';
import { JD_PROMPT_VERSION, draftAnswerSchema, jdPrompt, llmJobDescriptionDrafter } from '#core/ai/jd/prompt';
import { sampleBrief } from './support.ts';

const answer = {
  summary: [{ text: 'Build route forecasting services.', source: 'post:901' }],
  responsibilities: [{ text: 'Design and run Go services', source: 'post:901' }],
  mustHave: [{ text: 'Go or Rust in production', source: 'job-note:41' }],
  niceToHave: [],
  benefits: [{ text: '25 days of paid vacation', source: 'corpus:benefits.md' }],
};

describe('the language-model drafter', () => {
  it('asks through the model port with every source block by its id, and returns the answer with usage and latency', async () => {
    const requests: StructuredRequest<unknown>[] = [];
    const model: StructuredModel = {
      provider: 'bedrock',
      model: 'test-model',
      infer: async <T>(request: StructuredRequest<T>) => {
        requests.push(request as StructuredRequest<unknown>);
        return { output: request.schema.parse(answer), model: 'test-model', usage: { inputTokens: 900, outputTokens: 200 }, latencyMs: 1234 };
      },
    };
    const drafter = llmJobDescriptionDrafter(model);
    expect(drafter.provenance).toEqual({ provider: 'bedrock', model: 'test-model', promptVersion: JD_PROMPT_VERSION, isLanguageModel: true });
    expect(await drafter.draft(sampleBrief())).toEqual({ draft: answer, usage: { inputTokens: 900, outputTokens: 200 }, latencyMs: 1234 });
    const [request] = requests;
    expect(request).toMatchObject({ workflow: 'job-description', tool: { name: 'record_job_description' } });
    for (const id of ['job:name', 'job:department', 'job:offices', 'job:field:employment_type', 'job-note:41', 'post:901', 'corpus:benefits.md', 'corpus:values.md']) {
      expect(request!.prompt).toContain(`<source id="${id}">`);
    }
    expect(request!.prompt).toContain('Hiring team (roles only): 1 hiring manager');
    expect(request!.system).toMatch(/Never invent a benefit/);
  });

  it('words its prompt from the brief alone', () => {
    expect(jdPrompt(sampleBrief({ notes: [], similarPosts: [] }))).not.toContain('job-note:');
  });

  it('accepts only the structured shape: sources on every line, no extra keys, bounded lists', () => {
    expect(draftAnswerSchema.safeParse(answer).success).toBe(true);
    expect(draftAnswerSchema.safeParse({ ...answer, eeoStatement: 'We are fair.' }).success).toBe(false);
    expect(draftAnswerSchema.safeParse({ ...answer, benefits: [{ text: 'Free lunch' }] }).success).toBe(false);
    expect(draftAnswerSchema.safeParse({ ...answer, mustHave: Array.from({ length: 11 }, () => answer.mustHave[0]) }).success).toBe(false);
  });
});
