import type { ErrorDetail } from '#adapters/http/api-client';

/**
 * Beamery's error bodies. LOW: the only public example (S4, a 400 on invalid JSON) has top-level
 * `code` and `message`; the docs count a change of error format as breaking (S2), so a stable format
 * exists but is unpublished. Read `{code?, message?, error?, errors?}` defensively. Messages can echo
 * what was sent, so anything that looks like an email address or a phone number is redacted before a
 * message travels on in a typed error (and from there, possibly, into a log).
 */
export function beameryErrorDetail(_status: number, body: unknown): ErrorDetail {
  if (!body || typeof body !== 'object') return { messages: [] };
  const b = body as Record<string, unknown>;
  const messages: string[] = [];
  const add = (value: unknown) => {
    if (typeof value === 'string' && value.trim() !== '') messages.push(redact(value));
    else if (value && typeof value === 'object') {
      const o = value as Record<string, unknown>;
      const text = typeof o['message'] === 'string' ? o['message'] : undefined;
      const field = [o['field'], o['path'], o['param']].find((v) => typeof v === 'string') as string | undefined;
      if (text) messages.push(redact(field ? `${field}: ${text}` : text));
    }
  };
  add(b['message']);
  add(b['error']);
  if (Array.isArray(b['errors'])) for (const e of b['errors']) add(e);
  return { messages: messages.slice(0, 10) };
}

const EMAIL = /[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+\.[A-Za-z]{2,}/g;
const PHONE = /\+?\d[\d\s().-]{6,}\d/g;

export function redact(message: string): string {
  return message.replace(EMAIL, '[email]').replace(PHONE, '[number]').slice(0, 300);
}
