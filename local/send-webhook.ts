import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { signGreenhouseBody } from '#core/webhooks/signature';
import { DEFAULT_WEBHOOK_PORT, LOCAL_WEBHOOK_SECRET, WEBHOOK_PATH } from './defaults.ts';
import { LOOPBACK_HOST, urlHost } from './listen-host.ts';

/**
 * Posts a webhook the way Greenhouse does: the file's bytes as they are (Greenhouse signs what it
 * sends, and re-serialising would change escaping and whitespace), signed with the shared secret,
 * with Greenhouse's headers.
 *
 *   npm run webhook -- <file.json> [--url U] [--secret S] [--event-id ID]
 */
export interface WebhookDelivery {
  readonly url: string;
  readonly body: Uint8Array;
  readonly secret: string;
  /** Greenhouse-Event-ID; a redelivery repeats the id of the first attempt. */
  readonly eventId?: string;
  /** Sends this Signature header instead of the correct one (for rejection tests). */
  readonly signature?: string;
}

export interface WebhookReply {
  readonly status: number;
  readonly body: string;
  readonly eventId: string;
}

/** Where `npm start` listens, from the same HOST and PORT. */
export function defaultWebhookUrl(env: NodeJS.ProcessEnv = process.env): string {
  return `http://${urlHost(env['HOST'] || LOOPBACK_HOST)}:${env['PORT'] || DEFAULT_WEBHOOK_PORT}${WEBHOOK_PATH}`;
}

export function defaultWebhookSecret(env: NodeJS.ProcessEnv = process.env): string {
  return env['GREENHOUSE_WEBHOOK_SECRET'] || LOCAL_WEBHOOK_SECRET;
}

export async function sendWebhook(delivery: WebhookDelivery): Promise<WebhookReply> {
  const eventId = delivery.eventId ?? randomUUID();
  const response = await fetch(delivery.url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Signature: delivery.signature ?? signGreenhouseBody(delivery.body, delivery.secret),
      'Greenhouse-Event-ID': eventId,
      'User-Agent': 'Greenhouse',
    },
    body: delivery.body,
  });
  return { status: response.status, body: await response.text(), eventId };
}

async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name('npm run webhook --')
    .description('Sign a Greenhouse webhook body and post it to the local stack')
    .argument('<file>', 'JSON body to send, byte for byte')
    .option('--url <url>', 'webhook endpoint', defaultWebhookUrl())
    .option('--secret <secret>', 'webhook secret key (GREENHOUSE_WEBHOOK_SECRET or the local default)', defaultWebhookSecret())
    .option('--event-id <id>', 'Greenhouse-Event-ID header (repeat one to imitate a redelivery)')
    .parse(argv);
  const [file] = program.args as [string];
  const options = program.opts<{ url: string; secret: string; eventId?: string }>();

  const reply = await sendWebhook({
    url: options.url,
    body: await readFile(file),
    secret: options.secret,
    ...(options.eventId ? { eventId: options.eventId } : {}),
  });
  process.stdout.write(`${reply.status} (Greenhouse-Event-ID ${reply.eventId})\n${reply.body}\n`);
  // Greenhouse treats anything but 200 as a failed delivery and retries it.
  return reply.status === 200 ? 0 : 1;
}

if (import.meta.main) {
  main(process.argv).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
