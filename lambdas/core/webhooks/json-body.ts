/**
 * Reading a verified webhook body as a JSON object, within limits every later step can meet.
 *
 * `JSON.parse` reads any depth, but `JSON.stringify` (re-encoding a payload that travels with its
 * message) and any recursive walk overflow the stack somewhere past a few thousand levels, at a depth
 * that depends on the runtime's stack. A fixed limit far below that makes the outcome the same
 * everywhere; Greenhouse's own payloads nest about six levels.
 */
export const MAX_JSON_NESTING = 64;

export type JsonObjectBody =
  | { readonly ok: true; readonly value: Record<string, unknown> }
  | { readonly ok: false; readonly detail: string };

export function readJsonObject(rawBody: Buffer): JsonObjectBody {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(rawBody);
  } catch {
    return { ok: false, detail: 'body is not UTF-8' };
  }
  // Checked before parsing, so a body of nested brackets is never built in memory.
  if (nestsDeeperThan(text, MAX_JSON_NESTING)) return { ok: false, detail: `body nests deeper than ${MAX_JSON_NESTING} levels` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, detail: 'body is not a JSON object' };
  }
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
    ? { ok: true, value: parsed as Record<string, unknown> }
    : { ok: false, detail: 'body is not a JSON object' };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPENERS = new Set([0x5b, 0x7b]);
const CLOSERS = new Set([0x5d, 0x7d]);

/** Bracket depth outside string literals; on text that is not JSON the answer only has to be safe. */
function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (OPENERS.has(c)) {
      if (++depth > limit) return true;
    } else if (CLOSERS.has(c)) depth--;
  }
  return false;
}
