import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../shared/clock.ts';

/**
 * Attachment `url`s: time-limited signed links, like the S3 presigned URLs Greenhouse hands out,
 * which expire after 7 days [H] and need no Authorization header [M] (reference §4.7). The
 * simulator serves them itself under `/s3/…`, so a client can prove it downloads right away.
 */
export const ATTACHMENT_PATH_PREFIX = '/s3/attachments';
export const DEFAULT_ATTACHMENT_URL_TTL_SECONDS = 7 * 24 * 3600;

export class AttachmentLinks {
  private readonly key = randomBytes(32);

  constructor(
    private readonly clock: Clock,
    public ttlSeconds = DEFAULT_ATTACHMENT_URL_TTL_SECONDS,
  ) {}

  url(origin: string, attachmentId: number, filename: string): string {
    const expires = Math.floor(this.clock.now() / 1000) + this.ttlSeconds;
    const signature = this.sign(attachmentId, expires);
    return `${origin}${ATTACHMENT_PATH_PREFIX}/${attachmentId}/${encodeURIComponent(filename)}?Expires=${expires}&Signature=${signature}`;
  }

  /** `expired` and `invalid` are both 403, as S3 answers them. */
  check(attachmentId: number, expires: string | undefined, signature: string | undefined): 'ok' | 'expired' | 'invalid' {
    const exp = Number(expires);
    if (!Number.isInteger(exp) || !signature) return 'invalid';
    const expected = Buffer.from(this.sign(attachmentId, exp));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid';
    return this.clock.now() / 1000 > exp ? 'expired' : 'ok';
  }

  private sign(attachmentId: number, expires: number): string {
    return createHmac('sha256', this.key).update(`${attachmentId}:${expires}`).digest('base64url');
  }
}
