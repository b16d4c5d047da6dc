import { BEAMERY_ATTACHMENT_EXTENSIONS, BEAMERY_ATTACHMENT_MAX_BYTES } from '#core/beamery/records';
import type { Attachment } from '#core/greenhouse/records';

/**
 * Which Greenhouse attachments are copied to the Beamery contact. Seed: "By default, CV / Resumes and
 * Cover Letters are imported to Beamery, whereas other attachments are not", and "Greenhouse does
 * not notify Beamery when a new CV / Resume or Cover Letter is uploaded. However, when any other
 * profile data is updated, the new files are imported" (so every candidate reconcile re-selects, and
 * the Ledger's copy marks keep each attachment id copied once).
 *
 * Beamery's limits (attachment-limits.ts, a constants module without I/O): 25 MB and
 * .txt .doc .docx .pdf .jpg .jpeg .tif .png. v3 attachment metadata carries no size, so the size is
 * checked twice: here when the caller knows it, and by `attachmentSizeSkip` after the download.
 */

export const DEFAULT_COPIED_ATTACHMENT_TYPES: readonly string[] = ['resume', 'cover_letter'];

export interface AttachmentPolicy {
  /** Greenhouse attachment `type`s to copy (default resume and cover_letter). */
  readonly copiedTypes?: readonly string[];
  /** Applications left out of the sync (confidentialJobRule): their files stay in Greenhouse. */
  readonly excludedApplicationIds?: ReadonlySet<number>;
}

export type AttachmentSkipReason = 'application-excluded' | 'type-not-copied' | 'extension-not-allowed' | 'too-large' | 'empty';

export interface SkippedAttachment {
  readonly attachment: Attachment;
  readonly reason: AttachmentSkipReason;
}

export interface AttachmentSelection {
  /** In attachment-id order, so retries copy in the same order. */
  readonly copy: readonly Attachment[];
  readonly skipped: readonly SkippedAttachment[];
}

/** The file extension, lower-cased with its dot (`.pdf`), or '' without one. */
export function fileExtension(filename: string | null | undefined): string {
  const name = (filename ?? '').trim();
  const dot = name.lastIndexOf('.');
  return dot >= 0 ? name.slice(dot).toLowerCase() : '';
}

/** A skip reason for a known size, or undefined when the size is within Beamery's limits. */
export function attachmentSizeSkip(sizeBytes: number): 'too-large' | 'empty' | undefined {
  if (sizeBytes <= 0) return 'empty';
  if (sizeBytes > BEAMERY_ATTACHMENT_MAX_BYTES) return 'too-large';
  return undefined;
}

/**
 * Splits a candidate's attachments into those to copy and those skipped, each skip with its reason.
 * `sizesById` holds sizes already known (from a previous download), by attachment id.
 */
export function selectAttachments(
  attachments: readonly Attachment[],
  policy: AttachmentPolicy = {},
  sizesById: ReadonlyMap<number, number> = new Map(),
): AttachmentSelection {
  const copiedTypes = new Set(policy.copiedTypes ?? DEFAULT_COPIED_ATTACHMENT_TYPES);
  const allowedExtensions = new Set<string>(BEAMERY_ATTACHMENT_EXTENSIONS);
  const skipReason = (attachment: Attachment): AttachmentSkipReason | undefined => {
    if (attachment.application_id != null && policy.excludedApplicationIds?.has(attachment.application_id)) return 'application-excluded';
    if (!copiedTypes.has(attachment.type ?? '')) return 'type-not-copied';
    if (!allowedExtensions.has(fileExtension(attachment.filename))) return 'extension-not-allowed';
    const size = sizesById.get(attachment.id);
    return size === undefined ? undefined : attachmentSizeSkip(size);
  };
  const copy: Attachment[] = [];
  const skipped: SkippedAttachment[] = [];
  for (const attachment of [...attachments].sort((a, b) => a.id - b.id)) {
    const reason = skipReason(attachment);
    if (reason) skipped.push({ attachment, reason });
    else copy.push(attachment);
  }
  return { copy, skipped };
}
