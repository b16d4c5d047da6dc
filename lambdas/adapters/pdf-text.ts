/**
 * The text of a PDF through unpdf (Mozilla's pdf.js, in a build that runs without a worker or a
 * canvas). Kept apart from resume-text.ts, which imports it only when a PDF is screened: pdf.js is
 * most of the AI function's code, and a cold start that screens no PDF should not load it.
 */
import { extractText, getDocumentProxy } from 'unpdf';

export type PdfReading =
  | { readonly outcome: 'read'; readonly pages: number; readonly text: string }
  | { readonly outcome: 'too-many-pages' }
  | { readonly outcome: 'unreadable' };

export async function readPdfText(bytes: Uint8Array, maxPages: number): Promise<PdfReading> {
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>> | undefined;
  try {
    // A copy: pdf.js may take ownership of (detach) the array it is given, and it refuses a Buffer.
    pdf = await getDocumentProxy(new Uint8Array(bytes), {
      // Errors only: pdf.js warns on console about recoverable damage, which says nothing useful in our logs.
      verbosity: 0,
      // Text only: no font is ever loaded for rendering.
      disableFontFace: true,
      useSystemFonts: false,
    });
    const pages = pdf.numPages;
    if (pages > maxPages) return { outcome: 'too-many-pages' };
    const { text } = await extractText(pdf, { mergePages: true });
    return { outcome: 'read', pages, text };
  } catch {
    // Damaged, truncated, or encrypted with a password we do not have. The library's message is not
    // passed on: the caller records the reason, and a retry would fail the same way.
    return { outcome: 'unreadable' };
  } finally {
    await pdf?.loadingTask.destroy().catch(() => undefined);
  }
}
