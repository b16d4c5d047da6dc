import { randomBytes } from 'node:crypto';
import type { Clock } from '#core/clock';

/**
 * Bearer tokens minted by `POST /v1/oauth/token`. They expire in simulated time, so a test can move
 * the clock past `expires_in` and watch the client re-mint. No refresh tokens: none are documented.
 */
export class TokenIssuer {
  private readonly tokens = new Map<string, number>();
  minted = 0;

  constructor(private readonly clock: Clock) {}

  mint(lifetimeSeconds: number): { token: string; expiresInSeconds: number } {
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, this.clock.now() + lifetimeSeconds * 1000);
    this.minted++;
    return { token, expiresInSeconds: lifetimeSeconds };
  }

  check(token: string | undefined): 'valid' | 'expired' | 'unknown' {
    if (!token) return 'unknown';
    const expiresAt = this.tokens.get(token);
    if (expiresAt === undefined) return 'unknown';
    if (this.clock.now() >= expiresAt) {
      this.tokens.delete(token);
      return 'expired';
    }
    return 'valid';
  }

  /** Revokes every token now (what a rotated secret or a server-side expiry looks like to clients). */
  revokeAll(): number {
    const count = this.tokens.size;
    this.tokens.clear();
    return count;
  }

  get active(): number {
    return this.tokens.size;
  }
}
