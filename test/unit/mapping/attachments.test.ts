import { describe, expect, it } from 'vitest';
import { attachmentSizeSkip, fileExtension, selectAttachments, type AttachmentPolicy, type AttachmentSkipReason } from '#core/mapping/attachments';
import type { Attachment } from '#core/greenhouse/records';
import { attachment } from './fixtures.ts';

const MB = 1024 * 1024;

interface Row {
  readonly rule: string;
  readonly file: Attachment;
  readonly policy?: AttachmentPolicy;
  readonly sizeBytes?: number;
  readonly expected: 'copy' | AttachmentSkipReason;
}

const RULES: readonly Row[] = [
  { rule: 'By default, CV / Resumes are imported to Beamery', file: attachment({ id: 1, type: 'resume' }), expected: 'copy' },
  { rule: 'By default, Cover Letters are imported to Beamery', file: attachment({ id: 2, type: 'cover_letter', filename: 'letter.docx' }), expected: 'copy' },
  { rule: 'other attachments are not (offer letters)', file: attachment({ id: 3, type: 'offer_letter' }), expected: 'type-not-copied' },
  { rule: 'other attachments are not (take-home tests)', file: attachment({ id: 4, type: 'take_home_test' }), expected: 'type-not-copied' },
  { rule: 'the copied types are configurable', file: attachment({ id: 5, type: 'other', filename: 'portfolio.png' }), policy: { copiedTypes: ['resume', 'other'] }, expected: 'copy' },
  { rule: "Beamery's allowed types: .txt .doc .docx .pdf .jpg .jpeg .tif .png (any case)", file: attachment({ id: 6, filename: 'SCAN.TIF' }), expected: 'copy' },
  { rule: 'a file type Beamery does not allow is skipped', file: attachment({ id: 7, filename: 'cv.pages' }), expected: 'extension-not-allowed' },
  { rule: 'a file without an extension is skipped', file: attachment({ id: 8, filename: 'resume' }), expected: 'extension-not-allowed' },
  { rule: 'a file of exactly 25 MB is copied', file: attachment({ id: 9 }), sizeBytes: 25 * MB, expected: 'copy' },
  { rule: 'a file over 25 MB is skipped', file: attachment({ id: 10 }), sizeBytes: 25 * MB + 1, expected: 'too-large' },
  { rule: 'an empty file is skipped', file: attachment({ id: 11 }), sizeBytes: 0, expected: 'empty' },
  {
    rule: 'a file of an application left out of the sync stays in Greenhouse',
    file: attachment({ id: 12, application_id: 5002 }),
    policy: { excludedApplicationIds: new Set([5002]) },
    expected: 'application-excluded',
  },
];

describe('Contact Attachment: which Greenhouse attachments are copied', () => {
  for (const { rule, file, policy, sizeBytes, expected } of RULES) {
    it(rule, () => {
      const sizes = new Map(sizeBytes === undefined ? [] : [[file.id, sizeBytes]]);
      const selection = selectAttachments([file], policy, sizes);
      if (expected === 'copy') {
        expect(selection).toEqual({ copy: [file], skipped: [] });
      } else {
        expect(selection).toEqual({ copy: [], skipped: [{ attachment: file, reason: expected }] });
      }
    });
  }

  it('selects in attachment-id order', () => {
    const selection = selectAttachments([attachment({ id: 30 }), attachment({ id: 10 }), attachment({ id: 20, type: 'other' })]);
    expect(selection.copy.map((a) => a.id)).toEqual([10, 30]);
    expect(selection.skipped.map((s) => s.attachment.id)).toEqual([20]);
  });

  it('the size is checked again once the file is downloaded (v3 metadata has no size)', () => {
    expect(attachmentSizeSkip(3 * MB)).toBeUndefined();
    expect(attachmentSizeSkip(26 * MB)).toBe('too-large');
    expect(fileExtension('  My CV.Final.PDF ')).toBe('.pdf');
    expect(fileExtension(null)).toBe('');
  });
});
