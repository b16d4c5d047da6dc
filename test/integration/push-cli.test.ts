import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseEnvelope } from '#core/envelope';
import { MAX_PUSH_CONTACTS } from '#core/sync/beamery-messages';
import { SqsQueuePublisher } from '#adapters/queue/sqs-publisher';
import { ENV } from '#lambdas/config';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/defaults';
import { startSqsEmulator, type SqsEmulator } from '#local/emulators';
import { createQueues, type LocalResources } from '#local/resources';
import { queueDefinition } from '#lib/resource-definitions';
import { parseIdList, program, pushContacts, type PushDependencies } from '../../bin/bridge.ts';
import { drain } from '../support/queues.ts';

/**
 * `bridge push <contactId…> [--file ids.txt]` (bin/bridge.ts): the action function against the SQS
 * emulator, then the command itself as `npm run bridge -- push` parses it, with the environment the
 * local stack sets.
 */
let emulator: SqsEmulator;
let queues: LocalResources['queues'];
let dir: string;
let runs = 0;

beforeAll(async () => {
  emulator = await startSqsEmulator();
  dir = await mkdtemp(join(tmpdir(), 'push-cli-'));
});
afterAll(async () => {
  await emulator?.stop();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  queues = await createQueues(emulator, { prefix: `push-cli-${++runs}-` });
});

const deps = (deliveryId = 'run-1'): PushDependencies => ({
  publisher: new SqsQueuePublisher(emulator.sqs, (queue) => queues[queue].url),
  now: () => new Date('2026-11-23T10:00:00.000Z'),
  newDeliveryId: () => deliveryId,
});

const queued = async () => (await drain(emulator.sqs, queues['beamery-changes'].url)).map((m) => ({ envelope: parseEnvelope(m.Body!), attributes: m.Attributes }));

describe('bridge push', () => {
  it('queues one push per contact on beamery-changes, as POST /beamery/push does, and says how many', async () => {
    expect(await pushContacts(['c0ffee0000000000000a', 'c0ffee0000000000000b', 'c0ffee0000000000000a'], deps())).toEqual({ queued: 2, deliveryId: 'run-1' });
    const messages = await queued();
    expect(messages.map((m) => m.envelope)).toEqual(
      expect.arrayContaining(
        ['c0ffee0000000000000a', 'c0ffee0000000000000b'].map((id) => ({
          v: 1,
          kind: 'beamery.change',
          entityKey: `beamery#contact#${id}`,
          origin: 'push',
          observedAt: '2026-11-23T10:00:00.000Z',
          deliveryId: 'run-1',
          pushRequested: true,
        })),
      ),
    );
    expect(messages).toHaveLength(2);
    for (const { envelope, attributes } of messages) {
      expect(attributes?.['MessageGroupId']).toBe(envelope.entityKey);
      expect(attributes?.['MessageDeduplicationId']).toBe(`push:${envelope.entityKey.split('#')[2]}:run-1`);
    }
  });

  it(`queues a bulk list of more than ${MAX_PUSH_CONTACTS} in batches of at most ${MAX_PUSH_CONTACTS}`, async () => {
    const ids = Array.from({ length: MAX_PUSH_CONTACTS + 20 }, (_, i) => `bulk${i}`);
    const batches: number[] = [];
    const counting: PushDependencies = { ...deps(), publisher: { publish: async (messages) => void batches.push(messages.length) } };
    expect(await pushContacts(ids, counting)).toMatchObject({ queued: ids.length });
    expect(batches).toEqual([MAX_PUSH_CONTACTS, 20]);
  });

  it('queues nothing when any id is invalid, and names the bad ones', async () => {
    await expect(pushContacts(['c0ffee0000000000000a', 'jane@example.com', 'a b'], deps())).rejects.toThrow(
      /nothing queued: 2 of the ids are not Beamery contact ids: "jane@example.com", "a b"/,
    );
    await expect(pushContacts([], deps())).rejects.toThrow(/no contact ids/);
    expect(await queued()).toEqual([]);
  });

  it('reads an id file: one per line, blank lines and # comments skipped', () => {
    expect(parseIdList('# from the Beamery export\r\nc0ffee0000000000000a\n\n  c0ffee0000000000000b  \n#c0ffee0000000000000c\n')).toEqual([
      'c0ffee0000000000000a',
      'c0ffee0000000000000b',
    ]);
  });

  it('runs as `bridge push <id…> --file ids.txt --json` with the environment the local stack sets, printing a summary (a line of text without --json)', async () => {
    const file = join(dir, 'ids.txt');
    await writeFile(file, 'c0ffee0000000000000b\nc0ffee0000000000000c\n');
    const env = {
      [queueDefinition('beamery-changes').urlEnv]: queues['beamery-changes'].url,
      [ENV.runtime]: 'local',
      AWS_ENDPOINT_URL_SQS: emulator.sqsEndpoint,
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    };
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await program().parseAsync(['node', 'bridge', 'push', 'c0ffee0000000000000a', 'c0ffee0000000000000b', '--file', file, '--json']);
      const summary = JSON.parse(String(stdout.mock.calls.at(-1)![0])) as { queued: number; deliveryId: string };
      expect(summary).toEqual({ queued: 3, deliveryId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      expect(stdout).toHaveBeenCalledTimes(1);
      const messages = await queued();
      expect(messages.map((m) => m.envelope.entityKey).sort()).toEqual(
        ['c0ffee0000000000000a', 'c0ffee0000000000000b', 'c0ffee0000000000000c'].map((id) => `beamery#contact#${id}`),
      );
      for (const { envelope } of messages) expect(envelope).toMatchObject({ origin: 'push', pushRequested: true, deliveryId: summary.deliveryId });

      await program().parseAsync(['node', 'bridge', 'push', 'c0ffee0000000000000d']);
      const [again] = await queued();
      expect(String(stdout.mock.calls.at(-1)![0])).toBe(`queued 1 contact on beamery-changes for Greenhouse (delivery ${again!.envelope.deliveryId})\n`);
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
      vi.unstubAllEnvs();
    }
  });
});
