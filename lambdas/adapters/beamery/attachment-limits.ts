import { AttachmentRejected } from './errors.ts';
import { BEAMERY_ATTACHMENT_EXTENSIONS, BEAMERY_ATTACHMENT_MAX_BYTES, type AttachmentUpload } from '#core/beamery/records';

/** Checked before any upload, so an oversized resume fails fast and costs no request. */

const CONTENT_TYPES: Record<string, string> = {
  '.txt': 'text/plain',
  '.doc': 'application/msword',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.pdf': 'application/pdf',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.tif': 'image/tiff',
  '.png': 'image/png',
};

/** Throws AttachmentRejected when Beamery would refuse the file; returns the content type to send. */
export function checkAttachment(file: AttachmentUpload, operation: string): string {
  const dot = file.fileName.lastIndexOf('.');
  const extension = dot >= 0 ? file.fileName.slice(dot).toLowerCase() : '';
  if (!(BEAMERY_ATTACHMENT_EXTENSIONS as readonly string[]).includes(extension)) {
    throw new AttachmentRejected(operation, 'type-not-allowed', `allowed: ${BEAMERY_ATTACHMENT_EXTENSIONS.join(' ')}`);
  }
  if (file.bytes.byteLength === 0) throw new AttachmentRejected(operation, 'empty', 'the file has no bytes');
  if (file.bytes.byteLength > BEAMERY_ATTACHMENT_MAX_BYTES) {
    throw new AttachmentRejected(operation, 'too-large', `${file.bytes.byteLength} bytes > ${BEAMERY_ATTACHMENT_MAX_BYTES}`);
  }
  return file.contentType ?? CONTENT_TYPES[extension]!;
}
