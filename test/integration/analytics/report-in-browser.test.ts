import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_CHARTS, renderReportHtml } from '#adapters/analytics/report-html';
import { buildPipelineReport } from '#core/analytics/pipeline-report';
import { analyticsSettings } from '#core/analytics/settings';
import { generatePipelineHistory } from '#local/analytics-history';

/**
 * The report file opened in a real headless Chromium, Debian's (`.ci/run` installs it when it is
 * missing), driven by playwright-core, which brings no browser of its own: every chart must be drawn
 * (SVG marks with a size on screen), the page must make no request beyond its own file, and a
 * screenshot must show a picture, not a blank page.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const AS_OF = Date.parse('2026-12-01T00:00:00Z');

describe('the pipeline report in a headless browser', () => {
  let browser: Browser;
  let page: Page;
  let dir: string;
  let fileUrl: string;
  const requests: string[] = [];

  beforeAll(async () => {
    // Not a skip: without the browser this test cannot say anything, so it fails and says how to get one.
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's (apt-get install chromium, as .ci/run does) or set CHROMIUM_PATH`);
    const history = generatePipelineHistory({ asOf: AS_OF, jobs: 80, seed: 4, slowdown: { stage: 'Screening', factor: 2, lastDays: 60 } });
    const html = await renderReportHtml(buildPipelineReport(history, AS_OF, analyticsSettings({ minSampleSize: 10 }), { backtest: false }));
    dir = mkdtempSync(join(tmpdir(), 'pipeline-report-'));
    const file = join(dir, 'pipeline.html');
    writeFileSync(file, html);
    fileUrl = pathToFileURL(file).href;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(fileUrl, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('draws every chart: an SVG with a size, holding marks with a size', async () => {
    for (const name of REPORT_CHARTS) {
      const svg = page.locator(`figure[data-chart="${name}"] > svg`);
      await expect.poll(() => svg.count(), { message: name }).toBe(1);
      const box = await svg.boundingBox();
      expect(box!.width, name).toBeGreaterThan(100);
      expect(box!.height, name).toBeGreaterThan(50);
      const drawn = await svg.evaluate((element) =>
        [...element.querySelectorAll('g.mark-rect path, g.mark-line path, g.mark-symbol path, g.mark-text text')].filter((mark) => {
          const rect = mark.getBoundingClientRect();
          return rect.width > 0 && rect.height > 0;
        }).length,
      );
      expect(drawn, name).toBeGreaterThan(4);
    }
  });

  it('shows the bottleneck the history was given', async () => {
    const listed = await page.locator('ul.bottlenecks li strong').allTextContents();
    expect(listed).toContainEqual(expect.stringMatching(/^Screening is \d+ % slower than its 90-day median$/));
    expect(await page.locator('ul.bottlenecks li strong').first().isVisible()).toBe(true);
  });

  it('asks for nothing but its own file', () => {
    expect(requests).toEqual([fileUrl]);
  });

  it('takes a screenshot that is a picture, not one colour', async () => {
    const png = await page.screenshot({ fullPage: true, type: 'png' });
    expect(png.length).toBeGreaterThan(10_000);
    // Count the colours in the browser itself: decode the PNG onto a canvas of a blank page.
    const blank = await browser.newPage();
    // A string, not a function: the project compiles without the DOM library, and this runs in the page.
    const colours = (await blank.evaluate(`(async () => {
      const image = new Image();
      image.src = 'data:image/png;base64,${png.toString('base64')}';
      await image.decode();
      const context = new OffscreenCanvas(image.width, image.height).getContext('2d');
      context.drawImage(image, 0, 0);
      const pixels = context.getImageData(0, 0, image.width, image.height).data;
      const seen = new Set();
      for (let i = 0; i < pixels.length; i += 4 * 7) seen.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
      return { size: [image.width, image.height], colours: seen.size };
    })()`)) as { size: [number, number]; colours: number };
    await blank.close();
    expect(colours.size[1]).toBeGreaterThan(2000);
    expect(colours.colours).toBeGreaterThan(20);
  });
});
