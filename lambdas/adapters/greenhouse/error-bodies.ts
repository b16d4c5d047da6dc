import type { ErrorDetail } from '../http/api-client.ts';

/**
 * Messages from Greenhouse error bodies for the typed errors (reference §4.1, §1.3):
 * `{"message": "...", "errors": ["text" | {"field": "text"}]}`; the token endpoint answers
 * `{"error": "invalid_client"}` or `{"message": "client_id=… does not contain…"}`. Values a body may
 * echo (backquoted values like `600`, `key=value` pairs, email addresses) are masked, so a message
 * can go into logs and error text. A 403 names the missing `harvest:<resource>:<action>` scope
 * when the body mentions one (the exact 403 body is not documented; searching it is robust).
 */
const SCOPE = /harvest:[a-z_]+:[a-z_]+/;

export function greenhouseErrorDetail(_status: number, body: unknown): ErrorDetail {
  const messages: string[] = [];
  let missingScope: string | undefined;
  const note = (text: string) => {
    missingScope ??= SCOPE.exec(text)?.[0];
    messages.push(mask(text));
  };
  if (body && typeof body === 'object') {
    const b = body as { message?: unknown; error?: unknown; errors?: unknown; missing_scopes?: unknown };
    if (Array.isArray(b.missing_scopes) && typeof b.missing_scopes[0] === 'string') missingScope = b.missing_scopes[0];
    if (Array.isArray(b.errors)) {
      for (const entry of b.errors) {
        if (typeof entry === 'string') note(entry);
        else if (entry && typeof entry === 'object') {
          for (const [field, text] of Object.entries(entry)) note(`${field}: ${typeof text === 'string' ? text : JSON.stringify(text)}`);
        }
      }
    }
    if (messages.length === 0) {
      if (typeof b.error === 'string') note(b.error);
      else if (typeof b.message === 'string') note(b.message);
    }
  } else if (typeof body === 'string' && body.length < 200 && !body.trimStart().startsWith('<')) {
    note(body);
  }
  return missingScope ? { messages, missingScope } : { messages };
}

export function mask(text: string): string {
  return text
    .replace(/`[^`]*`/g, '`…`')
    .replace(/\b([a-z_]+)=\S+/gi, '$1=…')
    .replace(/[^\s@]+@[^\s@]+/g, '…@…');
}
