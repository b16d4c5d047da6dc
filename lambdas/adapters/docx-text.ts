/**
 * The raw text of a DOCX through mammoth. Kept apart from resume-text.ts, which imports it only when
 * a DOCX is screened: mammoth and its zip and XML libraries are a third of the AI function's code
 * without pdf.js, and a cold start that screens no DOCX should not load them.
 */
import mammoth from 'mammoth';

/** mammoth's text (a blank line after every paragraph), or undefined when it cannot open the file. */
export async function readDocxText(bytes: Uint8Array): Promise<string | undefined> {
  try {
    const result = await mammoth.extractRawText({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
    return result.value;
  } catch {
    return undefined;
  }
}
