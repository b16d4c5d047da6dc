import {
  type BedrockRuntimeClient,
  ConverseCommand,
  type ContentBlock,
  type ConverseCommandOutput,
  type Message,
  type ToolInputSchema,
} from '@aws-sdk/client-bedrock-runtime';
import * as z from '#core/zod-mini';
import { GuardrailIntervened, ModelAnswerInvalid, type Inference, type StructuredModel, type StructuredRequest } from '#core/ai/model';
import { RateLimited } from '#core/api-errors';
import { NO_TRACE_SPANS, type TraceSpans } from '#core/ports/trace-spans';
import { THROTTLED_RETRY_AFTER_SECONDS, isOutOfCapacity } from './capacity.ts';
import { bedrockRuntimeClient } from './runtime-client.ts';

/**
 * The StructuredModel port on Bedrock's Converse API. The answer's JSON schema is the input schema of
 * one tool the model is forced to call, so the model answers in that shape rather than in prose; the
 * tool input is still checked with the zod schema, because models do not always honour the schema.
 * A wrong answer is re-asked once in the same conversation (a toolResult marked as an error, naming
 * the problems by path), which fixes most slips for the price of one more call. Throttling is retried
 * by the SDK itself (adaptive mode, bounded attempts); what is still throttled after that becomes
 * RateLimited, so the queue consumer hands the message back instead of failing it.
 */
export interface ConverseModelOptions {
  /** Built with `maxAttempts` and adaptive retries when absent; a given client keeps its own retry settings. */
  readonly client?: BedrockRuntimeClient;
  /** A model id, or an inference profile id or ARN. */
  readonly modelId: string;
  readonly guardrail?: { readonly id: string; readonly version: string };
  /** SDK attempts per Converse call, default 4. */
  readonly maxAttempts?: number;
  /** Milliseconds, for latency. */
  readonly now?: () => number;
  /** Each Converse call traced as a `Bedrock` span with the operation and model id, never the prompt or the answer. */
  readonly spans?: TraceSpans;
}

const OPERATION = 'Converse';
/** The answer cap when a request sets none (the screening sets none; the bench prices it). */
export const DEFAULT_MAX_TOKENS = 2_000;
/** Enough for the model to fix its answer without a long message. */
const MAX_PROBLEMS_LISTED = 10;

export function createConverseModel(options: ConverseModelOptions): StructuredModel {
  const client = options.client ?? bedrockRuntimeClient(options.maxAttempts);
  const spans = options.spans ?? NO_TRACE_SPANS;
  const now = options.now ?? (() => performance.now());
  const guardrailConfig = options.guardrail && {
    guardrailIdentifier: options.guardrail.id,
    guardrailVersion: options.guardrail.version,
  };

  async function converse<T>(request: StructuredRequest<T>, messages: Message[]): Promise<ConverseCommandOutput> {
    const command = new ConverseCommand({
      modelId: options.modelId,
      system: [{ text: request.system }],
      messages,
      toolConfig: {
        tools: [{ toolSpec: { name: request.tool.name, description: request.tool.description, inputSchema: toolInputSchema(request) } }],
        toolChoice: { tool: { name: request.tool.name } },
      },
      inferenceConfig: { maxTokens: request.maxTokens ?? DEFAULT_MAX_TOKENS, temperature: 0 },
      ...(guardrailConfig && { guardrailConfig }),
    });
    try {
      return await spans.span('Bedrock', { operation: OPERATION, model_id: options.modelId }, () => client.send(command));
    } catch (error) {
      if (isOutOfCapacity(error)) throw new RateLimited('bedrock', OPERATION, THROTTLED_RETRY_AFTER_SECONDS, 'server');
      throw error;
    }
  }

  return {
    provider: 'bedrock',
    model: options.modelId,
    async infer<T>(request: StructuredRequest<T>): Promise<Inference<T>> {
      const started = now();
      const usage = { inputTokens: 0, outputTokens: 0 };
      const ask = async (messages: Message[]) => {
        const response = await converse(request, messages);
        usage.inputTokens += response.usage?.inputTokens ?? 0;
        usage.outputTokens += response.usage?.outputTokens ?? 0;
        if (response.stopReason === 'guardrail_intervened') throw new GuardrailIntervened(request.workflow);
        return { response, answer: readAnswer(request, response) };
      };

      const done = (output: T): Inference<T> => ({ output, model: options.modelId, usage: { ...usage }, latencyMs: Math.round(now() - started) });

      const question: Message[] = [{ role: 'user', content: [{ text: request.prompt }] }];
      const first = await ask(question);
      if (first.answer.ok) return done(first.answer.output);
      const second = await ask(reAsk(request, question, first.response, first.answer.problems));
      if (second.answer.ok) return done(second.answer.output);
      throw new ModelAnswerInvalid(request.workflow, `still invalid after one re-ask: ${second.answer.problems}`);
    },
  };
}

type Answer<T> = { ok: true; output: T } | { ok: false; problems: string };

function readAnswer<T>(request: StructuredRequest<T>, response: ConverseCommandOutput): Answer<T> {
  const toolUse = response.output?.message?.content?.find((block) => block.toolUse?.name === request.tool.name)?.toolUse;
  if (!toolUse) return { ok: false, problems: `no call of the tool ${request.tool.name} (stop reason ${response.stopReason ?? 'none'})` };
  const parsed = request.schema.safeParse(toolUse.input);
  return parsed.success ? { ok: true, output: parsed.data } : { ok: false, problems: describeProblems(parsed.error.issues) };
}

/** The conversation so far, plus a turn telling the model what was wrong with its answer. */
function reAsk<T>(request: StructuredRequest<T>, question: Message[], response: ConverseCommandOutput, problems: string): Message[] {
  const said = response.output?.message?.content;
  // Without an assistant turn to answer there is nothing to continue: ask the question afresh.
  if (!said?.length) return question;
  const correction = `Your answer is invalid: ${problems}. Call ${request.tool.name} again with input that satisfies its input schema.`;
  // Bedrock rejects a conversation that leaves any tool call of the assistant's without a result.
  const toolUseIds = said.flatMap((block) => (block.toolUse?.toolUseId ? [block.toolUse.toolUseId] : []));
  const reply: ContentBlock[] = toolUseIds.length
    ? toolUseIds.map((toolUseId) => ({ toolResult: { toolUseId, status: 'error', content: [{ text: correction }] } }))
    : [{ text: correction }];
  return [...question, { role: 'assistant', content: said }, { role: 'user', content: reply }];
}

/**
 * Paths and the schema's own rules, never the offending values: this text reaches error messages and
 * logs, and a value could be a piece of the resume.
 */
function describeProblems(issues: readonly z.core.$ZodIssue[]): string {
  const listed = issues.slice(0, MAX_PROBLEMS_LISTED).map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'} ${rule(issue)}`);
  const more = issues.length > MAX_PROBLEMS_LISTED ? `; and ${issues.length - MAX_PROBLEMS_LISTED} more` : '';
  return listed.join('; ') + more;
}

function rule(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${issue.expected}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}${sizeUnit(issue.origin)}`;
    case 'too_small':
      return `must be at least ${String(issue.minimum)}${sizeUnit(issue.origin)}`;
    case 'invalid_value':
      return 'is not one of the allowed values';
    case 'unrecognized_keys':
      return 'has properties the schema does not allow';
    case 'invalid_format':
      return `must be a valid ${issue.format}`;
    default:
      return `is invalid (${issue.code})`;
  }
}

function sizeUnit(origin: string): string {
  if (origin === 'string') return ' characters';
  if (origin === 'array' || origin === 'set') return ' items';
  return '';
}

type JsonDocument = NonNullable<ToolInputSchema['json']>;

const inputSchemas = new WeakMap<object, ToolInputSchema>();

/** Bedrock wants a plain object schema as a tool's input; the `$schema` dialect marker is noise to it. */
function toolInputSchema<T>(request: StructuredRequest<T>): ToolInputSchema {
  const cached = inputSchemas.get(request.schema);
  if (cached) return cached;
  // `input`: the model writes what the schema parses, so optional-with-default fields stay optional.
  const { $schema: _dialect, ...json } = z.toJSONSchema(request.schema, { io: 'input' }) as Record<string, JsonDocument>;
  if (json.type !== 'object') throw new Error(`${request.workflow}: a Bedrock tool's input schema must be an object schema, not ${String(json.type)}`);
  const schema: ToolInputSchema = { json };
  inputSchemas.set(request.schema, schema);
  return schema;
}
