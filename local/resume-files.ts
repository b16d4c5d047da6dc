/**
 * Resume files made on demand for the tests, the local stack and the evaluation set: a text PDF, a
 * "scanned" PDF with no text layer, and a DOCX. Generated rather than checked in so that every
 * fixture is fictional, reviewable as code, and shaped by the caller's lines.
 */
import { crc32, deflateSync } from 'node:zlib';
import { Document, Packer, Paragraph, TextRun } from 'docx';
import { PDFDocument, StandardFonts, type PDFFont, type PDFPage, rgb } from 'pdf-lib';

// US Letter in points; the margins and leading of a plain one-column resume.
const PAGE_WIDTH = 612;
const PAGE_HEIGHT = 792;
const MARGIN = 54;
const FONT_SIZE = 11;
const LEADING = 15;
const TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN;

export interface ResumePdfOptions {
  /**
   * Spread the lines evenly over at least this many pages (a page still overflows onto the next
   * when its share does not fit). Without it, pages start only when one fills.
   */
  readonly pages?: number;
}

/**
 * A PDF with a real text layer: one drawn line per line given, long lines wrapped at word
 * boundaries, in the standard Helvetica (no font embedded, as many resume exporters do).
 */
export async function resumePdf(lines: readonly string[], options: ResumePdfOptions = {}): Promise<Uint8Array> {
  // No creation or modification dates: the same lines give the same bytes, so evaluation-set files are reproducible.
  const pdf = await PDFDocument.create({ updateMetadata: false });
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const drawable = winAnsiFilter(font);
  const wanted = Math.max(1, Math.floor(options.pages ?? 1));
  const groups: string[][] = Array.from({ length: wanted }, () => []);
  lines.forEach((line, i) => groups[Math.floor((i * wanted) / Math.max(lines.length, 1))]!.push(line));

  for (const group of groups) {
    let page = pdf.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
    let y = PAGE_HEIGHT - MARGIN - FONT_SIZE;
    const nextLine = (): PDFPage => {
      y -= LEADING;
      if (y < MARGIN) {
        page = pdf.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
        y = PAGE_HEIGHT - MARGIN - FONT_SIZE;
      }
      return page;
    };
    let first = true;
    for (const line of group) {
      for (const visual of wrap(drawable(line), font)) {
        const target = first ? page : nextLine();
        first = false;
        if (visual) target.drawText(visual, { x: MARGIN, y, size: FONT_SIZE, font, color: rgb(0, 0, 0) });
      }
    }
  }
  return pdf.save();
}

/**
 * A PDF as a scanner makes it: each page one full-page image (grey bars where the text would be)
 * and no text operators at all, so a text extractor finds nothing.
 */
export async function scannedPdf(options: { pages?: number } = {}): Promise<Uint8Array> {
  const pdf = await PDFDocument.create({ updateMetadata: false });
  const image = await pdf.embedPng(scannedPagePng());
  for (let i = 0; i < Math.max(1, options.pages ?? 1); i++) {
    const page = pdf.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
    page.drawImage(image, { x: 0, y: 0, width: PAGE_WIDTH, height: PAGE_HEIGHT });
  }
  return pdf.save();
}

/** A DOCX with one paragraph per line (an empty string is an empty paragraph). */
export async function resumeDocx(lines: readonly string[]): Promise<Uint8Array> {
  const doc = new Document({
    sections: [{ children: lines.map((line) => new Paragraph({ children: line ? [new TextRun(line)] : [] })) }],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}

/**
 * A greyscale PNG of a scanned resume page at about 50 dpi: white paper with dark bars of varying
 * length in the rhythm of text lines. Deterministic, so the bytes are the same on every run.
 */
export function scannedPagePng(): Uint8Array {
  const width = 425;
  const height = 550;
  // Each row is one filter byte (0, none) then one byte per pixel.
  const raw = new Uint8Array(height * (width + 1)).fill(0xff);
  for (let row = 0; row < height; row++) raw[row * (width + 1)] = 0;
  let seed = 7;
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let top = 40, line = 0; top < height - 40; top += 11, line++) {
    if (line % 6 === 5) continue; // a gap between sections
    const length = Math.floor((width - 80) * (0.4 + 0.6 * next()));
    for (let y = top; y < top + 6; y++) {
      for (let x = 38; x < 38 + length; x++) raw[y * (width + 1) + 1 + x] = 0x30 + Math.floor(next() * 0x40);
    }
  }
  return png(width, height, raw);
}

function png(width: number, height: number, filteredRows: Uint8Array): Uint8Array {
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale, deflate, adaptive filtering, no interlace
  const chunks = [chunk('IHDR', header), chunk('IDAT', deflateSync(filteredRows)), chunk('IEND', new Uint8Array(0))];
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ...chunks]);
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * The standard fonts draw only WinAnsi (Windows-1252) characters and pdf-lib throws on anything
 * else. Keep what the font has, fall back to the base letter for accented ones it lacks (ő → o),
 * and draw '?' for the rest, so a fixture with any text still renders.
 */
function winAnsiFilter(font: PDFFont): (text: string) => string {
  const drawable = new Set(font.getCharacterSet());
  const one = (char: string): string => {
    if (drawable.has(char.codePointAt(0)!)) return char;
    const base = [...char.normalize('NFKD')].filter((c) => drawable.has(c.codePointAt(0)!) && !/\p{M}/u.test(c)).join('');
    return base || '?';
  };
  return (text) => [...text.replace(/\t/g, ' ')].map(one).join('');
}

/** Greedy word wrap to the text width; a word wider than a whole line is broken by characters. */
function wrap(text: string, font: PDFFont): string[] {
  const fits = (s: string): boolean => font.widthOfTextAtSize(s, FONT_SIZE) <= TEXT_WIDTH;
  if (fits(text)) return [text];
  const out: string[] = [];
  let current = '';
  for (const word of text.split(/ +/)) {
    const candidate = current ? `${current} ${word}` : word;
    if (fits(candidate)) {
      current = candidate;
      continue;
    }
    if (current) out.push(current);
    current = '';
    let rest = word;
    while (!fits(rest)) {
      let cut = rest.length - 1;
      while (cut > 1 && !fits(rest.slice(0, cut))) cut--;
      out.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    current = rest;
  }
  if (current) out.push(current);
  return out;
}
