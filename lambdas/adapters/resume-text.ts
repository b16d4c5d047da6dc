/**
 * Resume text from the downloaded file: text from PDF and DOCX with well-kept libraries; a scanned or
 * unreadable file is recorded as not screenable (docs/ai-governance.md), never guessed.
 *
 * PDF through unpdf (Mozilla's pdf.js, in a build that runs without a worker or a canvas;
 * pdf-text.ts), DOCX through mammoth (docx-text.ts), UTF-8 plain text as is. There is no OCR and no
 * best-effort recovery: a file that does not yield its own text is returned as `not-screenable` with
 * a reason, so the screening never scores a candidate on text that the candidate did not write.
 */
import { lazyModuleUrl } from './lazy-module.ts';

export type ResumeText =
  | { kind: 'text'; format: 'pdf' | 'docx' | 'text'; text: string; pages?: number }
  | {
      kind: 'not-screenable';
      reason: 'empty' | 'too-large' | 'unsupported-format' | 'unreadable' | 'no-text-layer';
      /** What the bytes were found to be (e.g. `pdf`, `doc`, `png`), when that is known. */
      format?: string;
    };

export interface ResumeFile {
  readonly bytes: Uint8Array;
  /** As the download reported it; only consulted for plain text, which has no magic bytes. */
  readonly contentType?: string | null;
  readonly filename?: string;
}

/** Files over this are refused before any parsing: a resume is rarely over 2 MiB, and the parsers hold the whole file in memory. */
export const MAX_RESUME_BYTES = 10 * 1024 * 1024;

/** The text handed on is cut here: about 15 dense pages, far more than a resume, and a bound on the prompt. */
export const MAX_RESUME_TEXT_CHARS = 60_000;

/**
 * A PDF with more pages is not a resume (a portfolio, a thesis), and pdf.js reads every page at
 * once; a few hundred bytes make a page, so the byte cap alone would allow tens of thousands.
 */
export const MAX_PDF_PAGES = 100;

/**
 * Below this many letters per page, on average over the document, a PDF is taken as a scan with no
 * real text layer. A resume page that was typed carries hundreds to thousands of letters (a sparse
 * one-page resume still has 800 or more); a scanned one often carries a few dozen from a scanner's
 * header, a "Page 1 of 2", a watermark or a name typed over the image. Forty letters is under one
 * short line, so no page of real content falls below it, and averaging keeps a blank trailing page
 * in a typed resume from tipping it. Letters only (`\p{L}`): the private-use and control characters
 * that fonts without a Unicode map produce do not count as text.
 */
export const MIN_PDF_LETTERS_PER_PAGE = 40;

/** A DOCX whose main part inflates beyond this is refused: mammoth parses it whole, so a zip bomb would take the Lambda's memory. */
const MAX_DOCX_DOCUMENT_XML_BYTES = 64 * 1024 * 1024;

type Detected =
  | { readonly format: 'pdf' }
  | { readonly format: 'docx'; readonly documentXmlBytes?: number }
  | { readonly format: 'text' }
  | { readonly format: 'unsupported'; readonly found?: string };

export async function extractResumeText(file: ResumeFile): Promise<ResumeText> {
  const { bytes } = file;
  if (bytes.length > MAX_RESUME_BYTES) return notScreenable('too-large');
  if (bytes.length === 0) return notScreenable('empty');

  const detected = detect(file);
  switch (detected.format) {
    case 'pdf':
      return fromPdf(bytes);
    case 'docx':
      if ((detected.documentXmlBytes ?? 0) > MAX_DOCX_DOCUMENT_XML_BYTES) return notScreenable('too-large', 'docx');
      return fromDocx(bytes);
    case 'text':
      return fromPlainText(bytes);
    case 'unsupported':
      return notScreenable('unsupported-format', detected.found);
  }
}

async function fromPdf(bytes: Uint8Array): Promise<ResumeText> {
  const { readPdfText } = await loadPdfText();
  const reading = await readPdfText(bytes, MAX_PDF_PAGES);
  if (reading.outcome === 'too-many-pages') return notScreenable('too-large', 'pdf');
  if (reading.outcome === 'unreadable') return notScreenable('unreadable', 'pdf');
  const { pages } = reading;
  const text = normalise(reading.text);
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  if (letters < MIN_PDF_LETTERS_PER_PAGE * Math.max(pages, 1)) return notScreenable('no-text-layer', 'pdf');
  return { kind: 'text', format: 'pdf', text: cap(text), pages };
}

// The parsers are most of the AI function's code (pdf.js about 1.5 MB minified; mammoth with its zip
// and XML libraries about 0.3 MB): each loads the first time a file of its format is screened, not at
// every cold start (lazy-module.ts).
const loadPdfText = (): Promise<typeof import('./pdf-text.ts')> => import(lazyModuleUrl(import.meta.url, './pdf-text.ts', './pdf-text.mjs'));
const loadDocxText = (): Promise<typeof import('./docx-text.ts')> => import(lazyModuleUrl(import.meta.url, './docx-text.ts', './docx-text.mjs'));

async function fromDocx(bytes: Uint8Array): Promise<ResumeText> {
  const { readDocxText } = await loadDocxText();
  const raw = await readDocxText(bytes);
  if (raw === undefined) return notScreenable('unreadable', 'docx');
  // mammoth ends every paragraph with a blank line; a paragraph is a line here, so an empty
  // paragraph (the author's own spacing) is what remains a blank line.
  const text = normalise(raw.replace(/\n\n/g, '\n'));
  if (!text) return notScreenable('empty', 'docx');
  return { kind: 'text', format: 'docx', text: cap(text) };
}

function fromPlainText(bytes: Uint8Array): ResumeText {
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Not UTF-8 (Latin-1, UTF-16): decoding it anyway would be guessing the encoding.
    return notScreenable('unreadable', 'text');
  }
  // A replacement character already in the file, or a NUL, means an earlier lossy conversion or binary data.
  if (/[\uFFFD\u0000]/.test(decoded)) return notScreenable('unreadable', 'text');
  const text = normalise(decoded);
  if (!text) return notScreenable('empty', 'text');
  return { kind: 'text', format: 'text', text: cap(text) };
}

/**
 * The bytes decide before the name or content type do: candidates rename files, and uploaders
 * label them `application/octet-stream` or worse. Only plain text, which has no signature, is
 * taken on its label.
 */
function detect(file: ResumeFile): Detected {
  const b = file.bytes;
  const startsWith = (...sig: number[]): boolean => sig.every((v, i) => b[i] === v);
  const ascii = (from: number, to: number): string => String.fromCharCode(...b.subarray(from, to));

  // Acrobat accepts the header anywhere in the first 1024 bytes (some generators prepend junk), and so does pdf.js.
  if (indexOf(b, PDF_SIGNATURE, 0, 1024 + PDF_SIGNATURE.length) >= 0) return { format: 'pdf' };
  if (startsWith(0x50, 0x4b, 0x03, 0x04)) {
    const entries = zipEntries(b);
    if (entries) {
      const document = entries.get('word/document.xml');
      return document === undefined ? { format: 'unsupported', found: 'zip' } : { format: 'docx', documentXmlBytes: document };
    }
    // No readable central directory (a truncated download): the local headers still name the parts,
    // and a DOCX that mammoth then cannot open is `unreadable`, which is the truth about it.
    return indexOf(b, WORD_DOCUMENT_XML, 0, b.length) >= 0 ? { format: 'docx' } : { format: 'unsupported', found: 'zip' };
  }
  if (startsWith(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) return { format: 'unsupported', found: 'doc' };
  if (ascii(0, 5) === '{\\rtf') return { format: 'unsupported', found: 'rtf' };
  if (startsWith(0x89, 0x50, 0x4e, 0x47)) return { format: 'unsupported', found: 'png' };
  if (startsWith(0xff, 0xd8, 0xff)) return { format: 'unsupported', found: 'jpeg' };
  if (ascii(0, 4) === 'GIF8') return { format: 'unsupported', found: 'gif' };
  if (startsWith(0x49, 0x49, 0x2a, 0x00) || startsWith(0x4d, 0x4d, 0x00, 0x2a)) return { format: 'unsupported', found: 'tiff' };
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return { format: 'unsupported', found: 'webp' };
  if (ascii(4, 8) === 'ftyp') return { format: 'unsupported', found: /^(hei|hev|mif|avi)/.test(ascii(8, 12)) ? 'heic' : 'iso-media' };

  const mediaType = file.contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType === 'text/plain' || /\.txt$/i.test(file.filename ?? '')) return { format: 'text' };
  return { format: 'unsupported' };
}

const PDF_SIGNATURE = new TextEncoder().encode('%PDF-');
const WORD_DOCUMENT_XML = new TextEncoder().encode('word/document.xml');

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number, to: number): number {
  const last = Math.min(to, haystack.length) - needle.length;
  outer: for (let i = from; i <= last; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/**
 * The names in a ZIP's central directory with their declared uncompressed sizes, or undefined when
 * there is no well-formed directory (truncated, ZIP64). Read by hand: the format is a few fixed
 * little-endian records, and it is only used to tell a DOCX from other ZIPs and to refuse a bomb
 * before mammoth inflates it.
 */
function zipEntries(b: Uint8Array): Map<string, number> | undefined {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  // The end-of-central-directory record is 22 bytes plus a comment of up to 65535.
  const earliest = Math.max(0, b.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = b.length - 22; i >= earliest; i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return undefined;
  const count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  const entries = new Map<string, number>();
  const decoder = new TextDecoder();
  for (let n = 0; n < count; n++) {
    if (at + 46 > b.length || view.getUint32(at, true) !== 0x02014b50) return undefined;
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const next = at + 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    if (next > b.length) return undefined;
    entries.set(decoder.decode(b.subarray(at + 46, at + 46 + nameLength)), size);
    at = next;
  }
  return entries;
}

/**
 * One line per line as the library gave it, with runs of spaces collapsed, each line trimmed and
 * at most one blank line in a row: what a reader (or a model) needs, without the layout padding.
 */
function normalise(text: string): string {
  return text
    .replace(/\r\n?|[\u2028\u2029\f\v]/g, '\n')
    // Invisible characters that split words for a reader but not on the page.
    .replace(/[\u00ad\u200b\u2060\ufeff]/g, '')
    .replace(/[\u0000-\u0008\u000e-\u001f\u007f]/g, ' ')
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function cap(text: string): string {
  if (text.length <= MAX_RESUME_TEXT_CHARS) return text;
  let cut = text.slice(0, MAX_RESUME_TEXT_CHARS);
  // Never end on half of a surrogate pair.
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return cut.trimEnd();
}

function notScreenable(reason: Extract<ResumeText, { kind: 'not-screenable' }>['reason'], format?: string): ResumeText {
  return format === undefined ? { kind: 'not-screenable', reason } : { kind: 'not-screenable', reason, format };
}
