import { describe, expect, it, vi } from 'vitest';
import { extractResumeText } from '#adapters/resume-text';
import { resumeDocx, resumePdf } from '#local/resume-files';

/**
 * pdf.js and mammoth load the first time a file of their format is screened (resume-text.ts), so a
 * cold start that screens no PDF does not pay for pdf.js. Each library's module factory counts the
 * times it is evaluated; the real library is still what runs.
 */
const loaded = vi.hoisted(() => ({ unpdf: 0, mammoth: 0 }));
vi.mock('unpdf', async (importOriginal) => {
  loaded.unpdf++;
  return importOriginal();
});
vi.mock('mammoth', async (importOriginal) => {
  loaded.mammoth++;
  return importOriginal();
});

const LINES = ['Sam Fictional', 'Staff Software Engineer', 'Built an idempotent webhook pipeline on AWS Lambda and SQS FIFO queues'];

describe('resume parsers load on first use', () => {
  it('plain text loads neither; a DOCX loads mammoth only; a PDF then loads pdf.js', async () => {
    const text = await extractResumeText({ bytes: new TextEncoder().encode(LINES.join('\n')), contentType: 'text/plain' });
    expect(text.kind).toBe('text');
    expect(loaded).toEqual({ unpdf: 0, mammoth: 0 });

    const docx = await extractResumeText({ bytes: await resumeDocx(LINES) });
    expect(docx).toMatchObject({ kind: 'text', format: 'docx' });
    expect(loaded).toEqual({ unpdf: 0, mammoth: 1 });

    const pdf = await extractResumeText({ bytes: await resumePdf(LINES) });
    expect(pdf).toMatchObject({ kind: 'text', format: 'pdf' });
    expect(loaded).toEqual({ unpdf: 1, mammoth: 1 });
  });
});
