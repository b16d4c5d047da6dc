import { randomBytes } from 'node:crypto';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import Fastify, { type FastifyError, type FastifyServerFactoryHandler } from 'fastify';
import { LOOPBACK_HOST, urlHost } from '../../listen-host.ts';
import { embeddingAnswer, embeddingFamily, embeddingProblem, readEmbeddingCall, type EmbeddingCall } from './embedding.ts';
import { estimateTokens } from './tokens.ts';
import { behaveAsAwsService } from '../shared/aws-service.ts';

/**
 * A Bedrock Runtime that speaks Converse's REST-JSON contract closely enough for the real SDK client
 * (SigV4-signed, `endpoint` pointed here) to talk to it: `POST /model/{modelId}/converse`, errors as
 * `x-amzn-errortype` plus `{ message }` with the service's status codes, and the request checks the
 * service makes that an adapter could get wrong (alternating roles, a result for every tool call,
 * a forced tool that exists, an object input schema, guardrail identifiers). The "model" is a
 * function of the call that returns the forced tool's input; tests script throttling, guardrail
 * interventions and bad answers around it. No signature is verified, only that one is present.
 * The SDK's default handler for this client speaks HTTP/2 (cleartext to an http:// endpoint), while
 * fetch and curl speak HTTP/1.1, so the port serves both.
 *
 * It also serves InvokeModel (`POST /model/{modelId}/invoke`) for the embedding models candidate
 * rediscovery uses, Titan Text Embeddings V2 and Cohere Embed v3, with their own request checks
 * (embedding.ts). Its vectors come from hashing words, not from a model: see `simulatedEmbedding`.
 * Throttling (`throttleNext`) and server errors (`failNext`) apply to both operations.
 */
export interface ConverseCall {
  /** Decoded from the path: a model id, an inference profile id or an ARN. */
  readonly modelId: string;
  /** The system blocks' text, joined with newlines. */
  readonly system: string;
  /** The text of the latest user turn that has text. */
  readonly prompt: string;
  /** The forced tool, or the only tool when the model may choose. */
  readonly toolName: string | undefined;
  readonly toolChoice: unknown;
  readonly inputSchema: unknown;
  readonly guardrail?: { readonly id: string; readonly version: string };
  /** How many messages the conversation had. */
  readonly messages: number;
  /** The tool results in the last user turn (a re-ask after a bad answer). */
  readonly toolResults: readonly { readonly toolUseId: string; readonly status?: string; readonly text: string }[];
  readonly maxTokens?: number;
  readonly temperature?: number;
}

export type ConverseOutcome = 'tool_use' | 'end_turn' | 'guardrail_intervened' | 'ThrottlingException' | 'InternalServerException' | 'ValidationException';

export interface LoggedConverseCall extends ConverseCall {
  readonly outcome: ConverseOutcome;
  /** What the answer reported, when there was one. */
  readonly usage?: { readonly inputTokens: number; readonly outputTokens: number };
  /** The id of the tool call answered with. */
  readonly toolUseId?: string;
}

export type { EmbeddingCall } from './embedding.ts';

export interface LoggedInvokeCall extends EmbeddingCall {
  readonly outcome: 'embeddings' | 'ThrottlingException' | 'InternalServerException' | 'ValidationException';
}

export interface BedrockSimulatorOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** Known model ids; any other gets 404 ResourceNotFoundException. Every id is known when absent. */
  readonly models?: readonly string[];
  /** The "model": returns the input it calls the tool with (may be a promise). */
  readonly respond: (call: ConverseCall) => unknown;
  readonly logger?: boolean;
}

export interface BedrockSimulator {
  readonly url: string;
  /** Every signed Converse request for a known model, in order, with what it was answered. */
  requests(): LoggedConverseCall[];
  /** Every signed InvokeModel request for a known embedding model, in order, with what it was answered. */
  invocations(): LoggedInvokeCall[];
  /** The next n requests (Converse or InvokeModel) get 429 ThrottlingException. */
  throttleNext(n: number): void;
  /** The next n requests (Converse or InvokeModel), after any throttled ones, get 500 InternalServerException. */
  failNext(n: number): void;
  /** A guardrail that blocks prompts containing the word (case-insensitive), when the request names a guardrail. */
  blockWhenPromptContains(word: string): void;
  /** Answers the next request with this tool input instead of `respond`'s; queued when called again. */
  answerNext(input: unknown): void;
  /** Answers the next valid InvokeModel request with this body instead of the simulated embeddings; queued. */
  answerNextInvoke(body: unknown): void;
  reset(): void;
  close(): Promise<void>;
}

class ConverseError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const validation = (message: string) => new ConverseError(400, 'ValidationException', message);

/** What the simulator reads of a request body; anything else is ignored, as a model would. */
interface WireBlock {
  text?: unknown;
  toolUse?: { toolUseId?: unknown; name?: unknown; input?: unknown };
  toolResult?: { toolUseId?: unknown; status?: unknown; content?: { text?: unknown; json?: unknown }[] };
}
interface WireMessage {
  role?: unknown;
  content?: unknown;
}
interface WireTool {
  toolSpec?: { name?: unknown; description?: unknown; inputSchema?: { json?: unknown } };
}
interface ConverseBody {
  messages?: unknown;
  system?: { text?: unknown }[];
  toolConfig?: { tools?: WireTool[]; toolChoice?: { tool?: { name?: unknown }; auto?: unknown; any?: unknown } };
  inferenceConfig?: { maxTokens?: unknown; temperature?: unknown };
  guardrailConfig?: { guardrailIdentifier?: unknown; guardrailVersion?: unknown };
}

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const GUARDRAIL_VERSION = /^(([1-9][0-9]{0,7})|(DRAFT))$/;
const BLOCKED_MESSAGE = 'Sorry, the model cannot answer this question.';

export async function startBedrockSimulator(options: BedrockSimulatorOptions): Promise<BedrockSimulator> {
  const known = options.models && new Set(options.models);
  let log: LoggedConverseCall[] = [];
  let invokeLog: LoggedInvokeCall[] = [];
  let throttled = 0;
  let failing = 0;
  let blockedWords: string[] = [];
  let overrides: unknown[] = [];
  let invokeOverrides: unknown[] = [];

  /** The injected failure for this request, if any: throttling first, then server errors. */
  function injectedFailure(): ConverseError | undefined {
    if (throttled > 0) {
      throttled -= 1;
      return new ConverseError(429, 'ThrottlingException', 'Too many requests, please wait before trying again.');
    }
    if (failing > 0) {
      failing -= 1;
      return new ConverseError(500, 'InternalServerException', 'Internal server error.');
    }
    return undefined;
  }

  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 20 * 1024 * 1024,
    // An encoded inference profile ARN is longer than the default 100.
    routerOptions: { maxParamLength: 2_048 },
    serverFactory: dualProtocolServer,
    forceCloseConnections: true,
  });
  behaveAsAwsService(app, (status, type, message) => new ConverseError(status, type, message));
  app.setErrorHandler((error: FastifyError | ConverseError, request, reply) => {
    if (error instanceof ConverseError) return reply.code(error.status).header('x-amzn-errortype', error.type).send({ message: error.message });
    if (error.statusCode && error.statusCode < 500) return reply.code(400).header('x-amzn-errortype', 'ValidationException').send({ message: error.message });
    request.log.error(error);
    return reply.code(500).header('x-amzn-errortype', 'InternalServerException').send({ message: 'Internal server error.' });
  });

  app.post<{ Params: { modelId: string }; Body: ConverseBody }>('/model/:modelId/converse', async (request) => {
    const started = performance.now();
    const { modelId } = request.params;
    if (known && !known.has(modelId)) throw new ConverseError(404, 'ResourceNotFoundException', 'The provided model identifier is invalid.');
    const body: ConverseBody = request.body ?? {};
    const call = readCall(modelId, body);
    const entry: Mutable<LoggedConverseCall> = { ...call, outcome: 'tool_use' };
    log.push(entry);

    const failure = injectedFailure();
    if (failure) {
      entry.outcome = failure.type as ConverseOutcome;
      throw failure;
    }
    try {
      validate(body);
    } catch (error) {
      entry.outcome = 'ValidationException';
      throw error;
    }

    const inputTokens = estimateTokens(JSON.stringify([body.system, body.messages, body.toolConfig]));
    const metrics = () => ({ latencyMs: Math.max(1, Math.round(performance.now() - started)) });
    const prompt = call.prompt.toLowerCase();
    if (call.guardrail && blockedWords.some((word) => prompt.includes(word))) {
      entry.outcome = 'guardrail_intervened';
      entry.usage = { inputTokens, outputTokens: 0 };
      return {
        output: { message: { role: 'assistant', content: [{ text: BLOCKED_MESSAGE }] } },
        stopReason: 'guardrail_intervened',
        usage: { inputTokens, outputTokens: 0, totalTokens: inputTokens },
        metrics: metrics(),
      };
    }

    const input = overrides.length ? overrides.shift() : await options.respond(call);
    const outputTokens = estimateTokens(JSON.stringify(input) ?? '');
    const usage = { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
    entry.usage = { inputTokens, outputTokens };
    if (!call.toolName) {
      entry.outcome = 'end_turn';
      return { output: { message: { role: 'assistant', content: [{ text: JSON.stringify(input) }] } }, stopReason: 'end_turn', usage, metrics: metrics() };
    }
    const toolUseId = `tooluse_${randomBytes(16).toString('base64url').slice(0, 22)}`;
    entry.toolUseId = toolUseId;
    return {
      output: { message: { role: 'assistant', content: [{ toolUse: { toolUseId, name: call.toolName, input } }] } },
      stopReason: 'tool_use',
      usage,
      metrics: metrics(),
    };
  });

  app.post<{ Params: { modelId: string }; Body: unknown }>('/model/:modelId/invoke', async (request, reply) => {
    const started = performance.now();
    const { modelId } = request.params;
    if (known && !known.has(modelId)) throw new ConverseError(404, 'ResourceNotFoundException', 'The provided model identifier is invalid.');
    const family = embeddingFamily(modelId);
    if (!family) throw validation('The simulator serves InvokeModel for Titan Text Embeddings V2 and Cohere Embed v3 only.');
    const entry: Mutable<LoggedInvokeCall> = { ...readEmbeddingCall(modelId, family, request.body), outcome: 'embeddings' };
    invokeLog.push(entry);

    const failure = injectedFailure();
    if (failure) {
      entry.outcome = failure.type as LoggedInvokeCall['outcome'];
      throw failure;
    }
    const problem = embeddingProblem(family, request.body);
    if (problem !== undefined) {
      entry.outcome = 'ValidationException';
      throw validation(problem);
    }
    const answer = embeddingAnswer(entry);
    return reply
      .header('content-type', 'application/json')
      .header('x-amzn-bedrock-input-token-count', String(answer.inputTokens))
      .header('x-amzn-bedrock-invocation-latency', String(Math.max(1, Math.round(performance.now() - started))))
      .send(invokeOverrides.length ? invokeOverrides.shift() : answer.body);
  });

  const host = options.host ?? LOOPBACK_HOST;
  await app.listen({ port: options.port ?? 0, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);

  return {
    url: `http://${urlHost(host)}:${port}`,
    requests: () => [...log],
    invocations: () => [...invokeLog],
    throttleNext(n) {
      throttled = n;
    },
    failNext(n) {
      failing = n;
    },
    blockWhenPromptContains(word) {
      blockedWords.push(word.toLowerCase());
    },
    answerNext(input) {
      overrides.push(input);
    },
    answerNextInvoke(body) {
      invokeOverrides.push(body);
    },
    reset() {
      log = [];
      invokeLog = [];
      throttled = 0;
      failing = 0;
      blockedWords = [];
      overrides = [];
      invokeOverrides = [];
    },
    close: () => app.close(),
  };
}

/**
 * One port for HTTP/1.1 and cleartext HTTP/2 (prior knowledge): the first bytes of a connection say
 * which. `closeAllConnections` lets fastify's close end keep-alive connections and HTTP/2 sessions.
 */
function dualProtocolServer(handler: FastifyServerFactoryHandler): http.Server {
  const http1 = http.createServer(handler);
  // fastify's handler takes HTTP/2's compatibility request and response as well (its own http2 mode does the same).
  const h2c = http2.createServer((request, response) => handler(request as never, response as never));
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      socket.unshift(chunk);
      (chunk.subarray(0, 4).toString('latin1') === 'PRI ' ? h2c : http1).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });
  return Object.assign(server, {
    closeAllConnections() {
      for (const socket of sockets) socket.destroy();
    },
    // fastify types its server as an http server; it only listens, closes and reads the address.
  }) as unknown as http.Server;
}

/** Leniently: a malformed request is logged too, then rejected by `validate`. */
function readCall(modelId: string, body: ConverseBody): ConverseCall {
  const messages = messagesOf(body);
  const lastUser = messages.findLast((m) => m.role === 'user');
  const tools = body.toolConfig?.tools ?? [];
  const toolChoice = body.toolConfig?.toolChoice;
  const forced = toolChoice?.tool?.name;
  const toolName = typeof forced === 'string' ? forced : tools.length === 1 ? stringOr(tools[0]?.toolSpec?.name) : undefined;
  const tool = tools.find((t) => t.toolSpec?.name === toolName);
  const guardrail = body.guardrailConfig;
  const maxTokens = body.inferenceConfig?.maxTokens;
  const temperature = body.inferenceConfig?.temperature;
  return {
    modelId,
    system: (body.system ?? []).flatMap((block) => (typeof block.text === 'string' ? [block.text] : [])).join('\n'),
    prompt:
      messages
        .filter((m) => m.role === 'user')
        .map((m) => textOf(blocksOf(m)))
        .findLast((text) => text.length > 0) ?? '',
    toolName,
    toolChoice,
    inputSchema: tool?.toolSpec?.inputSchema?.json,
    ...(guardrail && { guardrail: { id: stringOr(guardrail.guardrailIdentifier) ?? '', version: stringOr(guardrail.guardrailVersion) ?? '' } }),
    messages: messages.length,
    toolResults: blocksOf(lastUser).flatMap(({ toolResult }) =>
      toolResult
        ? [
            {
              toolUseId: stringOr(toolResult.toolUseId) ?? '',
              ...(typeof toolResult.status === 'string' && { status: toolResult.status }),
              text: textOf(toolResult.content ?? []),
            },
          ]
        : [],
    ),
    ...(typeof maxTokens === 'number' && { maxTokens }),
    ...(typeof temperature === 'number' && { temperature }),
  };
}

/** The checks Bedrock makes that a caller's bug would trip. */
function validate(body: ConverseBody): void {
  if (!Array.isArray(body.messages) || body.messages.length === 0) throw validation('The messages field is required and must not be empty.');
  const messages = messagesOf(body);
  messages.forEach((message, i) => {
    const expected = i % 2 === 0 ? 'user' : 'assistant';
    if (message.role !== expected) throw validation('A conversation must start with a user message and alternate between user and assistant roles.');
    if (!Array.isArray(message.content) || message.content.length === 0) throw validation(`messages.${i}.content must not be empty.`);
  });
  messages.forEach((message, i) => {
    const calls = blocksOf(message).flatMap(({ toolUse }) => (toolUse ? [toolUse.toolUseId] : []));
    const results = blocksOf(messages[i + 1]).flatMap(({ toolResult }) => (toolResult ? [toolResult.toolUseId] : []));
    if (message.role === 'assistant' && i + 1 < messages.length) {
      const unanswered = calls.filter((id) => !results.includes(id));
      if (unanswered.length) throw validation(`Expected toolResult blocks at messages.${i + 1}.content for the following Ids: ${unanswered.join(', ')}`);
    }
    if (message.role === 'user') {
      const asked = blocksOf(messages[i - 1]).flatMap(({ toolUse }) => (toolUse ? [toolUse.toolUseId] : []));
      const stray = blocksOf(message).some(({ toolResult }) => toolResult && !asked.includes(toolResult.toolUseId));
      if (stray) throw validation(`messages.${i}.content has a toolResult with no matching toolUse in the previous turn.`);
    }
  });

  const config = body.toolConfig;
  if (config) {
    const tools = config.tools ?? [];
    if (tools.length === 0) throw validation('toolConfig.tools must not be empty.');
    for (const tool of tools) {
      const spec = tool.toolSpec;
      if (typeof spec?.name !== 'string' || !TOOL_NAME.test(spec.name)) throw validation('A tool name must match [a-zA-Z0-9_-]{1,64}.');
      if (spec.description !== undefined && (typeof spec.description !== 'string' || spec.description.length === 0)) throw validation('A tool description must not be empty.');
      const schema = spec.inputSchema?.json;
      if (!isObject(schema) || schema.type !== 'object') throw validation(`The input schema of tool ${spec.name} must be a JSON schema of type object.`);
    }
    const forced = config.toolChoice?.tool?.name;
    if (forced !== undefined && !tools.some((t) => t.toolSpec?.name === forced)) throw validation('The tool in toolChoice is not in toolConfig.tools.');
  }

  const maxTokens = body.inferenceConfig?.maxTokens;
  if (maxTokens !== undefined && (!Number.isInteger(maxTokens) || (maxTokens as number) < 1)) throw validation('inferenceConfig.maxTokens must be at least 1.');
  const temperature = body.inferenceConfig?.temperature;
  if (temperature !== undefined && (typeof temperature !== 'number' || temperature < 0 || temperature > 1)) throw validation('inferenceConfig.temperature must be between 0 and 1.');

  const guardrail = body.guardrailConfig;
  if (guardrail) {
    if (typeof guardrail.guardrailIdentifier !== 'string' || guardrail.guardrailIdentifier.length === 0) throw validation('guardrailConfig.guardrailIdentifier is required.');
    if (typeof guardrail.guardrailVersion !== 'string' || !GUARDRAIL_VERSION.test(guardrail.guardrailVersion)) throw validation('guardrailConfig.guardrailVersion must be a version number or DRAFT.');
  }
}

function messagesOf(body: ConverseBody): WireMessage[] {
  return Array.isArray(body.messages) ? body.messages.filter(isObject) : [];
}

function blocksOf(message: WireMessage | undefined): WireBlock[] {
  return Array.isArray(message?.content) ? (message.content.filter(isObject) as WireBlock[]) : [];
}

function textOf(blocks: readonly { text?: unknown }[]): string {
  return blocks.flatMap((block) => (typeof block.text === 'string' ? [block.text] : [])).join('\n');
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
