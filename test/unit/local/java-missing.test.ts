import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JavaMissing, startDynamoDbLocal } from '#local/dynamodb-local';
import { npmStartExit } from '../../support/npm-start-exit.ts';

/** Without Java on the PATH, DynamoDB Local cannot run: the local stack says what to install. */
let noJava: string;
beforeAll(async () => {
  noJava = await mkdtemp(join(tmpdir(), 'no-java-'));
});
afterAll(async () => {
  await rm(noJava, { recursive: true, force: true });
});

describe('a machine without Java', () => {
  it('startDynamoDbLocal fails with JavaMissing, naming what to install, not spawn ENOENT', async () => {
    const path = process.env['PATH'];
    process.env['PATH'] = noJava;
    try {
      const error = await startDynamoDbLocal().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(JavaMissing);
      expect((error as Error).message).toMatch(/Java 17 or newer[\s\S]*apt-get install openjdk-17-jdk-headless[\s\S]*brew install openjdk@17/);
    } finally {
      process.env['PATH'] = path;
    }
  });

  it('npm start exits 1 with that message and no stack trace', async () => {
    const { code, stderr } = await npmStartExit({
      ...process.env,
      PATH: noJava,
      PORT: '0',
      LOCAL_SQS_PORT: '0',
      LOCAL_DYNAMODB_PORT: '0',
      GREENHOUSE_SIM_PORT: '0',
      BEAMERY_SIM_PORT: '0',
      LOCAL_STACK_FILE: join(noJava, 'running-stack.json'),
    });
    expect(code).toBe(1);
    expect(stderr).toContain('local stack failed to start: Java was not found on the PATH');
    expect(stderr).toContain('https://adoptium.net');
    expect(stderr).not.toMatch(/ENOENT|\n\s+at /);
  }, 60_000);
});
