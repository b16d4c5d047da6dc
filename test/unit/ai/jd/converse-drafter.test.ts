import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createConverseModel } from '#adapters/bedrock/converse-model';
import { ModelAnswerInvalid } from '#core/ai/model';
import { JD_TOOL, llmJobDescriptionDrafter } from '#core/ai/jd/prompt';
import { startBedrockSimulator, type BedrockSimulator } from '#local/simulators/bedrock/server';
import { sampleBrief } from './support.ts';

/**
 * The language-model drafter through the real Converse adapter and SDK client against the in-process
 * Bedrock simulator: the answer schema survives the conversion to a tool's JSON schema, and an answer
 * that is still invalid after the adapter's one re-ask is a failure, never a guess.
 */
const MODEL = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
const ANSWER = {
  summary: [{ text: 'Build the services that forecast delivery routes.', source: 'post:901' }],
  responsibilities: [{ text: 'Design and run Go services for route forecasting', source: 'post:901' }],
  mustHave: [{ text: 'Go or Rust services in production', source: 'job-note:41' }],
  niceToHave: [{ text: 'Kafka or another event streaming platform', source: 'post:901' }],
  benefits: [{ text: '25 days of paid vacation plus public holidays', source: 'corpus:benefits.md' }],
};

let sim: BedrockSimulator;
let client: BedrockRuntimeClient;
beforeAll(async () => {
  sim = await startBedrockSimulator({ port: 0, models: [MODEL], respond: () => ANSWER });
  client = new BedrockRuntimeClient({ endpoint: sim.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, maxAttempts: 1 });
});
afterAll(async () => {
  client?.destroy();
  await sim?.close();
});
beforeEach(() => sim.reset());

describe('llmJobDescriptionDrafter on the Converse adapter', () => {
  it('forces record_job_description with the answer schema and returns the draft with the usage Bedrock reported', async () => {
    const drafter = llmJobDescriptionDrafter(createConverseModel({ client, modelId: MODEL }));
    const answer = await drafter.draft(sampleBrief());
    expect(answer.draft).toEqual(ANSWER);
    expect(answer.usage.inputTokens).toBeGreaterThan(0);
    const [call] = sim.requests();
    expect(call).toMatchObject({ toolName: JD_TOOL.name, outcome: 'tool_use', maxTokens: 4000 });
    expect(call!.inputSchema).toMatchObject({ type: 'object', required: ['summary', 'responsibilities', 'mustHave', 'niceToHave', 'benefits'] });
    expect(call!.prompt).toContain('<source id="corpus:benefits.md">');
  });

  it('fails with ModelAnswerInvalid when the answer is still wrong after one re-ask', async () => {
    const wrong = { ...ANSWER, benefits: [{ text: 'Free lunch' }] };
    sim.answerNext(wrong);
    sim.answerNext(wrong);
    const drafter = llmJobDescriptionDrafter(createConverseModel({ client, modelId: MODEL }));
    await expect(drafter.draft(sampleBrief())).rejects.toBeInstanceOf(ModelAnswerInvalid);
    expect(sim.requests()).toHaveLength(2);
  });
});
