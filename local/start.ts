import * as z from 'zod';
import { DEFAULT_DYNAMODB_PORT, DEFAULT_SQS_PORT, DEFAULT_WEBHOOK_PORT, LOCAL_BEAMERY_PUSH_API_KEY, LOCAL_WEBHOOK_SECRET } from './defaults.ts';
import { isLoopback, LOOPBACK_HOST } from './listen-host.ts';
import { startLocalStack } from './stack.ts';
import { saasChoiceFromEnvironment } from './saas.ts';
import { removeLocalStackFile, writeLocalStackFile } from './stack-file.ts';
import { pollIntervalsFromEnvironment } from './schedules.ts';
import { JavaMissing } from './dynamodb-local.ts';
import { DEFAULT_GREENHOUSE_SIM_PORT } from './simulators/greenhouse/server.ts';
import { DEFAULT_BEAMERY_SIM_PORT } from './simulators/beamery/paths.ts';
import { resolveSettings } from './simulators/beamery/settings.ts';
import { apiContractSchema, STRICT_API_CONTRACT } from './simulators/greenhouse/api-contract.ts';

/**
 * `npm start`: the local stack in the foreground. Prints one `ready …` line once webhooks can be
 * posted (scripts and the e2e test wait for it), then the Lambdas' own JSON logs. Ctrl-C (SIGINT) or
 * SIGTERM stops everything, the DynamoDB Local JVM included, and exits 0.
 *
 * Environment: HOST (the address every server listens on, 127.0.0.1; any other address needs a
 * webhook secret and push key of one's own, since the defaults are public), LOCAL_DATA_DIR (keeps
 * DynamoDB Local's and the SQS emulator's data there across restarts; default: in memory),
 * PORT (webhook endpoint, 3000), LOCAL_SQS_PORT (4566), LOCAL_DYNAMODB_PORT (8000),
 * GREENHOUSE_WEBHOOK_SECRET (`local-webhook-secret`, the default `npm run webhook` signs with),
 * BEAMERY_PUSH_API_KEY (`local-beamery-push-api-key`, the key of POST /beamery/push; at least 16 characters),
 * AI_SETTINGS (JSON, default: the offline AI providers on every job in assist mode),
 * GREENHOUSE_SIM_PORT (4010) and BEAMERY_SIM_PORT (4102) for the simulators, which run unless the real
 * APIs are configured (GREENHOUSE_API_BASE_URL + GREENHOUSE_CLIENT_ID/SECRET; BEAMERY_REGION or
 * BEAMERY_BASE_URL + BEAMERY_CLIENT_ID/SECRET). LOCAL_CONSUMERS=off leaves queued messages unconsumed.
 * GREENHOUSE_SIM_API_CONTRACT (`strict`, or JSON switches of local/simulators/greenhouse/api-contract.ts)
 * and BEAMERY_SIM_SETTINGS (JSON, local/simulators/beamery/settings.ts, e.g. `{"auth":"basic"}`) start
 * the simulators on the other readings of what their vendors leave open; `bridge doctor --local` names
 * each one the bridge's configuration does not expect. LOCAL_POLL_INTERVAL_SECONDS (every poller) and
 * LOCAL_POLL_INTERVAL_SECONDS_<POLLER> (one) set the schedules (local/schedules.ts); unset, the deployed rates.
 */
/**
 * `npm start` shows the AI workflows at work on every job, with the offline providers (which say in
 * every note that they are not language models). AI_SETTINGS (JSON, lambdas/core/ai/settings.ts)
 * replaces this, e.g. `{"provider":"bedrock"}` with AWS credentials for the real Bedrock.
 */
const LOCAL_AI_DEMO = {
  provider: 'offline',
  screening: { enabled: true, mode: 'assist', scope: { allJobs: true } },
  feedback: { enabled: true, mode: 'assist', scope: { allJobs: true } },
  // The sample company's statement (local/company-corpus/eeo.md), as an operator would configure theirs.
  jobDescriptions: {
    enabled: true,
    mode: 'assist',
    scope: { allJobs: true },
    eeoStatement: 'Fernleaf Analytics is an equal opportunity employer.',
  },
} as const;

const port = z.coerce.number().int().min(0).max(65_535);

/** A JSON setting checked against its schema, with the schema's own message on a mistake. */
function jsonSetting<T>(text: string, ctx: z.RefinementCtx, schema: z.ZodType<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not JSON' });
    return z.NEVER;
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  ctx.addIssue({ code: 'custom', message: z.prettifyError(parsed.error) });
  return z.NEVER;
}
const settings = z
  .object({
    HOST: z.string().min(1).default(LOOPBACK_HOST),
    LOCAL_DATA_DIR: z.string().optional(),
    PORT: port.default(DEFAULT_WEBHOOK_PORT),
    LOCAL_SQS_PORT: port.default(DEFAULT_SQS_PORT),
    LOCAL_DYNAMODB_PORT: port.default(DEFAULT_DYNAMODB_PORT),
    GREENHOUSE_WEBHOOK_SECRET: z.string().min(1).default(LOCAL_WEBHOOK_SECRET),
    BEAMERY_PUSH_API_KEY: z.string().min(16).default(LOCAL_BEAMERY_PUSH_API_KEY),
    GREENHOUSE_SIM_PORT: port.default(DEFAULT_GREENHOUSE_SIM_PORT),
    BEAMERY_SIM_PORT: port.default(DEFAULT_BEAMERY_SIM_PORT),
    LOCAL_CONSUMERS: z.enum(['on', 'off']).default('on'),
    AI_SETTINGS: z.string().optional(),
    GREENHOUSE_SIM_API_CONTRACT: z
      .string()
      .optional()
      .transform((text, ctx) => (text === undefined ? undefined : text === 'strict' ? STRICT_API_CONTRACT : jsonSetting(text, ctx, apiContractSchema))),
    BEAMERY_SIM_SETTINGS: z
      .string()
      .optional()
      .transform((text, ctx) => (text === undefined ? undefined : jsonSetting(text, ctx, z.record(z.string(), z.unknown()).transform((patch) => resolveSettings(patch as never))))),
  })
  .superRefine((env, ctx) => {
    if (isLoopback(env.HOST)) return;
    const publicDefaults = { GREENHOUSE_WEBHOOK_SECRET: LOCAL_WEBHOOK_SECRET, BEAMERY_PUSH_API_KEY: LOCAL_BEAMERY_PUSH_API_KEY } as const;
    for (const [name, value] of Object.entries(publicDefaults)) {
      if (env[name as keyof typeof publicDefaults] !== value) continue;
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: `the default is public: set a ${name} of your own to listen on HOST=${env.HOST}, which other machines can reach`,
      });
    }
  })
  .safeParse(Object.fromEntries(Object.entries(process.env).filter(([, value]) => value !== '')));
if (!settings.success) {
  process.stderr.write(`local stack: invalid settings\n${z.prettifyError(settings.error)}\n`);
  process.exit(2);
}
const env = settings.data;
let pollIntervals: ReturnType<typeof pollIntervalsFromEnvironment>;
try {
  pollIntervals = pollIntervalsFromEnvironment(process.env);
} catch (error) {
  process.stderr.write(`local stack: invalid settings\n${(error as Error).message}\n`);
  process.exit(2);
}

let stack: Awaited<ReturnType<typeof startLocalStack>> | undefined;
let stopping = false;
const shutdown = (signal: NodeJS.Signals) => {
  // A second Ctrl-C, or one during start-up, means "now": the exit handlers still kill the JVM.
  if (stopping || !stack) process.exit(stopping ? 1 : 0);
  stopping = true;
  process.stderr.write(`local stack: ${signal}, stopping\n`);
  stack.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`local stack: error while stopping: ${String(error)}\n`);
      process.exit(1);
    },
  );
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

try {
  stack = await startLocalStack({
    host: env.HOST,
    dataDir: env.LOCAL_DATA_DIR,
    webhookPort: env.PORT,
    sqsPort: env.LOCAL_SQS_PORT,
    dynamodbPort: env.LOCAL_DYNAMODB_PORT,
    webhookSecret: env.GREENHOUSE_WEBHOOK_SECRET,
    pushApiKey: env.BEAMERY_PUSH_API_KEY,
    ...(env.LOCAL_CONSUMERS === 'off' ? { consumers: {} } : {}),
    pollIntervalMs: pollIntervals,
    saas: {
      ...saasChoiceFromEnvironment(process.env, { greenhouse: env.GREENHOUSE_SIM_PORT, beamery: env.BEAMERY_SIM_PORT }),
      variants: { greenhouse: env.GREENHOUSE_SIM_API_CONTRACT, beamery: env.BEAMERY_SIM_SETTINGS },
    },
    ai: env.AI_SETTINGS ? (JSON.parse(env.AI_SETTINGS) as object) : LOCAL_AI_DEMO,
  });
} catch (error) {
  // A missing Java is a setup step, not a bug: its message says what to install, with no stack trace.
  const detail = error instanceof JavaMissing ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`local stack failed to start: ${detail}\n`);
  process.exit(1);
}

// For the operator CLI's --local (e.g. `npm run bridge -- doctor --local`).
writeLocalStackFile();
process.on('exit', () => removeLocalStackFile());
process.stdout.write(
  `ready webhook=${stack.webhookUrl} push=${stack.pushUrl} sqs=${stack.sqsEndpoint} dynamodb=${stack.dynamodbEndpoint} greenhouse=${stack.greenhouse} beamery=${stack.beamery}\n`,
);
// The default key is a fixed local value, not a secret; a key of one's own is not echoed.
const pushKey = env.BEAMERY_PUSH_API_KEY === LOCAL_BEAMERY_PUSH_API_KEY ? LOCAL_BEAMERY_PUSH_API_KEY : '$BEAMERY_PUSH_API_KEY';
process.stdout.write(
  `push a Beamery contact: curl -X POST ${stack.pushUrl} -H "Authorization: Bearer ${pushKey}" -d '{"contactIds":["<contact id>"]}'\n`,
);
