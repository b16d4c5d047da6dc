import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { parseS3Prefix, type CompanyCorpus, type CorpusDocument } from '#core/ai/jd/ports';

/**
 * The company's own texts (values, benefits, EEO statement) that job-description drafts draw on: a
 * folder for the local stack and the tests, an S3 prefix for a deployment. Only Markdown and plain
 * text files are read (`*.md`, `*.txt`), sorted by name so every run sees them in the same order, each
 * named by its file name (a claim's source is `corpus:<name>`). Read on every run: a company that
 * edits its benefits page is drafted from the new one at once, and the corpus is a handful of files.
 */

/** Files larger than this are not company texts a draft should quote; they are skipped. */
export const MAX_DOCUMENT_BYTES = 200_000;
/** At most this many documents are read. */
export const MAX_DOCUMENTS = 50;

const isText = (name: string) => /\.(?:md|txt)$/i.test(name);
const byName = (a: CorpusDocument, b: CorpusDocument) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The `*.md` and `*.txt` files directly in `dir`. A missing folder is an error: a typo must not draft from nothing. */
export function folderCorpus(dir: string): CompanyCorpus {
  return {
    async documents() {
      const entries = await readdir(dir, { withFileTypes: true });
      const files = entries.filter((e) => e.isFile() && isText(e.name)).map((e) => e.name).sort().slice(0, MAX_DOCUMENTS);
      const documents = await Promise.all(files.map(async (name) => ({ name, text: (await readFile(join(dir, name), 'utf8')).slice(0, MAX_DOCUMENT_BYTES) })));
      return documents.sort(byName);
    },
  };
}

/** The `*.md` and `*.txt` objects under an S3 prefix (not in deeper "folders"), named by the key's last part. */
export function s3Corpus(client: S3Client, uri: string): CompanyCorpus {
  const { bucket, prefix } = parseS3Prefix(uri);
  return {
    async documents() {
      const keys: { key: string; size: number }[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/', ...(token ? { ContinuationToken: token } : {}) }));
        for (const o of page.Contents ?? []) if (o.Key && isText(o.Key)) keys.push({ key: o.Key, size: o.Size ?? 0 });
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token && keys.length < MAX_DOCUMENTS);
      const wanted = keys.filter((k) => k.size <= MAX_DOCUMENT_BYTES).slice(0, MAX_DOCUMENTS);
      const documents = await Promise.all(
        wanted.map(async ({ key }) => {
          const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
          return { name: key.slice(key.lastIndexOf('/') + 1), text: (await object.Body?.transformToString('utf8')) ?? '' };
        }),
      );
      return documents.sort(byName);
    },
  };
}
