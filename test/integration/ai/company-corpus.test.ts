import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { folderCorpus, s3Corpus } from '#adapters/ai/company-corpus';
import { parseS3Prefix } from '#core/ai/jd/ports';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/defaults';
import { startSqsEmulator, type SqsEmulator } from '#local/emulators';

/**
 * The company corpus adapters: the folder the local stack reads (the sample in local/company-corpus/
 * and a made-up one), and the S3 prefix a deployment reads, against fauxqs's S3.
 */
describe('folderCorpus', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'corpus-'));
    await writeFile(join(dir, 'values.md'), '# Values\n\nClear over clever.\n');
    await writeFile(join(dir, 'benefits.txt'), '- 25 days of paid vacation\n');
    await writeFile(join(dir, 'logo.png'), 'not text');
    await mkdir(join(dir, 'archive'));
    await writeFile(join(dir, 'archive', 'old-benefits.md'), '- a perk long gone\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads the Markdown and text files directly in the folder, by name, and nothing else', async () => {
    expect(await folderCorpus(dir).documents()).toEqual([
      { name: 'benefits.txt', text: '- 25 days of paid vacation\n' },
      { name: 'values.md', text: '# Values\n\nClear over clever.\n' },
    ]);
  });

  it('reads the sample corpus the local stack uses', async () => {
    const documents = await folderCorpus(join(import.meta.dirname, '../../../local/company-corpus')).documents();
    expect(documents.map((d) => d.name)).toEqual(['benefits.md', 'eeo.md', 'values.md']);
    expect(documents.find((d) => d.name === 'benefits.md')!.text).toMatch(/^- /m);
  });

  it('fails on a folder that is not there, rather than drafting from nothing', async () => {
    await expect(folderCorpus(join(dir, 'missing')).documents()).rejects.toThrow(/ENOENT/);
  });
});

describe('s3Corpus (fauxqs S3)', () => {
  let emulator: SqsEmulator;
  let s3: S3Client;
  const bucket = 'fernleaf-company-texts';

  beforeAll(async () => {
    emulator = await startSqsEmulator();
    s3 = new S3Client({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: emulator.sqsEndpoint, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const put = (Key: string, Body: string) => s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body }));
    await put('corpus/values.md', '# Values\n\nClear over clever.\n');
    await put('corpus/benefits.md', '- 25 days of paid vacation\n');
    await put('corpus/brand.pdf', '%PDF');
    await put('corpus/archive/old.md', '- a perk long gone\n');
    await put('other/eeo.md', 'not in the prefix');
  });
  afterAll(async () => {
    s3?.destroy();
    await emulator?.stop();
  });

  it('reads the Markdown and text objects directly under the prefix, named by their file name', async () => {
    expect(await s3Corpus(s3, `s3://${bucket}/corpus/`).documents()).toEqual([
      { name: 'benefits.md', text: '- 25 days of paid vacation\n' },
      { name: 'values.md', text: '# Values\n\nClear over clever.\n' },
    ]);
  });

  it('parses the prefix URI', () => {
    expect(parseS3Prefix('s3://b/x/y/')).toEqual({ bucket: 'b', prefix: 'x/y/' });
    expect(parseS3Prefix('s3://b')).toEqual({ bucket: 'b', prefix: '' });
    expect(() => parseS3Prefix('b/x')).toThrow(/not an S3 prefix/);
  });
});
